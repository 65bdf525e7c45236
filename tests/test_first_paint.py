"""A field agent's phone on a weak network (issue 20): the first page of a module paints from the
HTML alone. Its styles are inside the page, the fiche mémo's print styles too but print-only, its
small images inline; the player's scripts (minified) load once it is on screen. Lighthouse's
figures are printed by bench/player_bench.py; these tests check what makes them."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from collections.abc import Iterator

import pytest

from browser_support import StaticServer, unpack
from conftest import COURSES, TOOL
from packager.packaging import runtime, state
from packager.packaging.content import INLINE_IMAGE_BYTES
from packager.packaging.pipeline import build_catalogue, memo_name, package_name
from packager.packaging.runtime import SCRIPTS, script, stylesheet
from packager.model.checks import validate_catalogue
from packager.resources import templates_dir

CATALOGUE = validate_catalogue(COURSES)
UNIT = CATALOGUE.module("messagerie/eviter-les-pieges")  # the module of the figures
BRAND = "rgb(31, 78, 140)"  # --brand, the header's background


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("first-paint")
    build_catalogue(CATALOGUE, "scorm12", out / "dist", units=[UNIT])
    unpack(out / "dist" / package_name(UNIT, "scorm12"), out / "site")
    return out


@pytest.fixture(scope="module")
def site(built) -> Iterator[str]:
    server = StaticServer(built / "site")
    yield server.url
    server.close()


def head(page: str) -> str:
    return page.split("</head>", 1)[0]


def test_the_page_waits_for_no_stylesheet_and_no_script(built) -> None:
    page = (built / "site" / "index.html").read_text(encoding="utf-8")
    assert "<link rel=\"stylesheet\"" not in page and "<script src=" not in page
    assert f"<style>{stylesheet('player.css')}</style>" in head(page)
    assert f"<style media=\"print\">{stylesheet('memo.css')}</style>" in head(page)
    assert 'var sources = ["player/player.js"]' in page  # loaded after the first paint, by the page itself
    names = zipfile.ZipFile(built / "dist" / package_name(UNIT, "scorm12")).namelist()
    assert "player/player.js" in names and not [n for n in names if n.endswith(".css")]


def test_the_fiche_styles_are_css_not_html_escapes(built) -> None:
    """memo.css went through HTML escaping: « "Segoe UI" » became « &#34;Segoe UI&#34; », which
    voided the fiche's whole font-family declaration."""
    fiche = (built / "dist" / memo_name(UNIT)).read_text(encoding="utf-8")
    assert '"Segoe UI"' in fiche and "&#34;" not in fiche
    assert stylesheet("memo.css") in fiche


def test_scripts_and_styles_are_minified_the_same_every_time() -> None:
    for name, (sub, sources, *_rest) in SCRIPTS.items():
        folder = templates_dir() / "player" / sub
        written = sum(len((folder / source).read_bytes()) for source in sources)
        built = script(name)
        runtime._joined.cache_clear()
        assert script(name) == built
        assert len(built) < 0.8 * written, name
        assert built.count(b"/*") == 1 and b"\n  " not in built  # the banner, no indentation
    for name in runtime.STYLESHEETS:
        written = (templates_dir() / "player" / name).read_text(encoding="utf-8")
        minified = stylesheet(name)
        assert "/*" not in minified and len(minified) < 0.9 * len(written)
        runtime._minified_css.cache_clear()
        assert stylesheet(name) == minified


def test_the_minifiers_versions_are_an_input_of_the_build(monkeypatch) -> None:
    before = state.templates_digest()
    monkeypatch.setattr(state, "MINIFIERS", "rjsmin 9.9, rcssmin 9.9")
    assert state.templates_digest() != before


def test_only_small_images_of_the_first_page_come_inline(tmp_path, catalogue_dir) -> None:
    small = b"<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>"
    large = b"<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'>" + b" " * INLINE_IMAGE_BYTES + b"</svg>"
    blocks = ("- image: {src: media/petite.svg, alt: Une petite capture.}\n"
              "          - image: {src: media/grande.svg, alt: Une grande capture.}\n"
              "      - id: page-2\n        title: Page 2\n        blocks:\n"
              "          - image: {src: media/petite.svg, alt: La même capture.}")
    root = catalogue_dir({"outils/a.yml": TOOL.replace("- text: Bonjour.", blocks), "media/petite.svg": small, "media/grande.svg": large})
    build_catalogue(validate_catalogue(root), "scorm12", tmp_path / "dist")
    archive = zipfile.ZipFile(tmp_path / "dist" / "outil.module-a.scorm12.zip")
    page = archive.read("index.html").decode()
    images = re.findall(r"<img [^>]*>", page)
    assert len(images) == 3
    assert images[0].startswith('<img src="data:image/svg+xml;base64,') and "decoding" not in images[0]
    assert 'src="media/grande.svg"' in images[1] and 'decoding="async"' in images[1] and "loading" not in images[1]
    assert 'src="media/petite.svg"' in images[2] and 'loading="lazy"' in images[2]
    assert {"media/petite.svg", "media/grande.svg"} <= set(archive.namelist())  # still files for the other pages


def test_the_first_page_is_on_screen_from_the_html_alone(browser, site) -> None:
    """Every request but the page itself fails (a network that drops after the HTML): the first
    page is there, styled, its image drawn, the fiche off screen, the other pages hidden."""
    context = browser.new_context(viewport={"width": 360, "height": 640})
    page = context.new_page()
    page.route("**/*", lambda route: route.continue_() if route.request.url.endswith("/index.html") else route.abort())
    page.goto(f"{site}/index.html")
    first = UNIT.module.pages[0]
    assert page.locator(f"#h-{first.id}").is_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('.cp-header')).backgroundColor") == BRAND
    image = page.locator(f"#p-{first.id} img")
    assert image.is_visible() and image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert not page.locator("#cp-memo").is_visible()
    assert not page.locator(f"#p-{UNIT.module.pages[1].id}").is_visible()
    assert page.locator("#cp-progress-text").text_content() == f"Page 1 sur {len(UNIT.module.pages)}"
    assert page.locator("html.cp-js").count() == 0  # no script came, and none was needed
    context.close()


def test_the_script_comes_after_the_first_paint_and_moves_nothing(browser, site) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.add_init_script("""window.__shift = 0;
new PerformanceObserver(list => { for (const e of list.getEntries()) { if (!e.hadRecentInput) { window.__shift += e.value; } } })
  .observe({type: 'layout-shift', buffered: true});""")
    page.goto(f"{site}/index.html")
    page.locator("html.cp-js").wait_for(state="attached")
    page.wait_for_timeout(300)
    timing = page.evaluate("""() => ({
        paint: performance.getEntriesByName('first-contentful-paint')[0].startTime,
        script: performance.getEntriesByType('resource').find(r => r.name.endsWith('/player/player.js')).startTime,
        shift: window.__shift})""")
    assert timing["script"] >= timing["paint"], timing
    assert timing["shift"] == 0
    context.close()


def test_the_print_view_still_holds_the_fiche_alone(browser, site) -> None:
    page = browser.new_page()
    page.goto(f"{site}/index.html")
    page.emulate_media(media="print")
    assert page.locator("#cp-memo").is_visible()
    assert not page.locator(".cp-header").is_visible() and not page.locator(".cp-nav").is_visible()
    page.emulate_media(media="screen")
    assert not page.locator("#cp-memo").is_visible() and page.locator(".cp-header").is_visible()
    page.close()
