"""``coursepack preview`` in Chromium: the catalogue page, the simulator panel, live reload; and
the web stack as an attacker or a clumsy client sees it (Host, bodies, bad requests, busy port)."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import COURSES
from packager.cli import cli
from packager.preview.server import PreviewServer
from polling import poll


@pytest.fixture
def preview(tmp_path):
    root = tmp_path / "courses"
    shutil.copytree(COURSES, root)
    server = PreviewServer(root).start()
    yield server, root
    server.close()


def test_catalogue_page(browser, preview) -> None:
    server, _root = preview
    page = browser.new_page()
    page.goto(server.url + "/")
    assert page.locator("h2").all_text_contents()[:2] == ["Par outil", "Par métier"]
    assert page.locator("#tool-messagerie").text_content() == "La messagerie électronique"
    assert page.locator("a[href='/play/messagerie/lire-ses-messages/']").count() == 4  # its tool course and three job paths
    assert page.locator("#job-agent-voirie + ol a").nth(1).text_content() == "Signaler un dépôt sauvage"
    assert page.locator("a[href='/play/agent-voirie/intro/']").count() == 1
    assert page.locator("#cp-problems").count() == 0
    page.close()


def open_module(page, url: str, module: str):
    """The module in the preview's simulated LMS, once its player has started; its frame."""
    page.goto(f"{url}/play/{module}/")
    frame = page.frame_locator("#sco")
    frame.locator("html.cp-js").wait_for(state="attached")
    return frame


def play(browser, url: str, module: str):
    """A new page on the module: (page, its frame)."""
    page = browser.new_page()
    return page, open_module(page, url, module)


def test_simulator_panel_follows_the_module(browser, preview) -> None:
    server, _root = preview
    page, frame = play(browser, server.url, "messagerie/lire-ses-messages")
    page.wait_for_function("document.getElementById('sim-status').textContent === 'incomplete'")
    for _ in range(3):
        frame.locator("#cp-next").click()
    assert page.locator("#sim-location").text_content() == "3"
    frame.locator("#q-message-non-lu label", has_text="Il est écrit en gras.").click()
    frame.locator("#q-message-non-lu .cp-check").click()
    page.wait_for_function("document.getElementById('sim-interaction-count').textContent === '1'")
    assert page.locator("#sim-interactions li").first.text_content() == "message-non-lu : 0 (correct)"
    page.wait_for_function("document.getElementById('sim-statements').textContent.includes('answered')")
    statements = page.locator("#sim-statements li").all_text_contents()
    assert statements[0].startswith("initialized") and sum(s.startswith("experienced") for s in statements) == 4
    assert "answered · questions/message-non-lu · réussi" in statements
    page.close()


def saved(server: PreviewServer, file: Path, text: str) -> None:
    """Write ``file`` until the preview's watcher has seen it: one just started may not watch yet,
    and a change written before it does is never announced."""
    before = server.preview.version

    def written() -> int:
        file.write_text(text, encoding="utf-8")
        return server.preview.version

    assert poll(written, lambda version: version > before, timeout=10, every=0.5) > before, "the watcher saw no change"


def test_edited_yaml_is_picked_up_without_restart(browser, preview) -> None:
    server, root = preview
    page, frame = play(browser, server.url, "messagerie/lire-ses-messages")
    assert frame.locator("#h-la-boite-de-reception").text_content() == "La boîte de réception"
    course = root / "outils" / "messagerie.yml"
    saved(server, course, course.read_text(encoding="utf-8").replace("title: La boîte de réception", "title: Votre boîte de réception"))
    frame.locator("#h-la-boite-de-reception", has_text="Votre boîte de réception").wait_for(timeout=10000)

    course.write_text(course.read_text(encoding="utf-8").replace("duration_minutes: 45", "duration_minutes: beaucoup"),
                      encoding="utf-8")
    page.locator("#cp-problems").wait_for(timeout=10000)
    text = page.locator("#cp-problems").text_content()
    assert "outils/messagerie.yml:9:19" in text and "un nombre entier est attendu" in text
    page.close()


def raw_request(url: str, request: bytes) -> bytes:
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as conn:
        conn.sendall(request)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
            if b"\r\n\r\n" in answer:
                break
    return answer


