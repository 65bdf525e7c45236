"""axe-core on every page of every module of the real catalogue, on a phone-sized screen.

Zero violations of any impact (RGAA / WCAG 2.1 AA rules) on every page, with the help panel open
and in the print view (fiche mémo), and no horizontal scrolling at 320 CSS pixels (WCAG 1.4.10
reflow, which also covers 200 % zoom on a 640 px window).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from browser_support import NODE_MODULES, StaticServer, unpack
from conftest import COURSES
from packager.packaging.pipeline import package_name
from packager.model.checks import validate_catalogue

CATALOGUE = validate_catalogue(COURSES)
UNITS = list(CATALOGUE.modules())
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def served(tmp_path_factory, courses_dist) -> Any:
    root = tmp_path_factory.mktemp("a11y")
    for unit in UNITS:
        unpack(courses_dist("scorm12") / package_name(unit, "scorm12"), root / "web" / unit.key)
    # an LMS page on the packages' own origin, as Moodle serves them (pluginfile.php)
    (root / "web" / "lms.html").write_text(
        '<!doctype html><html lang="fr"><title>LMS</title><body style="margin:0">'
        '<div style="height:324px">Moodle</div>'
        '<iframe id="sco" title="SCO" style="width:calc(100% - 16px);height:100vh;border:0;margin:0 8px"></iframe>'
        '<div style="height:80px"></div></body></html>', encoding="utf-8")
    server = StaticServer(root / "web")
    yield Served(server.url, root / "web")
    server.close()


class Served(str):
    """The packages' site: its URL, and ``root`` the folder it serves (to add an LMS page)."""

    def __new__(cls, url: str, root: Path) -> Served:
        made = super().__new__(cls, url)
        made.root = root
        return made


def serious(page: Any) -> list[str]:
    page.add_script_tag(path=str(NODE_MODULES / "axe-core" / "axe.min.js"))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


def no_horizontal_scroll(page: Any) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("unit", UNITS, ids=[u.key for u in UNITS])
def test_every_page_is_accessible_on_a_phone(browser, served, unit) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="fr-FR")
    page = context.new_page()
    page.goto(f"{served}/{unit.key}/index.html")
    page.locator("html.cp-js").wait_for(state="attached")  # the script runs after the first paint
    problems: dict[str, list[str]] = {}
    for index, module_page in enumerate(unit.module.pages):
        assert page.locator(f"#h-{module_page.id}").is_visible()
        found = serious(page)
        if not no_horizontal_scroll(page):
            found.append("horizontal scrolling at 320 px")
        if page.locator(".cp-quiz").count() and page.locator(".cp-quiz").is_visible():
            for check in page.locator(".cp-check").all():
                check.click()  # unanswered: each question says what to do, in its live region
            found += serious(page)
        if found:
            problems[module_page.id] = found
        if index < len(unit.module.pages) - 1:
            page.locator("#cp-next").click()
    page.locator("#cp-help summary").click()  # the help panel, open
    assert page.locator("#cp-help .cp-help-list a").first.is_visible()
    found = serious(page) + ([] if no_horizontal_scroll(page) else ["horizontal scrolling at 320 px (help)"])
    page.emulate_media(media="print")  # the print view: the fiche mémo alone
    assert page.locator("#cp-memo").is_visible() and page.locator(".cp-nav").is_hidden()
    found += serious(page)
    if found:
        problems["help and print"] = found
    context.close()
    assert problems == {}


@pytest.mark.parametrize("width", [320, 375])
def test_page_buttons_stay_on_screen_in_an_lms_frame(browser, served, width) -> None:
    """Moodle 5.2 shows a module in a frame under its own header (324 px at 375 px wide, seen on
    the live site), and makes the frame as tall as the window: at 320-375 px « Page suivante »
    stays on screen on every page, without scrolling."""
    unit = next(u for u in UNITS if u.key == "messagerie/lire-ses-messages")
    page = browser.new_page(viewport={"width": width, "height": 667})
    page.goto(f"{served}/lms.html")
    page.locator("#sco").evaluate("(frame, src) => { frame.src = src; }", f"{served}/{unit.key}/index.html")
    frame = page.frame_locator("#sco")
    frame.locator("html.cp-js").wait_for(state="attached")
    for index in range(len(unit.module.pages) - 1):
        box = frame.locator("#cp-next").bounding_box()  # in the LMS page's coordinates
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 667, f"page {index + 1}: {box}"
        assert box["x"] + box["width"] <= width
        frame.locator("#cp-next").click()
    page.close()


