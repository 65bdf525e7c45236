"""The transport's retry policy and its messages, against a real local HTTP server: what is
repeated, how patiently, a ``Retry-After`` longer than the run can wait, and French lines that
name the problem (a missing ``https://``) instead of an exception class."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from conftest import COURSES
from packager.cli import cli
from packager.cli import sync as sync_cli
from packager.commands import sync as sync_command
from packager.lrs.client import LrsClient, LrsUnavailable
from packager.moodle.client import MoodleClient
from packager.moodle.errors import MoodleUnreachable
from packager.moodle.explain import explain
from packager.utils.http import address_problem
from packager.utils.reasons import Reason
from packager.utils.retry import Retry

TOKEN = "0123456789abcdef0123456789abcdef"


class Script:
    """A server answering each request with the next of ``answers`` ((status, headers)), then 200."""

    def __init__(self, *answers: tuple[int, dict[str, str]]) -> None:
        self.answers = list(answers)
        self.seen = 0
        script = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _answer(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                script.seen += 1
                status, headers = script.answers.pop(0) if script.answers else (200, {})
                body = json.dumps({"statements": [], "more": ""} if status == 200 else {"message": "busy"}).encode()
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", "Content-Length": str(len(body)), **headers}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer  # noqa: N815

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def script() -> Iterator[type[Script]]:
    made: list[Script] = []

    def make(*answers: tuple[int, dict[str, str]]) -> Script:
        made.append(Script(*answers))
        return made[-1]

    yield make  # type: ignore[misc]
    for server in made:
        server.close()


class Clock:
    """A clock the recorded sleeps move forward: the deadline is checked without waiting."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_retry_after_longer_than_the_run_is_an_error_at_once(script) -> None:
    server = script((429, {"Retry-After": "3600"}))
    clock = Clock()
    lrs = LrsClient(server.url + "/xAPI/", "u", "p", timeout=60, retry=Retry(sleep=clock.sleep, clock=clock))
    with pytest.raises(LrsUnavailable) as caught:
        list(lrs.statements())
    assert clock.slept == [] and server.seen == 1  # no sleep of 120 s, no second try
    reason = caught.value.reason
    assert isinstance(reason, Reason) and reason.kind == "busy"
    assert "HTTP 429 : le serveur demande de revenir dans 1 h (vers " in reason
    assert "pas de réponse" not in reason  # not reported as a timeout


def test_retry_after_that_fits_is_waited_then_the_call_goes_on(script) -> None:
    server = script((503, {"Retry-After": "5"}))
    clock = Clock()
    lrs = LrsClient(server.url + "/xAPI/", "u", "p", timeout=60, retry=Retry(sleep=clock.sleep, clock=clock))
    assert list(lrs.statements()) == []
    assert clock.slept == [5.0] and server.seen == 2


def test_three_500s_are_retried_with_a_real_backoff(script) -> None:
    server = script(*[(500, {})] * 3)
    clock = Clock()
    lrs = LrsClient(server.url + "/xAPI/", "u", "p", timeout=60,
                    retry=Retry(sleep=clock.sleep, clock=clock, backoff_jitter=0))
    assert list(lrs.statements()) == []
    assert server.seen == 4 and clock.slept == [2.0, 4.0]  # the first repeat at once, then 2 s, 4 s


def test_backoff_never_runs_past_the_deadline(script) -> None:
    server = script(*[(500, {})] * 5)
    clock = Clock()
    client = MoodleClient(server.url, TOKEN, timeout=5, retry=Retry(sleep=clock.sleep, clock=clock, backoff_jitter=0))
    with pytest.raises(MoodleUnreachable) as caught:
        client.call("core_webservice_get_site_info")
    assert clock.slept == [2.0] and server.seen == 3  # a wait of 4 s more would end past 5 s
    assert explain(caught.value) == (f"Moodle ne répond pas à {server.url} (erreur du serveur, HTTP 500, même après 3 essais) : "
                                     "vérifiez l'adresse et le réseau, puis relancez.")


def test_a_call_that_changes_something_is_not_repeated_after_a_500(script) -> None:
    server = script((500, {}))
    clock = Clock()
    client = MoodleClient(server.url, TOKEN, retry=Retry(sleep=clock.sleep, clock=clock))
    with pytest.raises(MoodleUnreachable):
        client.call("core_course_create_courses", courses=[])
    assert server.seen == 1


def test_413_is_never_repeated_even_with_retry_after(script) -> None:
    server = script((413, {"Retry-After": "1"}))
    clock = Clock()
    lrs = LrsClient(server.url + "/xAPI/", "u", "p", retry=Retry(sleep=clock.sleep, clock=clock))
    response = lrs.transport.request("POST", "statements", idempotent=True, json=[])
    assert response.status_code == 413 and server.seen == 1 and clock.slept == []


