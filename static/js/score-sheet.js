/* Score sheet: live totals while typing (a preview only: the server computes the saved totals),
   gentle validation hints, open the section of a linked item, warn before leaving unsaved work. */
(function () {
  "use strict";

  var form = document.getElementById("score-sheet-form");

  // Work in hundredths of a point (integers) so that sums are exact, like the server's Decimals.
  function parseCents(text) {
    var cleaned = String(text || "").replace(/[\s\u00a0]/g, "");
    if (cleaned === "") return null;
    if (!/^\d+([.,]\d+)?$/.test(cleaned)) return NaN;
    var parts = cleaned.replace(",", ".").split(".");
    var frac = parts[1] || "";
    if (frac.length > 2) return NaN;
    return parseInt(parts[0], 10) * 100 + parseInt((frac + "00").slice(0, 2), 10);
  }

  function formatCents(cents) {
    var whole = Math.floor(cents / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    var frac = String(cents % 100);
    return whole + "," + (frac.length < 2 ? "0" + frac : frac);
  }

  // As an officer writes points, like the server's messages: "11,5", "1", "0,25".
  function formatShort(cents) {
    return formatCents(cents).replace(/,?0+$/, "");
  }

  function formatPercent(part, whole) {
    if (!whole) return "–";
    // Half-up to two decimals: percent × 100 = part × 10000 / whole.
    var scaled = Math.floor((part * 10000 * 2 + whole) / (2 * whole));
    return formatCents(scaled) + "%";
  }

  function readLeaf(leaf) {
    var max = parseCents(leaf.getAttribute("data-max")) || 0;
    var input = leaf.querySelector("[data-score-input]");
    var na = leaf.querySelector("[data-na-input]");
    var notApplicable = na ? na.checked : leaf.hasAttribute("data-na-stored");
    var value;
    if (input && !leaf.hasAttribute("data-readonly")) {
      value = parseCents(input.value);
    } else {
      value = parseCents(leaf.getAttribute("data-value"));
    }
    return { max: max, na: notApplicable, value: value, input: input, editable: !!input };
  }

  function hint(leaf, state) {
    if (!state.input || state.na) {
      if (state.input) state.input.classList.remove("is-invalid");
      return;
    }
    // The server's own message stays until the value is edited (it says exactly what is wrong).
    if (state.input.dataset.serverError === "1") return;
    var msg = leaf.querySelector("[data-score-msg]");
    var text = "";
    if (Number.isNaN(state.value) && /^\s*-/.test(state.input.value)) {
      text = "Điểm tự đánh giá " + state.input.value.trim() + " không được âm.";
    } else if (Number.isNaN(state.value)) {
      text = "Điểm phải là số, tối đa 2 chữ số thập phân (ví dụ 6,5).";
    } else if (state.value !== null && state.value > state.max) {
      text = "Điểm tự đánh giá " + state.input.value.trim() + " vượt điểm tối đa " + formatShort(state.max) + ".";
    }
    if (text) {
      state.input.classList.add("is-invalid");
      if (msg) msg.textContent = text;
    } else if (state.input.dataset.serverError !== "1") {
      state.input.classList.remove("is-invalid");
    }
  }

  function recompute() {
    var areas = {};
    var total = 0, applicable = 0, done = 0;
    document.querySelectorAll("[data-leaf]").forEach(function (leaf) {
      var code = leaf.getAttribute("data-area");
      var area = areas[code] || (areas[code] = { total: 0, max: 0 });
      var state = readLeaf(leaf);
      hint(leaf, state);
      if (state.input && state.na) state.input.setAttribute("readonly", "");
      else if (state.input) state.input.removeAttribute("readonly");
      if (state.editable && (state.na || (state.value !== null && !Number.isNaN(state.value)))) done += 1;
      if (state.na) return;
      area.max += state.max;
      applicable += state.max;
      if (state.value !== null && !Number.isNaN(state.value) && state.value <= state.max) {
        area.total += state.value;
        total += state.value;
      }
    });
    Object.keys(areas).forEach(function (code) {
      var a = areas[code];
      setText("[data-area-total='" + code + "']", formatCents(a.total));
      setText("[data-area-max='" + code + "']", formatCents(a.max));
      setText("[data-area-percent='" + code + "']", formatPercent(a.total, a.max));
    });
    setText("[data-sheet-total]", formatCents(total));
    setText("[data-sheet-max]", formatCents(applicable));
    setText("[data-sheet-percent]", formatPercent(total, applicable));
    if (form && form.hasAttribute("data-editable")) {
      document.querySelectorAll("[data-progress-done]").forEach(function (el) { el.textContent = done; });
    }
  }

  function setText(selector, text) {
    document.querySelectorAll(selector).forEach(function (el) { el.textContent = text; });
  }

  function openTarget() {
    if (!location.hash) return;
    var target;
    try { target = document.getElementById(decodeURIComponent(location.hash.slice(1))); } catch (e) { return; }
    if (!target) return;
    var section = target.closest("details");
    while (section) {
      section.open = true;
      section = section.parentElement ? section.parentElement.closest("details") : null;
    }
    target.scrollIntoView();
    target.classList.add("sheet-target");
  }

  document.querySelectorAll("form[data-confirm]").forEach(function (f) {
    f.addEventListener("submit", function (event) {
      if (!window.confirm(f.getAttribute("data-confirm"))) event.preventDefault();
    });
  });

  if (!form) return;
  form.querySelectorAll(".is-invalid[data-score-input]").forEach(function (el) { el.dataset.serverError = "1"; });

  var dirty = false;
  // With autosave (static/js/autosave.js) the scores and notes save themselves and that script warns
  // about unsaved ones; only the evidence fields still need the "Lưu nháp" button.
  function needsSaveButton(target) {
    return !form.hasAttribute("data-autosave") || !target.closest || !target.closest("[data-autosave-field]");
  }
  form.addEventListener("input", function (event) {
    if (needsSaveButton(event.target)) dirty = true;
    if (event.target.dataset) event.target.dataset.serverError = "";
    recompute();
  });
  form.addEventListener("change", function (event) {
    if (needsSaveButton(event.target)) dirty = true;
    recompute();
  });
  // Come back to the item last worked on after saving (long sheets, phones).
  var returnAnchor = form.querySelector("[data-return-anchor]");
  form.addEventListener("focusin", function (event) {
    var leaf = event.target.closest ? event.target.closest("[data-leaf]") : null;
    if (leaf && returnAnchor) returnAnchor.value = "#" + leaf.id;
  });
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty && form.hasAttribute("data-editable")) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  window.addEventListener("hashchange", openTarget);
  recompute();
  openTarget();
})();
