/* Forms in Vietnamese whatever the browser's language (loaded on every page):
   - the file picker (templates/parindex/_file_picker.html) shows the chosen file names;
   - the browser's own validation bubbles (a required box, a date typed in another shape) say in
     Vietnamese what is wrong; the server checks everything again with the same messages;
   - date inputs (parindex.forms.widgets.DateInput) turn "5/3/2025" into "05/03/2025" when left. */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("[data-file-picker] input[type=file]")) return;
    var holder = input.closest("[data-file-picker]").querySelector("[data-file-name]");
    if (!holder) return;
    var names = Array.prototype.map.call(input.files || [], function (f) { return f.name; });
    if (!names.length) holder.textContent = input.multiple ? "Chưa chọn tệp nào" : "Chưa chọn tệp";
    else if (names.length === 1) holder.textContent = names[0];
    else holder.textContent = names.length + " tệp: " + names.join(", ");
    holder.classList.toggle("text-body-secondary", !names.length);
  });

  var DATE_MESSAGE = "Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy";

  function messageFor(el) {
    var v = el.validity;
    if (v.valueMissing) {
      if (el.type === "checkbox") return "Hãy đánh dấu vào ô này để tiếp tục.";
      if (el.type === "radio") return "Hãy chọn một trong các lựa chọn.";
      if (el.type === "file") return "Hãy chọn tệp.";
      if (el.tagName === "SELECT") return "Hãy chọn một mục trong danh sách.";
      return "Hãy nhập thông tin vào ô này.";
    }
    if (el.hasAttribute("data-date-input") && (v.patternMismatch || v.badInput)) return DATE_MESSAGE;
    if (v.typeMismatch) return el.type === "email" ? "Địa chỉ email không hợp lệ." : "Giá trị không hợp lệ.";
    if (v.patternMismatch) return el.getAttribute("title") || "Giá trị chưa đúng định dạng.";
    if (v.tooLong) return "Quá dài: tối đa " + el.maxLength + " ký tự.";
    if (v.tooShort) return "Quá ngắn: tối thiểu " + el.minLength + " ký tự.";
    if (v.rangeUnderflow) return "Giá trị phải từ " + el.min + " trở lên.";
    if (v.rangeOverflow) return "Giá trị không được vượt " + el.max + ".";
    if (v.stepMismatch || v.badInput) return "Giá trị không hợp lệ.";
    return "";
  }

  // "invalid" does not bubble: listen in the capture phase for every form of the page.
  document.addEventListener("invalid", function (event) {
    var el = event.target;
    if (!el.setCustomValidity) return;
    el.setCustomValidity("");
    if (!el.validity.valid) el.setCustomValidity(messageFor(el));
  }, true);
  function clear(event) {
    if (event.target.setCustomValidity) event.target.setCustomValidity("");
  }
  document.addEventListener("input", clear, true);
  document.addEventListener("change", clear, true);

  // Zero-pad a typed date when the field is left ("5/3/2025" → "05/03/2025"), and show an ISO date
  // pasted into it the Vietnamese way; anything else stays as typed for the server to explain.
  document.addEventListener("focusout", function (event) {
    var el = event.target;
    if (!el.hasAttribute || !el.hasAttribute("data-date-input")) return;
    var text = el.value.trim();
    var m = text.match(/^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$/);
    var iso = text.match(/^(\d{4})-(\d{1,2})-(\d{1,2})$/);
    var d, mo, y;
    if (m) { d = m[1]; mo = m[2]; y = m[3]; } else if (iso) { y = iso[1]; mo = iso[2]; d = iso[3]; } else return;
    var pad = function (s) { return s.length < 2 ? "0" + s : s; };
    el.value = pad(d) + "/" + pad(mo) + "/" + y;
  });
})();
