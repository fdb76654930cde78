/* Per-item autosave for the score sheet, the appraisal sheet and the explanation page.

   The page marks its form with data-autosave="<kind>:<assessment id>" and each item with
   data-autosave-item="<score id>" data-autosave-url="…", a hidden [data-version] input, the fields it
   saves ([data-autosave-field="name"]) and a [data-autosave-state] element. A value is sent when its
   field is left and after a pause in typing, with the item's version; the server answers JSON
   (parindex/views/autosave.py). Until the server acknowledges it, the value is kept in localStorage
   under "parindex:autosave:<kind>:<assessment>:<score id>" with the version it was typed against
   (for at most 30 days), sent again when the connection or the session comes back, and offered for
   restoring when the page is opened again. Leaving the page with values not yet saved warns.
   Workflow buttons marked data-flush-first send pending values first and ask for confirmation.
   Without JavaScript the full-sheet save button does the same work. */
(function () {
  "use strict";

  var form = document.querySelector("form[data-autosave]");
  var PREFIX = form ? "parindex:autosave:" + form.getAttribute("data-autosave") + ":" : "";
  var MAX_AGE_MS = 30 * 24 * 3600 * 1000;
  var PAUSE_MS = 1200;
  var RETRY_MS = 10000;
  var items = {};
  var submitting = false;
  var loginUrl = null;
  var banner = null;
  var PENDING = { dirty: 1, saving: 1, offline: 1, login: 1, error: 1, conflict: 1 };

  // --- storage (never fatal: private windows and full quotas just lose the offline copy) ---------
  function store(id, record) {
    try { localStorage.setItem(PREFIX + id, JSON.stringify(record)); } catch (e) { /* no storage */ }
  }
  function forget(id) {
    try { localStorage.removeItem(PREFIX + id); } catch (e) { /* no storage */ }
  }
  function storedRecords() {
    var found = {};
    try {
      for (var i = 0; i < localStorage.length; i++) {
        var key = localStorage.key(i);
        if (key && key.indexOf(PREFIX) === 0) {
          try { found[key.slice(PREFIX.length)] = JSON.parse(localStorage.getItem(key)); } catch (e) { /* bad */ }
        }
      }
    } catch (e) { /* no storage */ }
    return found;
  }

  // --- one item ----------------------------------------------------------------------------------
  function fieldsOf(el) { return el.querySelectorAll("[data-autosave-field]"); }

  function valuesOf(el) {
    var values = {};
    fieldsOf(el).forEach(function (f) {
      values[f.getAttribute("data-autosave-field")] = f.type === "checkbox" ? (f.checked ? "1" : "") : f.value;
    });
    return values;
  }

  function fill(el, values) {
    fieldsOf(el).forEach(function (f) {
      var name = f.getAttribute("data-autosave-field");
      if (!(name in values)) return;
      var v = values[name];
      if (f.type === "checkbox") f.checked = v === true || v === "1";
      else f.value = v === null || v === undefined ? "" : v;
      f.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }

  function versionInput(el) { return el.querySelector("[data-version]"); }

  function csrfToken() {
    // Read afresh for every request: logging in again (in another tab) rotates the token.
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  var LABELS = {
    dirty: "chưa lưu", saving: "đang lưu…", offline: "chưa gửi được (mất kết nối) — sẽ tự gửi lại",
    login: "chưa gửi được: phiên đăng nhập đã hết hạn", conflict: "xung đột: người khác vừa lưu tiêu chí này",
  };

  function setState(item, status, text) {
    item.status = status;
    var holder = item.el.querySelector("[data-autosave-state]");
    if (holder) {
      holder.textContent = text || LABELS[status] || "";
      holder.setAttribute("data-status", status);
    }
    item.el.setAttribute("data-autosave-status", status);
    updateBanner();
  }

  function markErrors(item, errors) {
    fieldsOf(item.el).forEach(function (f) {
      var message = errors && errors[f.getAttribute("data-autosave-field")];
      f.classList.toggle("is-invalid", !!message);
    });
  }

  function remember(item, status) {
    store(item.id, { version: versionInput(item.el).value, values: valuesOf(item.el), at: Date.now(), status: status });
  }

  function schedule(item, delay) {
    clearTimeout(item.timer);
    item.timer = setTimeout(function () { save(item); }, delay);
  }

  // One request at a time, in the order typed: on a slow line later values never overtake earlier
  // ones, and the server never handles two saves of this page at once.
  var chain = Promise.resolve();
  function queued(send) {
    var guarded = function () {
      // The full-sheet form is being submitted: it carries this value itself.
      return submitting ? Promise.reject(new Error("submitting")) : send();
    };
    var next = chain.then(guarded, guarded);
    chain = next.catch(function () { return null; });
    return next;
  }

  function save(item) {
    clearTimeout(item.timer);
    if (submitting) return Promise.resolve();
    if (item.inflight) { item.again = true; return item.inflight; }
    var values = valuesOf(item.el);
    var version = versionInput(item.el).value;
    remember(item, "saving");
    setState(item, "saving");
    var body = new URLSearchParams();
    body.append("version", version);
    Object.keys(values).forEach(function (k) { body.append(k, values[k]); });
    item.inflight = queued(function () {
      return fetch(item.url, {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json", "X-Requested-With": "fetch" },
      });
    }).then(function (response) {
      return response.json().then(function (json) { return { status: response.status, body: json }; },
        function () { return { status: response.status, body: null }; });
    }).then(function (answer) { handle(item, answer, values); }, function () {
      remember(item, "offline");
      setState(item, "offline");
    }).then(function () {
      item.inflight = null;
      if (item.again) { item.again = false; return save(item); }
    });
    return item.inflight;
  }

  function handle(item, answer, sent) {
    var body = answer.body || {};
    if (answer.status === 200 && body.ok) {
      versionInput(item.el).value = body.version;
      markErrors(item, null);
      hideConflict(item);
      if (same(valuesOf(item.el), sent)) {
        forget(item.id);
        setState(item, "saved", "đã lưu lúc " + body.saved_at);
      } else {
        // Typed more while it was on its way: keep the newer value and send it too.
        remember(item, "dirty");
        setState(item, "dirty");
        schedule(item, PAUSE_MS);
      }
      return;
    }
    if (answer.status === 401 || (answer.status === 403 && !answer.body)) {
      // Expired session (or a security token that expired with it): keep the value, offer to log in.
      loginUrl = body.login_url || loginUrl || "/dang-nhap/";
      remember(item, "login");
      setState(item, "login");
      return;
    }
    if (answer.status === 409 && body.conflict) {
      remember(item, "conflict");
      showConflict(item, body.conflict);
      setState(item, "conflict");
      return;
    }
    if (!answer.body && answer.status >= 500) {
      remember(item, "offline");
      setState(item, "offline", "chưa gửi được (máy chủ tạm thời lỗi) — sẽ tự gửi lại");
      return;
    }
    remember(item, "error");
    markErrors(item, body.errors);
    setState(item, "error", "lỗi: " + (body.message || "không lưu được"));
  }

  // --- conflicts: both values, who and when, and a choice --------------------------------------
  function conflictBox(item) {
    var box = item.el.querySelector("[data-autosave-conflict]");
    if (!box) {
      box = document.createElement("div");
      box.className = "alert alert-warning small p-2 mt-2 mb-0";
      box.setAttribute("data-autosave-conflict", "");
      box.setAttribute("role", "alert");
      item.el.appendChild(box);
    }
    return box;
  }

  function showConflict(item, c) {
    var box = conflictBox(item);
    box.textContent = "";
    var title = document.createElement("p");
    title.className = "mb-1 fw-semibold";
    title.textContent = "Chưa lưu: " + (c.by || "người khác") + " vừa lưu tiêu chí này" + (c.at ? " lúc " + c.at : "") + ".";
    var theirs = document.createElement("p");
    theirs.className = "mb-1";
    theirs.textContent = "Của họ: " + c.theirs;
    var yours = document.createElement("p");
    yours.className = "mb-2";
    yours.textContent = "Của bạn: " + c.yours;
    var keepMine = document.createElement("button");
    keepMine.type = "button";
    keepMine.className = "btn btn-sm btn-primary me-2";
    keepMine.textContent = "Giữ giá trị của tôi";
    keepMine.setAttribute("data-keep", "mine");
    keepMine.addEventListener("click", function () {
      versionInput(item.el).value = c.version;
      hideConflict(item);
      save(item);
    });
    var takeTheirs = document.createElement("button");
    takeTheirs.type = "button";
    takeTheirs.className = "btn btn-sm btn-outline-secondary";
    takeTheirs.textContent = "Dùng giá trị của họ";
    takeTheirs.setAttribute("data-keep", "theirs");
    takeTheirs.addEventListener("click", function () {
      item.applying = true;
      fill(item.el, c.values);
      item.applying = false;
      versionInput(item.el).value = c.version;
      hideConflict(item);
      forget(item.id);
      markErrors(item, null);
      setState(item, "saved", "đã lấy giá trị của " + (c.by || "người khác"));
    });
    box.append(title, theirs, yours, keepMine, takeTheirs);
    box.hidden = false;
  }

  function hideConflict(item) {
    var box = item.el.querySelector("[data-autosave-conflict]");
    if (box) box.hidden = true;
  }

  // --- the banner: unsent values, expired session, values to restore ---------------------------
  function pendingItems() {
    return Object.keys(items).map(function (id) { return items[id]; }).filter(function (i) { return PENDING[i.status]; });
  }

  function ensureBanner() {
    if (!banner) {
      banner = document.createElement("div");
      banner.className = "autosave-banner alert alert-warning py-2 px-3 small";
      banner.setAttribute("role", "status");
      banner.setAttribute("aria-live", "polite");
      banner.setAttribute("data-autosave-banner", "");
      banner.hidden = true;
      form.parentNode.insertBefore(banner, form);
    }
    return banner;
  }

  function updateBanner() {
    var b = ensureBanner();
    if (b.getAttribute("data-restore") === "1") return;
    var pending = pendingItems();
    var unsent = pending.filter(function (i) { return i.status === "offline" || i.status === "login"; });
    var login = pending.some(function (i) { return i.status === "login"; });
    var refused = pending.filter(function (i) { return i.status === "error" || i.status === "conflict"; });
    b.textContent = "";
    if (!unsent.length && !refused.length) { b.hidden = true; return; }
    var text = document.createElement("span");
    var parts = [];
    if (unsent.length) parts.push(unsent.length + " giá trị chưa gửi được" + (login ? "" : " (sẽ tự gửi lại khi có mạng)"));
    if (refused.length) parts.push(refused.length + " giá trị bị từ chối hoặc xung đột, xem các ô được đánh dấu");
    text.textContent = "Có " + parts.join("; ") + ". Các giá trị vẫn được giữ trên máy này. ";
    text.setAttribute("data-autosave-count", String(unsent.length));
    b.appendChild(text);
    if (login) {
      var link = document.createElement("a");
      link.href = loginUrl || "/dang-nhap/";
      link.target = "_blank";
      link.rel = "noopener";
      link.className = "alert-link";
      link.setAttribute("data-autosave-login", "");
      link.textContent = "Phiên đăng nhập đã hết hạn: đăng nhập lại (mở thẻ mới), rồi quay lại đây.";
      b.appendChild(link);
    }
    b.hidden = false;
  }

  function offerRestore(records) {
    var b = ensureBanner();
    b.setAttribute("data-restore", "1");
    b.textContent = "";
    var text = document.createElement("span");
    text.textContent = "Có " + records.length + " giá trị bạn đã nhập trên máy này nhưng chưa được lưu. ";
    var restore = document.createElement("button");
    restore.type = "button";
    restore.className = "btn btn-sm btn-warning me-2";
    restore.textContent = "Khôi phục và lưu";
    restore.setAttribute("data-autosave-restore", "");
    var drop = document.createElement("button");
    drop.type = "button";
    drop.className = "btn btn-sm btn-outline-secondary";
    drop.textContent = "Bỏ các giá trị này";
    restore.addEventListener("click", function () {
      b.removeAttribute("data-restore");
      records.forEach(function (r) {
        // Against the version it was typed on: if someone saved since, this becomes a conflict.
        r.item.applying = true;
        fill(r.item.el, r.record.values);
        r.item.applying = false;
        versionInput(r.item.el).value = r.record.version;
        save(r.item);
      });
      updateBanner();
    });
    drop.addEventListener("click", function () {
      b.removeAttribute("data-restore");
      records.forEach(function (r) { forget(r.item.id); });
      updateBanner();
    });
    b.append(text, restore, drop);
    b.hidden = false;
  }

  // --- sending everything before a workflow button ----------------------------------------------
  function flush() {
    var waiting = Object.keys(items).map(function (id) {
      var item = items[id];
      if (item.status === "conflict") return Promise.resolve();
      return PENDING[item.status] || item.inflight ? save(item) : Promise.resolve();
    });
    return Promise.all(waiting).then(function () { return pendingItems(); });
  }
  window.parindexAutosaveFlush = flush;

  function bindWorkflowForms() {
    document.querySelectorAll("form[data-flush-first]").forEach(function (f) {
      f.addEventListener("submit", function (event) {
        if (f.getAttribute("data-confirmed") === "1") return;
        event.preventDefault();
        var ask = f.getAttribute("data-workflow-confirm");
        (form ? flush() : Promise.resolve([])).then(function (left) {
          if (left.length) {
            var codes = left.map(function (i) { return i.el.getAttribute("data-code") || i.id; }).join(", ");
            window.alert("Chưa thực hiện: còn " + left.length + " giá trị chưa lưu được (" + codes + "). " +
              "Các giá trị vẫn còn trên trang; hãy sửa hoặc chờ gửi xong rồi bấm lại.");
            left[0].el.scrollIntoView({ block: "center" });
            return;
          }
          if (ask && !window.confirm(ask)) return;
          f.setAttribute("data-confirmed", "1");
          submitting = true;
          HTMLFormElement.prototype.submit.call(f);
        });
      });
    });
  }

  // A link to the submission page (Kiểm tra và nộp): the values typed are saved before leaving.
  document.querySelectorAll("a[data-flush-first]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (!form) return;
      event.preventDefault();
      flush().then(function (left) {
        if (left.length) {
          window.alert("Còn " + left.length + " giá trị chưa lưu được; hãy sửa hoặc chờ gửi xong rồi bấm lại.");
          left[0].el.scrollIntoView({ block: "center" });
          return;
        }
        submitting = true;
        window.location.href = link.href;
      });
    });
  });
  bindWorkflowForms();
  if (!form) return;
  // A workflow button of the sheet's own form (Nộp giải trình) posts every value with it: ask first.
  form.querySelectorAll("button[data-workflow-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.getAttribute("data-workflow-confirm"))) event.preventDefault();
    });
  });

  // --- wiring -----------------------------------------------------------------------------------
  form.querySelectorAll("[data-autosave-item]").forEach(function (el) {
    var id = el.getAttribute("data-autosave-item");
    var item = { id: id, el: el, url: el.getAttribute("data-autosave-url"), status: "idle", timer: null };
    items[id] = item;
    el.addEventListener("input", function (event) {
      if (!event.target.closest("[data-autosave-field]") || item.applying) return;
      event.target.classList.remove("is-invalid");
      remember(item, "dirty");
      setState(item, "dirty");
      schedule(item, PAUSE_MS);
    });
    el.addEventListener("change", function (event) {
      if (!event.target.closest("[data-autosave-field]") || item.applying) return;
      remember(item, "dirty");
      setState(item, "dirty");
      schedule(item, PAUSE_MS);
    });
    el.addEventListener("focusout", function (event) {
      if (!event.target.closest("[data-autosave-field]") || item.status !== "dirty") return;
      // Moving to another field of the same item (the flag, then its request) waits for the pause;
      // leaving the item sends it now.
      if (event.relatedTarget && el.contains(event.relatedTarget)) schedule(item, PAUSE_MS);
      else save(item);
    });
  });

  // Values kept from an earlier visit: the same as the page now → already saved (drop them);
  // different → offer to restore. Older than 30 days → dropped.
  var records = storedRecords();
  var toRestore = [];
  Object.keys(records).forEach(function (id) {
    var record = records[id];
    var item = items[id];
    if (!item || !record || Date.now() - (record.at || 0) > MAX_AGE_MS || same(record.values, valuesOf(item.el))) {
      forget(id);
      return;
    }
    toRestore.push({ item: item, record: record });
  });
  if (toRestore.length) offerRestore(toRestore);

  function retry() {
    if (submitting) return;
    pendingItems().forEach(function (item) {
      if ((item.status === "offline" || item.status === "login") && !item.inflight) save(item);
    });
  }
  window.addEventListener("online", retry);
  window.addEventListener("focus", retry);
  setInterval(function () { if (navigator.onLine !== false) retry(); }, RETRY_MS);

  form.addEventListener("submit", function (event) {
    if (event.defaultPrevented || form.getAttribute("data-submitting") === "1") return;
    // The form carries every value: stop autosaving, and let a save already on its way finish first
    // so that the two never cross.
    submitting = true;
    Object.keys(items).forEach(function (id) { clearTimeout(items[id].timer); });
    var busy = Object.keys(items).some(function (id) { return items[id].inflight; });
    if (!busy) return;
    event.preventDefault();
    var submitter = event.submitter;
    chain.then(function () {
      form.setAttribute("data-submitting", "1");
      if (submitter) form.requestSubmit(submitter); else form.requestSubmit();
    });
  });
  window.addEventListener("beforeunload", function (event) {
    if (submitting) return;
    var busy = pendingItems().length || Object.keys(items).some(function (id) { return items[id].inflight; });
    if (busy) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
