/* The sheets' compact grid and their error list (score sheet and appraisal sheet).

   The grid's filters are links (?view=grid&loc=…) the server answers by itself; here they apply at
   once: rows carry the filters they answer to in data-grid-marks, and the counts follow the autosave
   states (a refused value joins "Có lỗi", a saved score leaves "Chưa chấm"). Links of the error list
   and of the round-2 list open the item's collapsed area, show it even when a filter hid it, scroll
   to it and put the cursor in its first field. */
(function () {
  "use strict";

  var filters = document.querySelector("[data-grid-filters]");
  var chosenInput = document.querySelector("[data-grid-chosen]");
  var chosen = chosenInput ? chosenInput.value : "";

  function rows() { return document.querySelectorAll("[data-grid-row]"); }

  function marksOf(row) {
    var text = row.getAttribute("data-grid-marks") || "";
    return text ? text.split(" ") : [];
  }

  function setMark(row, key, on) {
    var marks = marksOf(row).filter(function (m) { return m !== key; });
    if (on) marks.push(key);
    row.setAttribute("data-grid-marks", marks.sort().join(" "));
  }

  function apply() {
    var shown = 0;
    var counts = {};
    rows().forEach(function (row) {
      var marks = marksOf(row);
      marks.forEach(function (m) { counts[m] = (counts[m] || 0) + 1; });
      var visible = !chosen || marks.indexOf(chosen) !== -1;
      row.hidden = !visible;
      if (visible) shown += 1;
    });
    document.querySelectorAll("[data-grid-area]").forEach(function (body) {
      body.hidden = !body.querySelector("[data-grid-row]:not([hidden])");
    });
    if (!filters) return;
    filters.querySelectorAll("[data-grid-filter]").forEach(function (link) {
      var key = link.getAttribute("data-grid-filter");
      var active = key === chosen;
      link.classList.toggle("btn-secondary", active);
      link.classList.toggle("btn-outline-secondary", !active);
      if (active) link.setAttribute("aria-current", "true"); else link.removeAttribute("aria-current");
    });
    filters.querySelectorAll("[data-grid-count]").forEach(function (badge) {
      var n = counts[badge.getAttribute("data-grid-count")] || 0;
      badge.textContent = n;
      badge.classList.toggle("text-bg-warning", n > 0);
      badge.classList.toggle("text-bg-light", n === 0);
    });
    var empty = document.querySelector("[data-grid-empty]");
    if (empty) empty.hidden = shown > 0;
  }

  function choose(key) {
    chosen = key;
    if (chosenInput) chosenInput.value = key;
    var url = new URL(window.location.href);
    url.searchParams.set("view", "grid");
    if (key) url.searchParams.set("loc", key); else url.searchParams.delete("loc");
    url.hash = "";
    window.history.replaceState(null, "", url.toString());
    apply();
  }

  if (filters) {
    filters.addEventListener("click", function (event) {
      var link = event.target.closest("[data-grid-filter]");
      if (!link) return;
      event.preventDefault();
      choose(link.getAttribute("data-grid-filter"));
    });
  }

  // The autosave states (static/js/autosave.js sets data-autosave-status on each row) move the counts.
  function scored(row) {
    var na = row.querySelector("[data-na-input]");
    if (na && na.checked) return true;
    var input = row.querySelector("[data-score-input], input.js-score");
    return input ? input.value.trim() !== "" : true;
  }
  if (filters && window.MutationObserver) {
    var observer = new MutationObserver(function (records) {
      var changed = false;
      records.forEach(function (record) {
        var row = record.target;
        var status = row.getAttribute("data-autosave-status");
        if (status === "error" || status === "conflict") {
          setMark(row, "co-loi", true);
          changed = true;
        } else if (status === "saved") {
          // Still failing a cross-check of the saved figures until the page is reloaded.
          setMark(row, "co-loi", row.hasAttribute("data-crosscheck-error"));
          if (row.querySelector("[data-score-input], input.js-score")) setMark(row, "chua-cham", !scored(row));
          changed = true;
        }
      });
      if (changed) refreshCountsOnly();
    });
    rows().forEach(function (row) {
      observer.observe(row, { attributes: true, attributeFilter: ["data-autosave-status"] });
    });
  }
  // Counts follow the saves; the rows stay where they are (a row that leaves the filter goes when a
  // filter is chosen again), so that nothing moves under the cursor while typing down the grid.
  function refreshCountsOnly() {
    var counts = {};
    rows().forEach(function (row) {
      marksOf(row).forEach(function (m) { counts[m] = (counts[m] || 0) + 1; });
    });
    filters.querySelectorAll("[data-grid-count]").forEach(function (badge) {
      var n = counts[badge.getAttribute("data-grid-count")] || 0;
      badge.textContent = n;
      badge.classList.toggle("text-bg-warning", n > 0);
      badge.classList.toggle("text-bg-light", n === 0);
    });
  }

  // --- links to one item (error list, round-2 list, conflict table) ------------------------------
  function reveal(target) {
    if (target.hidden && target.hasAttribute("data-grid-row")) choose("");
    var section = target.closest("details");
    while (section) {
      section.open = true;
      section = section.parentElement ? section.parentElement.closest("details") : null;
    }
    target.scrollIntoView({ block: "center" });
    document.querySelectorAll(".sheet-target").forEach(function (el) { el.classList.remove("sheet-target"); });
    target.classList.add("sheet-target");
    var field = target.querySelector("input:not([type=hidden]):not([disabled]), textarea:not([disabled])");
    if (field) field.focus({ preventScroll: true });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-error-link], a[data-item-link]");
    if (!link) return;
    var id = decodeURIComponent((link.getAttribute("href") || "").replace(/^[^#]*#/, ""));
    var target = id && document.getElementById(id);
    if (!target) return;
    event.preventDefault();
    window.history.replaceState(null, "", "#" + id);
    reveal(target);
  });

  if (location.hash) {
    var target;
    try { target = document.getElementById(decodeURIComponent(location.hash.slice(1))); } catch (e) { target = null; }
    if (target && target.hidden && target.hasAttribute("data-grid-row")) reveal(target);
  }
})();
