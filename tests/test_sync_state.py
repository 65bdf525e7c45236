"""The sync state file: every shape an earlier version wrote reads as it did; a damaged file is one
line and stays as it is, never read as empty (which lost the set-aside statements, the actor form
and the statement home)."""

from __future__ import annotations

import json
from pathlib import Path
import tempfile
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import COURSES
from moodle_double import MoodleDouble
from packager.cli import sync as sync_command
from packager.lrs.client import LrsClient
from packager.moodle.client import MoodleClient
from packager.sync.engine import SyncEntry, SyncState
from packager.sync.site import Site
from packager.sync.state_file import StateUnreadable, read_entries

LRS = "https://lrs.example.fr/xapi"
SITE = Site("site:0123456789abcdef0123", "https://moodle.example.fr", "https://moodle.example.fr", True, True)
ADDRESS_KEY = SyncState.address_key("https://moodle.example.fr", LRS)
KEY = SyncState.key(SITE.key, None, LRS)
ASIDE = {"statement": {"id": "2f0c…", "verb": {"id": "http://adlnet.gov/expapi/verbs/passed"}}, "status": 400,
         "reason": "bad score", "learner": "agent1", "module": "messagerie/lire", "attempt": 2, "when": "2026-12-01T10:00:00+00:00"}


def reference_from_json(data: Any) -> SyncEntry:
    """``SyncEntry.from_json`` as it was before the state had a model (3c36729), for the shapes
    it was given: what the new reading must equal."""
    if isinstance(data, int) and not isinstance(data, bool) and data > 0:
        return SyncEntry(cursor=(data, 0), legacy_upto=data + 1)
    if not isinstance(data, dict):
        return SyncEntry()

    def key(value: Any) -> tuple[int, int]:
        ok = isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value)
        return (value[0], value[1]) if ok else (0, 0)

    recent = data.get("recent") if isinstance(data.get("recent"), dict) else {}
    aside = data.get("set_aside") if isinstance(data.get("set_aside"), list) else []
    actor = data.get("actor") if isinstance(data.get("actor"), str) else None
    legacy = data.get("legacy_upto") if isinstance(data.get("legacy_upto"), int) else None
    home = data.get("home") if isinstance(data.get("home"), str) and data.get("home") else None
    return SyncEntry(key(data.get("cursor")), key(data.get("read_upto")), actor, {str(k): int(v) for k, v in recent.items()},
                     [a for a in aside if isinstance(a, dict) and isinstance(a.get("statement"), dict)], legacy, home)


def open_file(tmp_path: Path, content: Any, url: str = "https://moodle.example.fr") -> SyncEntry:
    path = tmp_path / "sync.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return SyncState(path).open(SITE, url, None, LRS)[1]


#: one entry of each shape a version wrote, as it wrote it
LEGACY = {
    "first version: a bare time": (1795900020, SyncEntry(cursor=(1795900020, 0), legacy_upto=1795900021)),
    "first version: nothing sent yet": (0, SyncEntry()),
    "1.1.0": ({"cursor": [1795900020, 3], "read_upto": [1795900020, 3], "actor": "username", "recent": {"a1": 1795900020},
               "set_aside": [ASIDE]},
              SyncEntry((1795900020, 3), (1795900020, 3), "username", {"a1": 1795900020}, [ASIDE])),
    "1.1.0 taking over the first version": (
        {"cursor": [1795900020, 0], "read_upto": [0, 0], "actor": "email", "recent": {}, "set_aside": [], "legacy_upto": 1795900021},
        SyncEntry((1795900020, 0), (0, 0), "email", legacy_upto=1795900021)),
    "1.1.0, a set-aside statement without its date": ({"cursor": [5, 1], "set_aside": [{k: v for k, v in ASIDE.items() if k != "when"}]},
                                                       SyncEntry((5, 1), set_aside=[{k: v for k, v in ASIDE.items() if k != "when"}])),
    "missing optional keys": ({"cursor": [7, 2]}, SyncEntry(cursor=(7, 2))),
    "an empty entry": ({}, SyncEntry()),
}


@pytest.mark.parametrize("name", LEGACY)
def test_every_shape_an_earlier_version_wrote_reads_as_it_did(tmp_path, name) -> None:
    stored, expected = LEGACY[name]
    assert reference_from_json(stored) == expected
    # taken over from the address key, with the address its ids were built from
    assert open_file(tmp_path, {ADDRESS_KEY: stored}) == SyncEntry(**{**vars(expected), "home": "https://moodle.example.fr"})
    assert open_file(tmp_path, {KEY: stored}) == expected


def test_1_2_0_entries_keep_their_home_and_an_empty_home_is_none(tmp_path) -> None:
    entry = {"cursor": [9, 4], "read_upto": [9, 6], "actor": "username", "recent": {}, "set_aside": [], "home": "https://old.example"}
    assert open_file(tmp_path, {KEY: entry}).home == "https://old.example"
    assert open_file(tmp_path, {KEY: {**entry, "home": ""}}).home is None
    assert open_file(tmp_path, {KEY: {**entry, "home": None}}).home is None


KEYS = st.tuples(st.integers(0, 2**40), st.integers(0, 2**31)).map(list)
TEXT = st.text(max_size=12)
ITEMS = st.fixed_dictionaries({"statement": st.dictionaries(TEXT, TEXT, max_size=3)},
                              optional={"status": st.integers(100, 599), "reason": TEXT, "learner": TEXT, "module": TEXT,
                                        "attempt": st.integers(1, 99), "when": TEXT})
ENTRIES = st.one_of(st.integers(0, 2**40), st.fixed_dictionaries({}, optional={
    "cursor": KEYS, "read_upto": KEYS, "actor": st.none() | TEXT, "recent": st.dictionaries(TEXT, st.integers(0, 2**40), max_size=3),
    "set_aside": st.lists(ITEMS, max_size=3), "legacy_upto": st.integers(0, 2**40), "home": st.none() | TEXT}))