@pytest.mark.parametrize("request_bytes, status", [
    (b"GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n", b"400"),  # DNS rebinding
    (b"POST /lrs/statements HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: abc\r\n\r\n", b"400"),
    (b"POST /lrs/statements HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -1\r\n\r\n", b"400"),
    (b"POST /lrs/statements HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 99999999\r\n\r\n", b"413"),
    (b"GET /pkg/messagerie/lire-ses-messages/..%2F..%2F..%2F..%2Fetc%2Fpasswd HTTP/1.1\r\nHost: localhost\r\n\r\n", b"404"),
    (b"GET /favicon.ico HTTP/1.1\r\nHost: localhost:8000\r\n\r\n", b"200"),
])
def test_bad_requests_get_a_clean_4xx(preview, request_bytes: bytes, status: bytes) -> None:
    server, _root = preview
    answer = raw_request(server.url, request_bytes)
    assert answer.split(b" ", 2)[1] == status, answer[:200]
    assert b"root:" not in answer


def test_chunked_body_over_the_limit_is_refused(preview) -> None:
    server, _root = preview
    chunk = b"x" * 65536
    body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(20)) + b"0\r\n\r\n"
    head = b"POST /lrs/statements HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
    assert raw_request(server.url, head + body).split(b" ", 2)[1] == b"413"


def test_busy_port_is_one_line_with_the_fix(preview) -> None:
    server, root = preview
    port = int(server.url.rsplit(":", 1)[1])
    result = CliRunner().invoke(cli, ["preview", str(root), "--port", str(port)])
    assert result.exit_code == 2
    assert f"Le port {port} est déjà pris" in result.output and f"--port {port + 1}" in result.output
    assert isinstance(result.exception, (SystemExit, type(None))), result.exception


def test_no_error_responses_while_a_module_plays(browser, preview) -> None:
    server, _root = preview
    page = browser.new_page()
    failed = []
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    page.on("console", lambda message: failed.append(message.text) if message.type == "error" else None)
    frame = open_module(page, server.url, "messagerie/lire-ses-messages")
    page.wait_for_function("document.getElementById('sim-statement-count').textContent !== '0'")
    frame.locator("#cp-next").click()
    page.wait_for_timeout(500)
    assert failed == []
    page.close()


def test_broken_catalogue_shows_its_problems_and_recovers_without_restart(browser, preview) -> None:
    """A one-letter typo in a job path's ref: the home page still serves, with the problem; fixing
    the file makes the open tab reload by itself. Then a broken catalogue.yml: same."""
    server, root = preview
    job = root / "metiers" / "agent-voirie.yml"
    good = job.read_text(encoding="utf-8")
    job.write_text(good.replace("ref: signalements/signaler-un-depot", "ref: signalements/signaler-un-depo"), encoding="utf-8")
    page = browser.new_page()
    page.goto(server.url + "/")
    page.locator("#cp-problems").wait_for(timeout=10000)
    assert "signalements/signaler-un-depo-sauvage" in page.locator("#cp-problems").text_content()
    assert page.locator("#tool-messagerie").text_content() == "La messagerie électronique"  # the rest still serves
    job.write_text(good, encoding="utf-8")
    page.locator("#cp-problems").wait_for(state="detached", timeout=10000)
    assert page.locator("a[href='/play/agent-voirie/intro/']").count() == 1

    settings = root / "catalogue.yml"
    settings_text = settings.read_text(encoding="utf-8")
    settings.write_text(settings_text + "\n\tcassé: [\n", encoding="utf-8")
    page.locator("#cp-problems").wait_for(timeout=10000)
    assert "catalogue.yml" in page.locator("#cp-problems").text_content()
    settings.write_text(settings_text, encoding="utf-8")
    page.locator("#cp-problems").wait_for(state="detached", timeout=10000)
def test_reset_starts_again_from_nothing_and_a_reload_terminates_once(browser, preview) -> None:
    server, _root = preview
    page, frame = play(browser, server.url, "messagerie/lire-ses-messages")
    frame.locator("#cp-next").click()
    page.wait_for_function("document.getElementById('sim-location').textContent === '1'")
    page.reload()
    frame.locator("html.cp-js").wait_for(state="attached")
    assert frame.locator("#cp-progress-text").text_content() == "Page 2 sur 4"  # resumed
    page.wait_for_function("document.getElementById('sim-statements').textContent.includes('terminated')")
    page.wait_for_timeout(1500)
    shown = page.locator("#sim-statements li").all_text_contents()
    assert sum(s.startswith("terminated") for s in shown) == 1  # one reload, one terminated
    page.locator("#sim-reset").click()
    page.wait_for_load_state()
    frame.locator("html.cp-js").wait_for(state="attached")
    assert frame.locator("#cp-progress-text").text_content() == "Page 1 sur 4"
    page.wait_for_function("document.getElementById('sim-location').textContent === '0'")
    assert page.locator("#sim-interaction-count").text_content() == "0"
    page.wait_for_timeout(1200)
    assert not any(s.startswith("terminated") for s in page.locator("#sim-statements li").all_text_contents())
    page.close()
