/* Appraisal pages: live preview of totals, "accept the self-score" without a round trip, flag
   comments, evidence preview in place, and the queue's select-all. The server recomputes and decides
   everything on save; this file only saves the appraiser clicks. Works without it (buttons submit). */
(function () {
  "use strict";

  function parsePoints(text) {
    // "6,5", "6.5", " 11,50 " -> number; "" -> null; anything else -> NaN.
    var cleaned = String(text || "").replace(/\s|\u00a0/g, "");
    if (cleaned === "") return null;
    if ((cleaned.match(/[.,]/g) || []).length > 1) return NaN;
    if (!/^\d+([.,]\d+)?$/.test(cleaned)) return NaN;
    return parseFloat(cleaned.replace(",", "."));
  }

  function fmt(value) {
    // Half-up to 2 decimals, Vietnamese separators (preview only; the server formats the real figures).
    var rounded = Math.round((value + 1e-9) * 100) / 100;
    var parts = rounded.toFixed(2).split(".");
    parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    return parts.join(",");
  }

  // --- queue: select all ---
  var selectAll = document.getElementById("select-all");
  if (selectAll) {
    selectAll.addEventListener("change", function () {
      document.querySelectorAll(".row-check").forEach(function (c) { c.checked = selectAll.checked; });
    });
  }

  // --- confirmation of workflow buttons ---
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
    });
  });

  // --- evidence preview in place (PDF, images) ---
  document.querySelectorAll(".js-preview").forEach(function (button) {
    button.addEventListener("click", function () {
      var holder = button.parentElement;
      var frame = holder.querySelector("iframe");
      if (frame) {
        frame.remove();
        button.setAttribute("aria-expanded", "false");
        button.textContent = "Xem tại chỗ";
        return;
      }
      frame = document.createElement("iframe");
      frame.src = button.getAttribute("data-src");
      frame.title = "Xem tài liệu kiểm chứng";
      frame.className = "w-100 border rounded mt-1";
      frame.style.height = "60vh";
      holder.appendChild(frame);
      button.setAttribute("aria-expanded", "true");
      button.textContent = "Đóng";
    });
  });

  // --- "Trả lại": the confirmation says how many items are flagged when it is pressed -----------
  // Flags the page cannot change (other appraisers' areas, a locked round) come counted from the
  // server; the boxes this appraiser may tick are counted here, as they stand.
  function updateReturnConfirm() {
    document.querySelectorAll("form[data-confirm-template]").forEach(function (f) {
      var n = parseInt(f.getAttribute("data-flags-elsewhere"), 10) || 0;
      document.querySelectorAll("#appraisal-form .js-flag:not(:disabled)").forEach(function (box) {
        if (box.checked) n += 1;
      });
      f.setAttribute("data-flag-count", String(n));
      f.setAttribute("data-workflow-confirm", f.getAttribute("data-confirm-template").replace("{n}", String(n)));
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.classList && event.target.classList.contains("js-flag")) updateReturnConfirm();
  });
  updateReturnConfirm();

  var form = document.getElementById("appraisal-form");
  if (!form) return;
  var round = form.getAttribute("data-round");
  var applicableMax = parseFloat(form.getAttribute("data-applicable-max")) || 0;
  var dirty = false;
  var dirtyNote = document.getElementById("dirty-note");

  function markDirty(event) {
    // With autosave (static/js/autosave.js) the items save themselves; bonus and penalty points
    // still need the save button.
    var target = event && event.target;
    if (form.hasAttribute("data-autosave") && target && target.closest && target.closest("[data-autosave-field]")) return;
    dirty = true;
    if (dirtyNote) dirtyNote.hidden = false;
  }

  // --- flags: the comment box appears with the tick (a flag needs a comment) ---
  form.querySelectorAll(".js-flag").forEach(function (box) {
    box.addEventListener("change", function () {
      var holder = form.querySelector('.js-flag-comment[data-for="' + box.id + '"]');
      if (holder) holder.classList.toggle("d-none", !box.checked);
      if (box.checked) {
        var comment = document.getElementById(box.getAttribute("data-comment"));
        if (comment) comment.focus();
      }
    });
  });

  // --- live totals ---
  function leafValue(leaf) {
    if (leaf.getAttribute("data-na") === "1") return { value: 0, applicable: false };
    var round1 = parseFloat(leaf.getAttribute("data-round1"));
    var round2 = parseFloat(leaf.getAttribute("data-round2"));
    var input = leaf.querySelector("input.js-score");
    var stored = !isNaN(round2) ? round2 : (!isNaN(round1) ? round1 : 0);
    if (!input) return { value: stored, applicable: true };
    var typed = parsePoints(input.value);
    if (typed === null) {
      // An empty round-2 box keeps the round-1 score; an empty round-1 box counts as not scored yet.
      return { value: round === "2" && !isNaN(round1) ? round1 : 0, applicable: true };
    }
    if (isNaN(typed)) return { value: 0, applicable: true, invalid: true };
    return { value: typed, applicable: true };
  }

  function extraValue(kind) {
    var input = form.querySelector('.js-extra[data-kind="' + kind + '"]');
    if (!input) return parseFloat(form.getAttribute(kind === "bonus_points" ? "data-bonus" : "data-penalty")) || 0;
    var v = parsePoints(input.value);
    return v === null || isNaN(v) ? 0 : v;
  }

  function recompute() {
    var areas = {};
    var total = 0;
    form.querySelectorAll(".leaf").forEach(function (leaf) {
      var r = leafValue(leaf);
      var area = leaf.getAttribute("data-area");
      areas[area] = (areas[area] || 0) + r.value;
      total += r.value;
    });
    form.querySelectorAll(".js-area-total").forEach(function (el) {
      el.textContent = fmt(areas[el.getAttribute("data-area")] || 0);
    });
    var final = total + extraValue("bonus_points") - extraValue("penalty_points");
    var appraised = document.getElementById("live-appraised");
    var finalEl = document.getElementById("live-final");
    var indexEl = document.getElementById("live-index");
    if (appraised) appraised.textContent = fmt(total) + "*";
    if (finalEl) finalEl.textContent = fmt(final) + "*";
    if (indexEl && applicableMax > 0) indexEl.textContent = fmt(final * 100 / applicableMax) + "%*";
  }

  form.addEventListener("input", function (event) {
    markDirty(event);
    if (event.target.matches(".js-score, .js-extra")) {
      var v = parsePoints(event.target.value);
      event.target.classList.toggle("is-invalid", v !== null && isNaN(v));
      recompute();
    }
  });
  form.addEventListener("change", markDirty);

  // --- accept the self-score: fill in place instead of submitting ---
  function accept(button) {
    var input = document.getElementById(button.getAttribute("data-target"));
    if (input && !input.disabled) {
      input.value = button.getAttribute("data-value");
      input.classList.remove("is-invalid");
      input.dispatchEvent(new Event("change", { bubbles: true }));  // autosave sends it
    }
  }
  form.querySelectorAll(".js-accept").forEach(function (button) {
    button.addEventListener("click", function (event) {
      event.preventDefault();
      accept(button);
      if (!form.hasAttribute("data-autosave")) markDirty();
      recompute();
    });
  });
  form.querySelectorAll(".js-accept-area").forEach(function (button) {
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var area = button.getAttribute("data-area");
      form.querySelectorAll('.leaf[data-area="' + area + '"] .js-accept').forEach(accept);
      if (!form.hasAttribute("data-autosave")) markDirty();
      recompute();
    });
  });

  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  // No recompute on load: until the appraiser types, the page shows the server's own figures.
})();
