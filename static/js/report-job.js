// Follows a report job: polls its JSON status and reloads the page once it has finished, so the
// server renders the download link or the error with its retry button.
(function () {
  "use strict";
  var box = document.getElementById("report-job");
  if (!box) { return; }
  var url = box.dataset.statusUrl;
  var bar = document.getElementById("report-job-progress");
  var delay = 1500;

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        if (job && job.finished) { window.location.reload(); return; }
        if (job && bar) {
          bar.style.width = job.progress + "%";
          bar.textContent = job.progress + "%";
          bar.parentElement.setAttribute("aria-valuenow", job.progress);
        }
        delay = Math.min(delay * 1.3, 10000);
        window.setTimeout(poll, delay);
      })
      .catch(function () { window.setTimeout(poll, 10000); });
  }
  window.setTimeout(poll, delay);
})();
