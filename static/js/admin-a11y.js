// Accessible names for Django admin widgets that render without a label:
// the fields of tabular inlines (labelled only by their column heading) and
// select2's search box. Runs on load and whenever an inline row or select2
// widget is added.
(function () {
  "use strict";

  function nameTabularFields(root) {
    root.querySelectorAll("div.tabular table").forEach(function (table) {
      var headings = Array.prototype.map.call(
        table.querySelectorAll("thead th"),
        function (th) { return th.textContent.trim(); }
      );
      table.querySelectorAll("tbody tr").forEach(function (row, index) {
        Array.prototype.forEach.call(row.children, function (cell, column) {
          var heading = headings[column] || "";
          cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (field) {
            if (field.labels && field.labels.length) { return; }
            if (field.getAttribute("aria-label")) { return; }
            var name = field.name && /-DELETE$/.test(field.name) ? (heading || "Löschen") : heading;
            field.setAttribute("aria-label", name + " (" + (index + 1) + ")");
          });
        });
      });
    });
  }

  function nameSelect2Search(root) {
    root.querySelectorAll(".select2-search__field").forEach(function (input) {
      if (input.getAttribute("aria-label")) { return; }
      var container = input.closest(".select2");
      var select = container && container.previousElementSibling;
      var label = select && select.id ? document.querySelector("label[for='" + select.id + "']") : null;
      input.setAttribute("aria-label", label ? label.textContent.replace(":", "").trim() : "Suche");
    });
  }

  function fieldLabel(field) {
    var row = field.closest(".fieldBox, .form-row");
    var label = row && row.querySelector("label, legend");
    return label ? label.textContent.replace(":", "").trim() : "";
  }

  // Date and time of a split datetime field share one legend; each part gets a name.
  function nameSplitDateTimes(root) {
    root.querySelectorAll("p.datetime input:not([type=hidden])").forEach(function (input) {
      if ((input.labels && input.labels.length) || input.getAttribute("aria-label")) { return; }
      var part = /_1$/.test(input.id) ? (document.documentElement.lang === "en" ? "time" : "Uhrzeit")
        : (document.documentElement.lang === "en" ? "date" : "Datum");
      input.setAttribute("aria-label", fieldLabel(input) + " – " + part);
    });
  }

  // select2's closed box is a combobox named by the label of the select it replaces.
  function nameSelect2Boxes(root) {
    root.querySelectorAll(".select2-selection[role=combobox]").forEach(function (box) {
      if (box.getAttribute("aria-label")) { return; }
      var container = box.closest(".select2");
      var select = container && container.previousElementSibling;
      var label = select && select.id ? document.querySelector("label[for='" + select.id + "']") : null;
      if (!label) { return; }
      var name = label.textContent.replace(":", "").trim();
      box.setAttribute("aria-label", name);
      // The text inside shows the choice; empty, it still needs a name of its own.
      var rendered = box.querySelector(".select2-selection__rendered[role=textbox]");
      if (rendered && !rendered.textContent.trim()) { rendered.setAttribute("aria-label", name); }
    });
  }

  function run() {
    nameTabularFields(document);
    nameSelect2Search(document);
    nameSplitDateTimes(document);
    nameSelect2Boxes(document);
  }

  document.addEventListener("DOMContentLoaded", function () {
    run();
    new MutationObserver(run).observe(document.body, { childList: true, subtree: true });
  });
})();
