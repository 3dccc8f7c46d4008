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

  function run() {
    nameTabularFields(document);
    nameSelect2Search(document);
  }

  document.addEventListener("DOMContentLoaded", function () {
    run();
    new MutationObserver(run).observe(document.body, { childList: true, subtree: true });
  });
})();
