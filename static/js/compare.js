// The visitor's compare list is their `compare` cookie ("12.45": listing ids). A page may come from
// a cache shared by every visitor, so it shows no one's list: this marks the listings on it and
// counts them in the menu (catalog.compare).
(function () {
  "use strict";

  function compared() {
    var match = document.cookie.match(/(?:^|;\s*)compare=([^;]*)/);
    return match ? decodeURIComponent(match[1]).split(".").filter(Boolean) : [];
  }

  function show() {
    var ids = compared();
    document.querySelectorAll("[data-compare-for]").forEach(function (control) {
      var on = ids.indexOf(control.getAttribute("data-compare-for")) >= 0;
      control.querySelectorAll("[data-compare-state]").forEach(function (state) {
        state.hidden = (state.getAttribute("data-compare-state") === "in") !== on;
      });
    });
    document.querySelectorAll("[data-compare-nav]").forEach(function (link) {
      link.hidden = ids.length === 0;
      link.textContent = link.getAttribute("data-label").replace("__N__", String(ids.length));
    });
  }

  document.addEventListener("DOMContentLoaded", show);
  document.addEventListener("htmx:afterSettle", show);
  window.addEventListener("pageshow", show); // back to a page the browser kept: the list may have changed
})();