#: Moodle's SCORM player page as measured on the live 4.5 and 5.2dev sites (Boost): a fixed
#: ``nav.navbar.fixed-top`` 61 px tall over everything, the module's frame 666 px tall below the
#: course and activity headers (frame top at 324 px at 375 px wide, 364 px at 1280 px).
MOODLE_LAYOUTS = {
    "moodle45-375": (375, 667, 324, 666), "moodle45-1280": (1280, 800, 364, 666),
    "moodle52-375": (375, 667, 324, 666), "moodle52-1280": (1280, 800, 364, 666),
}


def moodle_page(root: Any, name: str, frame_top: int, frame_height: int) -> str:
    (root / f"{name}.html").write_text(
        '<!doctype html><html lang="fr"><title>Moodle</title><body style="margin:0">'
        '<nav class="navbar fixed-top" style="position:fixed;top:0;left:0;right:0;height:61px;box-sizing:border-box;'
        'border-bottom:1px solid #ccc;background:#fff;z-index:1030">Moodle</nav>'
        '<div style="position:fixed;left:-295px;top:0;width:285px;height:100vh;z-index:1035">drawer</div>'
        f'<div style="height:{frame_top}px;padding-top:61px;box-sizing:border-box">En-tête du cours</div>'
        f'<iframe id="scorm_object" title="SCO" style="width:calc(100% - 16px);height:{frame_height}px;border:0;margin:0 8px;display:block"></iframe>'
        '<div style="height:400px">Pied de page</div></body></html>', encoding="utf-8")
    return f"{name}.html"


def covered_at(page: Any, box: dict) -> str:
    """What the LMS page shows at the centre of ``box`` (LMS coordinates): the frame, or what hides it."""
    return page.evaluate("([x, y]) => { const el = document.elementFromPoint(x, y); return el ? el.tagName + (el.id ? '#' + el.id : '') : 'nothing'; }",
                         [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2])


@pytest.mark.parametrize("layout", list(MOODLE_LAYOUTS))
def test_the_module_top_never_goes_under_moodles_fixed_bar(browser, served, layout) -> None:
    """Moodle's 61 px fixed top bar: the player brings its frame up to the bar's bottom, never
    under it, so « Besoin d'aide ? » and « Sommaire » are on screen, and « Page suivante » too."""
    width, height, frame_top, frame_height = MOODLE_LAYOUTS[layout]
    unit = next(u for u in UNITS if u.key == "messagerie/lire-ses-messages")
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(f"{served}/{moodle_page(Path(served.root), layout, frame_top, frame_height)}")
    page.locator("#scorm_object").evaluate("(frame, src) => { frame.src = src; }", f"{served}/{unit.key}/index.html")
    frame = page.frame_locator("#scorm_object")
    frame.locator("html.cp-js").wait_for(state="attached")
    for index in range(len(unit.module.pages)):
        for name, selector in (("« Besoin d'aide ? »", "#cp-help summary"), ("« Sommaire »", "#cp-toc-toggle"), ("the page title", "h1:visible")):
            box = frame.locator(selector).first.bounding_box()
            assert box is not None and box["y"] >= 61, f"page {index + 1}: {name} under the bar: {box}"
            assert covered_at(page, box) == "IFRAME#scorm_object", f"page {index + 1}: {name} hidden"
        if index == len(unit.module.pages) - 1:
            break
        box = frame.locator("#cp-next").bounding_box()
        assert box is not None and box["y"] + box["height"] <= height, f"page {index + 1}: « Page suivante » below the window: {box}"
        assert covered_at(page, box) == "IFRAME#scorm_object"
        frame.locator("#cp-next").click()
    page.close()


