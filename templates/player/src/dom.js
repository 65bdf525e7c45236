/* The page's small DOM helpers: elements found by selector, a word for screen readers, a notice
 * at the top of the page. */
CP.dom = (function () {
  function one(selector, root) { return (root || document).querySelector(selector); }
  function all(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }

  /* A launch that cannot be tracked says so, in plain words, at the top of the page. */
  function notice(text) {
    var box = one("#cp-notice");
    box.textContent = text;
    box.hidden = false;
  }

  /* Emptied first, then filled a moment later: screen readers read the same words again. */
  function announce(text) {
    var region = one("#cp-announce");
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  return { one: one, all: all, notice: notice, announce: announce };
}());
