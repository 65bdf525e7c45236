"""The mediators' contact as an agent reads it: a phone number or an address never cut inside at
320 px or on paper, the help panel's bullet on the first line of its link, and the standalone
fiche mémo printing exactly as the player prints it."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pypdf import PdfReader

from browser_support import StaticServer, unpack
from conftest import COURSES
from packager.packaging.pipeline import build_catalogue, memo_name, package_name
from packager.model.checks import validate_catalogue

CATALOGUE = validate_catalogue(COURSES)
UNIT = CATALOGUE.module("messagerie/lire-ses-messages")
CONTACT = CATALOGUE.contact(UNIT.course)
#: Where each value may go to the next line: after an e-mail's "@", after a "/" of an address.
ALLOWED = {CONTACT.phone: set(), CONTACT.email: {CONTACT.email.index("@") + 1},
           CONTACT.booking_url: {i + 1 for i, c in enumerate(CONTACT.booking_url) if c == "/" and CONTACT.booking_url[i - 1:i + 2].count("/") == 1}}
#: For each value found under ``root``, the offsets inside it where a new line starts.
BREAKS_JS = """([root, values]) => {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const chars = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.data.length; i++) chars.push([node, i]);
  }
  const text = chars.map(([node, i]) => node.data[i]).join("");
  const found = [];
  for (const value of values) {
    for (let at = text.indexOf(value); at !== -1; at = text.indexOf(value, at + 1)) {
      const tops = [];
      for (let k = 0; k < value.length; k++) {
        const range = document.createRange();
        const [node, i] = chars[at + k];
        range.setStart(node, i); range.setEnd(node, i + 1);
        const rect = range.getClientRects()[0];
        tops.push(rect ? Math.round(rect.top) : null);
      }
      const breaks = [];
      for (let k = 1; k < value.length; k++) if (tops[k] !== null && tops[k - 1] !== null && tops[k] > tops[k - 1] + 2) breaks.push(k);
      found.push([value, breaks]);
    }
  }
  return found;
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("contact") / "dist"
    build_catalogue(CATALOGUE, "scorm12", out, units=[UNIT])
    unpack(out / package_name(UNIT, "scorm12"), out / "package")
    server = StaticServer(out)
    yield server.url
    server.close()


def _wrong_breaks(page, selector: str) -> list:
    found = page.evaluate(BREAKS_JS, [page.locator(selector).first.element_handle(), list(ALLOWED)])
    assert found, f"no contact value under {selector}"
    return [(value, breaks) for value, breaks in found if not set(breaks) <= ALLOWED[value]]


def test_phone_and_email_stay_whole_in_the_help_links_from_300_to_420_px(browser, site) -> None:
    page = browser.new_page(viewport={"width": 320, "height": 700})
    page.goto(f"{site}/package/index.html")
    page.locator("#cp-help summary").click()
    wrong = []
    for width in range(300, 424, 4):
        page.set_viewport_size({"width": width, "height": 700})
        wrong += [(width, *w) for w in _wrong_breaks(page, ".cp-help-panel")]
    page.close()
    assert wrong == []


def test_phone_email_and_address_stay_whole_on_the_printed_memo(browser, site) -> None:
    """A4 less 12 mm margins is about 703 CSS px; the name's length moves every value along the line."""
    page = browser.new_page(viewport={"width": 703, "height": 1000})
    page.emulate_media(media="print")
    page.goto(f"{site}/{memo_name(UNIT)}")
    wrong = []
    for extra in range(0, 80, 3):
        page.evaluate("""(n) => { const strong = document.querySelector('.cp-memo-contact strong');
                                  strong.nextSibling.data = ' ' + 'Équipe'.padEnd(6 + n, 'x') + ' · ' + strong.nextSibling.data.split(' · ').slice(1).join(' · '); }""", extra)
        wrong += [(extra, *w) for w in _wrong_breaks(page, ".cp-memo-contact")]
    page.close()
    assert wrong == []


def test_the_help_panel_bullet_sits_on_the_first_line_of_a_wrapped_link(browser, site) -> None:
    page = browser.new_page(viewport={"width": 320, "height": 700})
    page.goto(f"{site}/package/index.html")
    page.locator("#cp-help summary").click()
    link = page.locator(".cp-help-panel a[href^='mailto:']")
    item = link.locator("xpath=..")
    first_line = page.evaluate("""(a) => { const r = document.createRange(); r.selectNodeContents(a);
                                           const rects = [...r.getClientRects()]; return [rects[0].top, rects[0].bottom, new Set(rects.map(x => Math.round(x.top))).size]; }""",
                               link.element_handle())
    assert first_line[2] >= 2, "the e-mail link must wrap at 320 px for this test to mean something"
    box = item.bounding_box()
    shot = Image.open(io.BytesIO(page.screenshot(clip={"x": box["x"] - 18, "y": box["y"], "width": 16, "height": box["height"]}))).convert("L")
    rows = [y for y in range(shot.height) if min(shot.getpixel((x, y)) for x in range(shot.width)) < 128]
    page.close()
    assert rows, "the bullet must be visible"
    top = box["y"] + rows[0]
    assert first_line[0] - 2 <= top <= first_line[1], (rows, box, first_line)


def _fonts_and_lines(pdf: bytes) -> tuple[set[str], list[str]]:
    reader = PdfReader(io.BytesIO(pdf))
    fonts = {str(font.get_object()["/BaseFont"]).split("+")[-1] for p in reader.pages for font in (p["/Resources"].get("/Font") or {}).values()}
    return fonts, [line for p in reader.pages for line in p.extract_text().splitlines()]


def test_the_standalone_memo_prints_as_the_player_prints_it(browser, site) -> None:
    printed = {}
    for source in (memo_name(UNIT), "package/index.html"):
        page = browser.new_page()
        page.goto(f"{site}/{source}")
        printed[source] = _fonts_and_lines(page.pdf(format="A4"))
        page.close()
    standalone, player = printed[memo_name(UNIT)], printed["package/index.html"]
    assert standalone[0] == player[0]  # the same fonts: the stylesheet's font rule is kept
    assert standalone[1] == player[1]  # the same lines, cut at the same places
    assert not any("Times" in font or "Serif" in font for font in standalone[0])


def test_a_phone_number_in_a_text_is_one_unbreakable_word(browser, catalogue_dir, tmp_path) -> None:
    from conftest import TOOL

    number = "03 85 12 34 56"
    text = TOOL.replace("- text: Bonjour.", f"- text: Pour toute question sur vos congés, appelez le service au {number} ou au +33 3 85 12 34 57.")
    root = catalogue_dir({"outil.yml": text})
    build_catalogue(validate_catalogue(root), "scorm12", tmp_path / "dist")
    target = unpack(tmp_path / "dist" / "outil.module-a.scorm12.zip", tmp_path / "package")
    page = browser.new_page(viewport={"width": 320, "height": 700})
    page.goto((target / "index.html").as_uri())
    wrong = []
    for width in range(280, 424, 4):
        page.set_viewport_size({"width": width, "height": 700})
        found = page.evaluate(BREAKS_JS, [page.locator(".cp-text").first.element_handle(), [number.replace(" ", "\u00a0")]])
        assert found, "the number is written with non-breaking spaces"
        wrong += [(width, breaks) for _value, breaks in found if breaks]
    page.close()
    assert wrong == []
