// The header on phones: the site's name and a "Menü" button, which opens the
// account links, the language switch and the main navigation below it. The
// stylesheet folds them only on narrow screens and only on a page this script
// has marked, so without JavaScript everything stays visible.
//
// Loaded in the head without `defer`: the mark is set before the header is first
// drawn, so a phone never shows the whole header and then snaps it shut.
(function () {
  "use strict";

  document.documentElement.classList.add("has-site-menu");

  document.addEventListener("DOMContentLoaded", function () {
    var header = document.querySelector(".site-header");
    var button = header && header.querySelector(".site-menu-button");
    if (!button) { return; }

    function show(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      header.classList.toggle("site-header--open", open);
    }

    button.addEventListener("click", function () {
      show(button.getAttribute("aria-expanded") !== "true");
    });
    // Escape closes the open menu and returns focus to its button.
    header.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true"
          && getComputedStyle(button).display !== "none") {
        show(false);
        button.focus();
      }
    });
  });
})();
