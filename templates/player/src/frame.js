/* The module in the LMS's frame: what of it the LMS page covers. Moodle 4.5 and 5.x keep a fixed
 * 61 px bar at the top of the window (nav.navbar.fixed-top, measured on both at 375 and 1280 px)
 * and show the frame under their own header, as tall as the window. The player brings the frame
 * up only as far as the bottom of such bars, never under them, and lifts its sticky page buttons
 * above the part of the frame that is still below the window's bottom. */
CP.frame = (function () {
  /* Fixed or sticky boxes of the LMS page are bars when they hang from the top of the window,
   * cross the frame and stay in its upper half (a side drawer is as tall as the window). */
  function topInset(outer, box) {
    var found = [];
    var all = outer.document.body ? outer.document.body.getElementsByTagName("*") : [];
    for (var i = 0; i < all.length; i += 1) {
      var el = all[i];
      if (el.tagName === "IFRAME" || el.tagName === "SCRIPT") { continue; }
      var style = outer.getComputedStyle(el);
      if (style.position !== "fixed" && style.position !== "sticky") { continue; }
      if (style.display === "none" || style.visibility === "hidden" || parseFloat(style.opacity) === 0) { continue; }
      var r = el.getBoundingClientRect();
      if (r.width < 1 || r.height < 1 || r.right <= box.left || r.left >= box.right) { continue; }
      if (r.bottom <= 0 || r.bottom > outer.innerHeight / 2) { continue; }
      found.push(r);
    }
    found.sort(function (a, b) { return a.top - b.top; });
    var inset = 0;
    found.forEach(function (r) { if (r.top <= inset + 1) { inset = Math.max(inset, r.bottom); } }); /* stacked bars */
    return inset;
  }

  /* How much of the frame's bottom lies below the window now: the sticky buttons go up by that. */
  function cover(doc, outer, frame) {
    var box = frame.getBoundingClientRect();
    var below = Math.max(0, Math.min(box.bottom - outer.innerHeight, box.height - 200));
    doc.documentElement.style.setProperty("--cp-frame-cover", Math.round(below) + "px");
  }

  /* The frame's top goes no higher than the LMS's bars; the whole frame on screen when it fits
   * between them and the window's bottom, with the least scrolling. */
  function fit(win) {
    var frame;
    var outer;
    try {
      frame = win.frameElement;
      if (!frame) { return; }
      outer = frame.ownerDocument.defaultView;
      var box = frame.getBoundingClientRect();
      var inset = topInset(outer, box);
      var room = outer.innerHeight - inset;
      var by = 0;
      if (box.height <= room + 1) {
        if (box.top < inset) { by = box.top - inset; } else if (box.bottom > outer.innerHeight + 1) { by = Math.min(box.bottom - outer.innerHeight, box.top - inset); }
      } else if (box.top < outer.innerHeight) {
        by = box.top - inset; /* taller than the room: its top (help, contents) just under the bars */
      }
      if (by) { outer.scrollBy(0, by); }
      cover(win.document, outer, frame);
      if (!win.cpFrameWatched) {
        win.cpFrameWatched = true;
        var queued = false;
        var again = function () {
          if (queued) { return; }
          queued = true;
          win.requestAnimationFrame(function () { queued = false; try { cover(win.document, outer, frame); } catch (e) { /* gone */ } });
        };
        outer.addEventListener("scroll", again, { passive: true });
        outer.addEventListener("resize", again);
      }
    } catch (e) { /* another origin: the LMS page is not ours to read or scroll */ }
  }

  /* The focused element never hides under the sticky page buttons (WCAG 2.2, 2.4.11): the page
   * keeps their height (they wrap at 320 px) as its bottom scroll padding, see player.css. */
  function watchNav(doc, nav) {
    if (!nav) { return; }
    var set = function () { doc.documentElement.style.setProperty("--cp-nav-h", Math.ceil(nav.getBoundingClientRect().height) + "px"); };
    set();
    if (typeof ResizeObserver === "function") { new ResizeObserver(set).observe(nav); }
  }

  return { fit: fit, topInset: topInset, watchNav: watchNav };
}());