#: Whether the focused element is entirely on screen and clear of the sticky page buttons; in
#: an LMS frame, also clear of the LMS's fixed bar and inside the LMS window.
FOCUS_SEEN = """([outerTop]) => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) { return null; }
  const r = el.getBoundingClientRect();
  const nav = document.querySelector('.cp-nav');
  const n = nav.getBoundingClientRect();
  let top = 0, bottom = nav.contains(el) ? innerHeight : Math.min(innerHeight, n.top);
  let shift = 0;
  if (window.frameElement) {
    const f = window.frameElement.getBoundingClientRect();
    shift = f.top;
    top = Math.max(top, outerTop - f.top);
    bottom = Math.min(bottom, window.parent.innerHeight - f.top);
  }
  const name = (el.id ? '#' + el.id : '') + ' ' + (el.getAttribute('aria-label') || el.closest('label, summary, a, button, li, select, h1, div')?.textContent || '').trim().slice(0, 40);
  return {name: el.tagName + name, ok: r.height > 0 && r.top >= top - 0.5 && r.bottom <= bottom + 0.5,
          top: Math.round(r.top + shift), bottom: Math.round(r.bottom + shift)};
}"""


def focus_problems(page: Any, frame: Any, outer_top: int = 0) -> list[str]:
    """Tab through one page of the module: every element reached that is not fully seen."""
    found: list[str] = []
    first = None
    for _ in range(200):
        page.keyboard.press("Tab")
        seen = frame.locator("html").evaluate(f"(html, args) => ({FOCUS_SEEN})(args)", [outer_top])
        if seen is None:
            continue
        if seen["name"] == first:
            break
        first = first or seen["name"]
        if not seen["ok"]:
            found.append(f"{seen['name']} at {seen['top']}-{seen['bottom']}")
    return found


def walk_with_tab(page: Any, frame: Any, unit: Any, outer_top: int = 0) -> dict[str, list[str]]:
    """Every page of the module, tabbed through: what was not fully seen, page by page."""
    problems: dict[str, list[str]] = {}
    for index in range(len(unit.module.pages)):
        found = focus_problems(page, frame, outer_top)
        if found:
            problems[f"{unit.key} page {index + 1}"] = found
        if index < len(unit.module.pages) - 1:
            frame.locator("#cp-next").click()
    return problems


@pytest.mark.parametrize("width, height", [(320, 568), (375, 667), (1280, 800)])
def test_focus_is_never_hidden_under_the_page_buttons(browser, served, width, height) -> None:
    """WCAG 2.2, 2.4.11: every element reached by Tab, on every page of every module, is fully
    on screen and clear of the sticky « Page précédente / suivante » bar (axe does not check it)."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR")
    page = context.new_page()
    problems: dict[str, list[str]] = {}
    for unit in UNITS[::3]:
        page.goto(f"{served}/{unit.key}/index.html")
        page.locator("html.cp-js").wait_for(state="attached")
        problems.update(walk_with_tab(page, page.main_frame, unit))
    context.close()
    assert problems == {}


@pytest.mark.parametrize("layout", ["moodle45-375", "moodle52-1280"])
def test_focus_is_never_hidden_in_moodles_frame(browser, served, layout) -> None:
    """The same in Moodle's SCORM player: neither under the LMS's fixed bar nor under the page
    buttons, nor below the LMS window."""
    width, height, frame_top, frame_height = MOODLE_LAYOUTS[layout]
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(f"{served}/{moodle_page(Path(served.root), layout, frame_top, frame_height)}")
    problems: dict[str, list[str]] = {}
    for unit in UNITS[:3]:
        url = f"{served}/{unit.key}/index.html"
        with page.expect_event("framenavigated", predicate=lambda f, url=url: f.url == url):  # the last module's page is gone
            page.locator("#scorm_object").evaluate("(frame, src) => { frame.src = src; }", url)
        frame = page.frame_locator("#scorm_object")
        inner = page.frame(url=url)
        assert inner is not None, [f.url for f in page.frames]
        inner.locator("html.cp-js").wait_for(state="attached")
        frame.locator("#cp-toc-toggle").focus()
        problems.update(walk_with_tab(page, inner, unit, outer_top=61))
    page.close()
    assert problems == {}


def test_lang_and_title(browser, served) -> None:
    page = browser.new_page()
    unit = UNITS[0]
    page.goto(f"{served}/{unit.key}/index.html")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.title() == f"{unit.module.title} – {unit.course.title}"
    page.close()


def test_the_check_itself_finds_violations(browser) -> None:
    """The audit above must be able to fail: an image without text alternative is caught."""
    page = browser.new_page()
    page.set_content('<html lang="fr"><head><title>t</title></head><body><main><img src="x.png"></main><div style="width:900px">x</div></body></html>')
    page.set_viewport_size({"width": 320, "height": 640})
    assert any(v.startswith("image-alt") for v in serious(page))
    assert not no_horizontal_scroll(page)
    page.close()
