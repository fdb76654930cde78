// "Back to the form" links: going back in history (rather than reloading the form's URL) lets the
// browser restore what was typed on that page.
document.querySelectorAll("[data-history-back]").forEach(function (link) {
  link.addEventListener("click", function (event) {
    if (window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });
});
