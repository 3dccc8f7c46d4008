// Accessible names for Django admin widgets that render without a label:
// the fields of tabular inlines (labelled only by their column heading) and
// select2's search box; and repairs of the markup of Django's and select2's
// widgets that axe-core finds wanting. Runs on load and whenever an inline row
// or select2 widget is added.
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

  // The fields of a changelist's editable column (list_editable), named by the column
  // and the row's object: "Position (Bildung)".
  function nameChangelistFields(root) {
    root.querySelectorAll("#result_list").forEach(function (table) {
      var headings = Array.prototype.map.call(
        table.querySelectorAll("thead th"),
        function (th) { return th.textContent.trim(); }
      );
      table.querySelectorAll("tbody tr").forEach(function (row) {
        var object = row.querySelector("th");
        var name = object ? object.textContent.trim() : "";
        Array.prototype.forEach.call(row.children, function (cell, column) {
          cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (field) {
            if ((field.labels && field.labels.length) || field.getAttribute("aria-label")) { return; }
            field.setAttribute("aria-label", (headings[column] || "") + (name ? " (" + name + ")" : ""));
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

  // Date and time of a split datetime field share one legend (or, on our own admin
  // pages, one label that points at the date only); each part gets a name.
  function nameSplitDateTimes(root) {
    var parts = "p.datetime input:not([type=hidden]), .form-row input[type=date], .form-row input[type=time]";
    root.querySelectorAll(parts).forEach(function (input) {
      if ((input.labels && input.labels.length) || input.getAttribute("aria-label")) { return; }
      // A browser's own picker says what it is; Django's text fields of a split
      // datetime are told apart by their ids (..._0 the date, ..._1 the time).
      var isTime = input.type === "time" || (input.type !== "date" && /_1$/.test(input.id));
      var part = isTime ? (document.documentElement.lang === "en" ? "time" : "Uhrzeit")
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

  // select2 puts the "remove all" cross of a multiple choice straight into its list
  // (<ul><span>), and a list holds list items only. The cross goes into an item of its
  // own, hidden from screen readers: it answers the mouse only (the keyboard removes
  // choices with Backspace). select2 empties the list on every change, item and all.
  function wrapSelect2Clear(root) {
    root.querySelectorAll("ul.select2-selection__rendered > .select2-selection__clear").forEach(function (cross) {
      var item = document.createElement("li");
      item.className = "select2-selection__clear-item";
      item.setAttribute("aria-hidden", "true");
      cross.parentNode.insertBefore(item, cross);
      item.appendChild(cross);
    });
  }

  // The filter icon of a filter_horizontal widget is a span with an aria-label, which
  // a span may not have; as an image it names the filter field its label belongs to.
  function roleForFilterIcons(root) {
    root.querySelectorAll(".search-label-icon[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  // A tabular inline's table can be wider than the screen and then scrolls sideways
  // inside its group (admin-extra.css): the group takes keyboard focus (to scroll with
  // the arrow keys, also where the table holds no field), named by the inline's
  // heading. Stacked inlines never scroll sideways and get no extra stop.
  function focusableInlines(root) {
    root.querySelectorAll(".inline-group[data-inline-type=tabular]:not([tabindex])").forEach(function (group) {
      var heading = group.querySelector(".inline-heading[id]");
      group.setAttribute("tabindex", "0");
      if (heading) {
        group.setAttribute("role", "region");
        group.setAttribute("aria-labelledby", heading.id);
      }
    });
  }

  // An open select2 box owns its list of results (aria-owns) but does not say it controls
  // it, which a combobox must (ARIA 1.2); closed, it controls nothing.
  function controlsForSelect2(root) {
    root.querySelectorAll(".select2-container [role=combobox], .select2-container [role=searchbox]").forEach(function (box) {
      var owns = box.getAttribute("aria-owns");
      if (owns && document.getElementById(owns)) {
        box.setAttribute("aria-controls", owns);
      } else {
        box.removeAttribute("aria-controls");
      }
    });
  }

  function run() {
    nameTabularFields(document);
    nameChangelistFields(document);
    nameSelect2Search(document);
    nameSplitDateTimes(document);
    nameSelect2Boxes(document);
    wrapSelect2Clear(document);
    roleForFilterIcons(document);
    focusableInlines(document);
    controlsForSelect2(document);
  }

  document.addEventListener("DOMContentLoaded", function () {
    run();
    // Rows, widgets and select2's dropdown come and go (childList); select2 opens and
    // closes its box by attributes.
    new MutationObserver(run).observe(document.body, {
      childList: true, subtree: true, attributes: true, attributeFilter: ["aria-owns"],
    });
  });
})();