#: the machine is shared: drawing nested entries may be slow, it is not what is tested
SHAPES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SHAPES
@given(ENTRIES)
def test_any_entry_written_reads_as_before(stored) -> None:
    entries = read_entries_of({KEY: stored})
    assert SyncEntry.from_json(entries[KEY]) == reference_from_json(stored)


@SHAPES
@given(st.builds(SyncEntry, KEYS.map(tuple), KEYS.map(tuple), st.none() | TEXT, st.dictionaries(TEXT, st.integers(0, 2**40)),
                 st.lists(ITEMS, max_size=2), st.none() | st.integers(1, 2**40), st.none() | TEXT.filter(bool)))
def test_what_is_written_reads_back_the_same(entry) -> None:
    assert SyncEntry.from_json(read_entries_of({KEY: entry.to_json()})[KEY]) == entry


def read_entries_of(data: dict[str, Any]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sync.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        return read_entries(path)


def test_the_other_entries_are_written_back_as_they_were(tmp_path) -> None:
    others = {"https://other.example -> https://lrs.other/xapi": 1795000000,
              "site:ffff [rh] -> https://lrs.other/xapi": {"cursor": [3, 1], "actor": "email"}}
    path = tmp_path / "sync.json"
    path.write_text(json.dumps(others), encoding="utf-8")
    state = SyncState(path)
    key, entry = state.open(SITE, SITE.wwwroot, None, LRS)
    entry.cursor = (10, 2)
    state.put(key, entry)
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert {k: v for k, v in saved.items() if k != key} == others and saved[key]["cursor"] == [10, 2]


#: (file content, problem, where): what no version wrote
DAMAGED = [
    ('{"site:x [default] -> https://lrs": {"cursor": [1, 2]', "json", {"line": 1}),
    ("", "json", {"line": 1, "column": 1}),
    ("[1, 2]", "shape", {"got": "array"}),
    ("null", "shape", {"got": "null"}),
    (json.dumps({KEY: {"cursor": "1795900020"}}), "value", {"entry": KEY, "field": "cursor"}),
    (json.dumps({KEY: {"cursor": [1, 2, 3]}}), "value", {"entry": KEY, "field": "cursor"}),
    (json.dumps({KEY: {"recent": {"a": "x"}}}), "value", {"entry": KEY, "field": "recent.a"}),
    (json.dumps({KEY: {"set_aside": [{"status": 400}]}}), "value", {"entry": KEY, "field": "set_aside.0.statement"}),
    (json.dumps({KEY: {"cursor": [1, 2], "cursr": [3, 4]}}), "unknown", {"entry": KEY, "field": "cursr"}),
    (json.dumps({KEY: True}), "value", {"entry": KEY}),
    (json.dumps({KEY: "1795900020"}), "value", {"entry": KEY}),
    (json.dumps({KEY: None}), "value", {"entry": KEY}),
]


@pytest.mark.parametrize(("content", "problem", "where"), DAMAGED)
def test_a_damaged_file_is_refused_not_read_as_empty(tmp_path, content, problem, where) -> None:
    with pytest.raises(StateUnreadable) as caught:
        open_file(tmp_path, content)
    assert caught.value.problem == problem and where.items() <= caught.value.params.items(), caught.value.params


def test_sync_says_it_in_one_line_and_leaves_the_file_as_it_is(tmp_path, monkeypatch, capsys) -> None:
    """Was: the damaged file read as empty, every result sent again, and the file overwritten
    without its set-aside statements or its actor form."""
    double = MoodleDouble(token="T0K")
    served = double.serve()
    try:
        monkeypatch.setenv("COURSEPACK_CONFIG", str(tmp_path / "none.toml"))
        path = tmp_path / "sync.json"
        damaged = json.dumps({KEY: {"cursor": [1, 2], "actor": "username", "set_aside": [ASIDE]}})[:-9]
        path.write_text(damaged, encoding="utf-8")
        code = sync_command.run(COURSES, moodle_url=None, config_file=None, state=path,
                                moodle=MoodleClient(served.url, "T0K"), lrs=LrsClient("http://127.0.0.1:9/xapi/", "u", "p"))
    finally:
        served.close()
    out = capsys.readouterr()
    lines = out.err.splitlines()
    assert out.out == ""
    assert code == 2 and len(lines) == 1 and "\n" not in lines[0], lines
    assert lines[0].startswith(f"État de synchronisation illisible : {path} (pas du JSON valide, ligne 1, colonne ")
    assert "Il n'est ni remis à zéro ni réécrit." in lines[0] and "agent1" not in lines[0]
    assert path.read_text(encoding="utf-8") == damaged


def test_the_message_names_the_entry_and_the_field(tmp_path) -> None:
    t = {**sync_command._T["fr"]}
    exc = StateUnreadable(tmp_path / "s.json", "unknown", entry=KEY, field="cursr", got="array")
    assert sync_command._state_error(t, exc).startswith(
        f"État de synchronisation illisible : {tmp_path / 's.json'} (entrée « {KEY} » : clé « cursr » inconnue, "
        "écrite par une version plus récente de CoursePack ?). Il n'est ni remis à zéro ni réécrit.")
    exc = StateUnreadable(tmp_path / "s.json", "value", entry=KEY, field="cursor", got="string")
    assert f"(entrée « {KEY} », champ « cursor » : valeur inattendue (string))" in sync_command._state_error(t, exc)
    en = sync_command._state_error(sync_command._T["en"], exc)
    assert en.startswith("Unreadable sync state:") and "It is neither reset nor rewritten." in en
