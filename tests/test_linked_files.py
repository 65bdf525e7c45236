"""A file a text links to or shows (``[la fiche](media/….pdf)``) is checked and packaged like a
media field; an image from another site is an error; web links stay links."""

from __future__ import annotations

import zipfile
from pathlib import Path

from click.testing import CliRunner

from conftest import TOOL, problems_of, validate
from packager.packaging.pipeline import InputDigests, build_catalogue, builder_for
from packager.cli import cli

PDF = b"%PDF-1.4\n%%EOF\n"


def _with_text(text: str) -> str:
    """TOOL with its one text block replaced by ``text`` (a ``|`` block starting on line 15)."""
    body = "".join(f"              {line}\n" for line in text.splitlines())
    return TOOL.replace("          - text: Bonjour.\n", "          - text: |\n" + body)


def test_a_missing_linked_file_is_an_error_at_its_line(catalogue_dir) -> None:
    root = catalogue_dir({"outil.yml": _with_text("Bonjour.\n\nLisez [la fiche](media/fiche.pdf).")})
    assert problems_of(validate(root)) == [("outil.yml", 17, "media.missing")]
    result = CliRunner().invoke(cli, ["validate", str(root), "--strict"])
    assert result.exit_code == 1 and "media/fiche.pdf" in result.output


def test_a_link_out_of_the_catalogue_or_to_a_page_is_refused(catalogue_dir) -> None:
    root = catalogue_dir({"outil.yml": _with_text("[le secret](../secret.pdf) et [la page](media/page.html)"),
                          "media/page.html": "<script>alert(1)</script>"})
    (root.parent / "secret.pdf").write_bytes(PDF)
    assert sorted(p.code for p in validate(root).problems) == ["media.kind", "media.outside"]


def test_linked_files_are_packaged_at_the_address_the_page_uses(catalogue_dir, tmp_path: Path) -> None:
    text = ("Lisez [la fiche](media/fiche.pdf), [page 2](./media/fiche.pdf#page=2),\n"
            "[le planning](media/mon%20planning.pdf), [le site](https://example.org/) et [plus bas](#p-page-1).\n\n"
            "![Le bouton Envoyer](media/bouton.svg)")
    root = catalogue_dir({"outil.yml": _with_text(text), "media/fiche.pdf": PDF, "media/mon planning.pdf": PDF,
                          "media/bouton.svg": "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>"})
    catalogue = validate(root)
    assert catalogue.problems == []
    build_catalogue(catalogue, "scorm12", tmp_path / "dist")
    with zipfile.ZipFile(tmp_path / "dist" / "outil.module-a.scorm12.zip") as package:
        names = set(package.namelist())
        manifest = package.read("imsmanifest.xml").decode()
        page = package.read("index.html").decode()
    assert {"media/fiche.pdf", "media/mon planning.pdf", "media/bouton.svg"} <= names
    assert 'href="media/fiche.pdf"' in manifest and 'href="media/mon planning.pdf"' in manifest
    assert 'href="media/mon%20planning.pdf"' in page  # the browser asks for "media/mon planning.pdf"


def test_a_changed_linked_file_rebuilds_its_package(catalogue_dir) -> None:
    root = catalogue_dir({"outil.yml": _with_text("[la fiche](media/fiche.pdf)"), "media/fiche.pdf": PDF})
    catalogue = validate(root)
    unit = next(catalogue.modules())
    before = InputDigests(builder_for(catalogue, "scorm12")).of(unit)
    (root / "media" / "fiche.pdf").write_bytes(PDF + b"% v2\n")
    assert InputDigests(builder_for(catalogue, "scorm12")).of(unit) != before


def test_an_image_from_another_site_is_an_error_wherever_it_is_written(catalogue_dir) -> None:
    text = _with_text("Bonjour.\n\n![](http://tracker.example.com/pixel.gif)")
    text = text.replace("        blocks:\n", "        blocks:\n          - tip: \"Voir ![logo](//cdn.example.com/logo.png)\"\n", 1)
    text += ("          - quiz:\n              questions:\n"
             "                - id: q\n                  type: true_false\n                  answer: true\n"
             "                  prompt: \"Ce logo ![x](https://example.com/x.png) est-il le bon ?\"\n")
    problems = validate(catalogue_dir({"outil.yml": text})).errors
    assert [(p.code, p.position.line) for p in problems] == [("text.remote_image", 14), ("text.remote_image", 18),
                                                             ("text.remote_image", 24)]
    assert "media/" in problems[0].text("fr")[1]


def test_web_links_and_mail_links_stay_links(catalogue_dir) -> None:
    text = _with_text("[le site](https://example.org/), [écrire](mailto:a@example.org), [appeler](tel:0385000000)")
    assert validate(catalogue_dir({"outil.yml": text})).problems == []
