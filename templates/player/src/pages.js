/* Moving through the module: one page shown at a time, the table of contents, the previous and
 * next buttons, the progress bar, the restart and print buttons. */
CP.pages = (function () {
  var fmt = CP.format.fmt;
  var one = CP.dom.one;

  /* Page ``index`` (kept within the module) shown and saved; ``moveFocus`` after a learner's move. */
  function show(page, index, moveFocus) {
    var sections = page.sections;
    var state = page.state;
    index = Math.max(0, Math.min(sections.length - 1, index));
    state.page = index;
    state.seen[index] = true;
    sections.forEach(function (section, i) { section.hidden = i !== index; });
    page.tocLinks.forEach(function (link, i) {
      if (i === index) { link.setAttribute("aria-current", "page"); } else { link.removeAttribute("aria-current"); }
      link.nextElementSibling.hidden = !state.seen[i];
    });
    one("#cp-progress-text").textContent = fmt(page.strings.progress, { n: index + 1, total: sections.length });
    one("#cp-progress-fill").style.width = Math.round(100 * (index + 1) / sections.length) + "%";
    page.prev.hidden = index === 0;
    page.next.hidden = index === sections.length - 1;
    if (one(".cp-quiz", sections[index])) { page.shownAt = Date.now(); }
    if (page.ready && page.tracker.page) { page.tracker.page(index); }
    if (moveFocus) {
      window.scrollTo(0, 0);
      one("h1", sections[index]).focus({ preventScroll: true });
    }
    CP.frame.fit(window); /* in an LMS frame, on screen below the LMS's own bars */
    CP.saving.save(page, true);
  }

  /* The table of contents starts closed in the HTML itself: nothing moves after the first paint. */
  function bindContents(page) {
    var toc = page.toc;
    var toggle = page.tocToggle;
    toggle.addEventListener("click", function () {
      var open = toc.hidden;
      toc.hidden = !open;
      toggle.setAttribute("aria-expanded", String(open));
      if (open) { page.tocLinks[page.state.page].focus(); }
    });
    page.tocLinks.forEach(function (link, i) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        toc.hidden = true;
        toggle.setAttribute("aria-expanded", "false");
        show(page, i, true);
      });
    });
    toc.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { toc.hidden = true; toggle.setAttribute("aria-expanded", "false"); toggle.focus(); }
    });
  }

  function bind(page) {
    bindContents(page);
    page.prev.addEventListener("click", function () { show(page, page.state.page - 1, true); });
    page.next.addEventListener("click", function () { show(page, page.state.page + 1, true); });
    var restartButton = one("#cp-restart");
    if (restartButton) { restartButton.addEventListener("click", function () { show(page, 0, true); }); }
    var printButton = one("#cp-print");
    if (printButton) { printButton.addEventListener("click", function () { window.print(); }); }
  }

  return { show: show, bind: bind };
}());