def test_busy_moodle_says_when_to_come_back_in_one_french_line(script) -> None:
    server = script((503, {"Retry-After": "7200"}))
    client = MoodleClient(server.url, TOKEN, retry=Retry(sleep=Clock().sleep))
    with pytest.raises(MoodleUnreachable) as caught:
        client.call("core_webservice_get_site_info")
    line = explain(caught.value)
    assert line.startswith(f"Moodle ({server.url}) est surchargé ou en maintenance (HTTP 503 : le serveur demande de revenir dans 2 h")
    assert line.endswith(": relancez à ce moment-là.") and "\n" not in line
    assert "Moodle (" in explain(caught.value, "en") and "asks to come back in 2 h" in explain(caught.value, "en")


def test_refused_connection_is_said_in_french() -> None:
    client = MoodleClient("http://127.0.0.1:9", TOKEN, retry=Retry(1, sleep=lambda _s: None))
    with pytest.raises(MoodleUnreachable) as caught:
        client.call("core_webservice_get_site_info")
    line = explain(caught.value)
    assert "connexion refusée, même après plusieurs essais" in line
    assert "Error" not in line and "after retries" not in line


@pytest.mark.parametrize("written, suggestion", [
    ("moodle.example.fr", "https://moodle.example.fr"), ("moodle.example.fr/", "https://moodle.example.fr"),
    ("htps://moodle.example.fr", "https://moodle.example.fr"), ("https://", "https://moodle.example.fr"),
])
def test_an_address_without_https_says_how_to_write_it(written, suggestion) -> None:
    problem = address_problem(written)
    assert problem is not None and problem.kind == "address" and f"écrivez {suggestion}" in problem
    assert address_problem("https://moodle.example.fr") is None and address_problem("http://127.0.0.1:8000/") is None


def test_doctor_names_the_missing_scheme_instead_of_the_network(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("COURSEPACK_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("MOODLE_TOKEN", TOKEN)
    monkeypatch.setenv("LRS_ENDPOINT", "lrs.example.fr/xAPI/")
    result = CliRunner().invoke(cli, ["doctor", "--moodle-url", "moodle.example.fr", "--out", str(tmp_path / "dist")])
    assert ("Adresse de Moodle inutilisable : l'adresse « moodle.example.fr » ne commence pas par https:// ; "
            "écrivez https://moodle.example.fr (option --moodle-url") in result.output
    assert "« lrs.example.fr/xAPI » ne commence pas par https:// ; écrivez https://lrs.example.fr/xAPI" in result.output
    assert "réseau" not in result.output and "MissingSchema" not in result.output


def test_sync_names_a_missing_scheme_of_the_lrs() -> None:
    lrs = LrsClient("lrs.example.fr/xAPI", "u", "p")
    with pytest.raises(LrsUnavailable) as caught:
        list(lrs.statements())
    stop = sync_command._lrs_stop(caught.value, lrs.endpoint)
    line = sync_cli.stop_line(stop.reason, stop.params, "fr")
    assert line == ("Adresse du LRS inutilisable : l'adresse « lrs.example.fr/xAPI » ne commence pas par https:// ; "
                    "écrivez https://lrs.example.fr/xAPI (variable LRS_ENDPOINT ou [lrs] endpoint du fichier de configuration).")


@pytest.mark.parametrize("command", [["sync", "--state", "{tmp}/s.json"], ["publish", "--out", "{tmp}/dist", "--dry-run"]])
def test_sync_and_publish_name_the_missing_scheme(tmp_path, monkeypatch, command) -> None:
    monkeypatch.setenv("COURSEPACK_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("MOODLE_TOKEN", TOKEN)
    monkeypatch.setenv("LRS_ENDPOINT", "https://lrs.example.fr/xAPI/")
    args = [part.format(tmp=tmp_path) for part in command] + ["--moodle-url", "moodle.example.fr", str(COURSES)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert ("Adresse de Moodle inutilisable : l'adresse « moodle.example.fr » ne commence pas par https:// ; "
            "écrivez https://moodle.example.fr") in result.output
    assert "réseau" not in result.output and "Traceback" not in result.output


def test_busy_lrs_is_one_sync_line_saying_when(script) -> None:
    server = script((429, {"Retry-After": "3600"}))
    lrs = LrsClient(server.url + "/xAPI/", "u", "p", retry=Retry(sleep=Clock().sleep))
    with pytest.raises(LrsUnavailable) as caught:
        list(lrs.statements())
    stop = sync_command._lrs_stop(caught.value, lrs.endpoint)
    line = sync_cli.stop_line(stop.reason, stop.params, "fr")
    assert line.startswith(f"Le LRS {lrs.endpoint} est surchargé (HTTP 429 : le serveur demande de revenir dans 1 h (vers ")
    assert line.endswith("relancez coursepack sync à ce moment-là ; elle reprendra au dernier lot accepté.")
