// Builds the private code into `respondent`, and saves the answers as a one-row CSV under the
// codebook's column names. Nothing leaves the browser unless the form itself sends it.
(function () {
  "use strict";
  var form = document.querySelector("form.survey-form");
  if (!form) { return; }
  // The same normalisation as programdsl.measure.codebook.normalise_code_answer.
  function codePart(text) {
    var clean = text.replace(/\s+/g, "").toUpperCase();
    return /^[0-9]+$/.test(clean) ? (clean.replace(/^0+/, "") || "0") : clean;
  }
  function fillCode() {
    var code = form.querySelectorAll(".self-code input[type=text]");
    if (!code.length) { return; }
    var parts = [];
    for (var i = 0; i < code.length; i++) { parts.push(codePart(code[i].value)); }
    form.elements.namedItem("respondent").value = parts.join("-");
  }
  form.addEventListener("submit", fillCode);
  var button = form.querySelector(".save-answers");
  var listed = document.getElementById("form-columns");
  if (!button || !listed || !window.Blob || !window.URL) { return; }
  var columns = JSON.parse(listed.textContent);
  function cell(value) {
    var text = value === null || value === undefined ? "" : String(value);
    if (/^[=+\-@\t\r]/.test(text)) { text = "'" + text; }  // a spreadsheet must not read it as a formula
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }
  function value(name) {
    var field = form.elements.namedItem(name);  // a radio group gives its checked value
    return field ? field.value : "";
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    if (!form.reportValidity()) { return; }
    fillCode();
    var id = form.elements.namedItem("response_id");
    if (!id.value) {
      id.value = window.crypto && crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + "-" + String(Math.random()).slice(2);
    }
    var text = columns.join(",") + "\r\n" + columns.map(function (name) { return cell(value(name)); }).join(",") + "\r\n";
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob(["\ufeff" + text], {type: "text/csv;charset=utf-8"}));
    link.download = form.getAttribute("data-file");
    document.body.appendChild(link);
    link.click();
    link.remove();
  });
})();
