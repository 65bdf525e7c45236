"""Commands are use cases, the CLI parses and prints (the MkDocs shape): a use case never
prints, and says why it stopped with a reason the CLI words."""

from __future__ import annotations

import ast
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import COURSES, REPO
from moodle_double import published as publish_to_double
from packager.cli import cli
from packager.cli import sync as sync_cli
from packager.commands.errors import Stop
from packager.lrs.client import LrsClient
from packager.utils.retry import Retry

TOKEN = "abcdefabcdefabcdefabcdefabcdef12"
QUICK = Retry(1, backoff_factor=0, sleep=lambda _s: None)
#: every module of packager/commands/
USE_CASES = sorted(path.stem for path in (REPO / "packager" / "commands").glob("*.py") if path.stem != "__init__")


@pytest.mark.parametrize("name", USE_CASES)
def test_a_use_case_does_not_print(name: str) -> None:
    """No click, no print(): what the mediator reads is written in packager/cli/."""
    tree = ast.parse((REPO / "packager" / "commands" / f"{name}.py").read_text(encoding="utf-8"))
    imports = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imports |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    calls = {node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
    assert "click" not in imports and "print" not in calls


def test_a_stop_reason_is_never_taken_for_a_parameter() -> None:
    """An LRS's reason for not answering travels as a parameter named ``reason``."""
    stop = Stop("lrs_down", 1, endpoint="http://lrs/", reason="Connection refused")
    assert (stop.reason, stop.params) == ("lrs_down", {"endpoint": "http://lrs/", "reason": "Connection refused"})


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def published(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    double, served = publish_to_double(tmp_path, monkeypatch, TOKEN)
    double.add_user(3, "agent1", "M001", "agent1@example.org")
    double.add_attempt(3, "coursepack:messagerie", "coursepack:messagerie/lire-ses-messages", 1,
                       {"cmi.core.lesson_status": "completed", "cmi.core.total_time": "00:03:00.00"}, 1795900000, 1)
    yield served
    served.close()


def test_sync_names_the_lrs_that_does_not_answer(published, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    endpoint = f"http://127.0.0.1:{_closed_port()}/xapi/"
    code = sync_cli.run(COURSES, moodle_url=published.url, config_file=None, state=tmp_path / "sync.json",
                        lrs=LrsClient(endpoint, "user", "secret", retry=QUICK))
    err = capsys.readouterr().err
    assert code == 1 and f"Le LRS {endpoint} ne répond pas" in err and "Traceback" not in err


def test_sync_without_an_lrs_says_what_to_configure(published, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["sync", "--moodle-url", published.url, "--state", str(tmp_path / "sync.json")],
                                env={"LRS_ENDPOINT": ""})
    assert result.exit_code == 2 and "LRS non configuré" in result.output
