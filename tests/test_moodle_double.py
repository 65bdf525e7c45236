"""The Moodle double answers the recorded requests as the real Moodle 5.2 did.

Exchanges from ../shared/moodle/exchanges are replayed in their recorded order against a fresh
double; answers must be equal where the recorded site's state is reproducible (ids, names, error
shapes) and have the same shape (keys and JSON types) elsewhere.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
import requests

from moodle_double import MoodleDouble, recorded


def shape(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: shape(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return type(value).__name__


@pytest.fixture
def server():
    double = MoodleDouble()
    served = double.serve()
    yield served
    served.close()


def replay(server, name: str, *, files: dict[str, bytes] | None = None, override: dict | None = None) -> requests.Response:
    request = recorded(name)["request"]
    form = {**(request.get("form") or {}), **(override or {})}
    if files is not None:
        return requests.post(server.url + request["path"], data=form,
                             files={field: (filename, content) for field, (filename, content) in files.items()})
    return requests.post(server.url + request["path"], data=list(form.items()))


def expected(name: str) -> Any:
    return recorded(name)["response"]["json"]


def package(size: int = 1433) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("imsmanifest.xml", "<manifest/>")
        archive.writestr("index.html", "x" * size)
    return buffer.getvalue()


def test_categories_and_courses_as_recorded(server) -> None:
    exact = ["03", "04", "05", "06", "10", "11", "12", "16", "17", "18", "19", "21", "22"]
    same_shape = ["07", "08", "14", "15", "20"]
    order = ["03", "04", "05", "06", "07", "08", "10", "11", "12", "14", "15", "16", "17", "18", "19", "20", "21", "22"]
    for number in order:
        name = next(p.stem for p in (recorded.__globals__["EXCHANGES"]).glob(f"{number}-*.json"))
        answer = replay(server, name)
        assert answer.status_code == 200
        assert answer.headers["Content-Type"] == "application/json"
        if number in exact:
            assert answer.json() == expected(name), name
        if number in same_shape:
            assert shape(answer.json()) == shape(expected(name)), name
    found = replay(server, "07-get-categories-by-idnumber-found").json()
    assert [(c["id"], c["idnumber"], c["parent"], c["path"]) for c in found] == [
        (c["id"], c["idnumber"], c["parent"], c["path"]) for c in expected("07-get-categories-by-idnumber-found")]
    course = replay(server, "20-get-courses-by-field-after-update").json()["courses"][0]
    recorded_course = expected("20-get-courses-by-field-after-update")["courses"][0]
    for key in ("id", "fullname", "shortname", "categoryid", "categoryname", "summary", "idnumber", "format", "enablecompletion", "lang"):
        assert course[key] == recorded_course[key], key


def test_errors_as_recorded(server) -> None:
    for name in ("60-error-bad-token", "61-error-function-not-in-service", "62-error-unknown-function",
                 "63-error-missing-required-parameter", "64-error-wrong-parameter-type"):
        answer = replay(server, name)
        assert (answer.status_code, answer.json()) == (200, expected(name)), name


def test_uploads_as_recorded(server) -> None:
    zip_bytes = package()
    first = replay(server, "25-upload-zip", files={"file_1": ("tiny-scorm12.zip", zip_bytes)})
    assert first.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert shape(first.json()) == shape(expected("25-upload-zip"))
    entry = first.json()[0]
    assert (entry["filename"], entry["filesize"], entry["userid"]) == ("tiny-scorm12.zip", len(zip_bytes), "2")
    again = replay(server, "27-upload-same-name-existing-itemid", files={"file_1": ("tiny-scorm12.zip", zip_bytes)},
                   override={"itemid": str(entry["itemid"])})
    assert shape(again.json()) == shape(expected("27-upload-same-name-existing-itemid"))
    assert again.json()[0]["errortype"] == "filenameexist"
    two = replay(server, "26-upload-two-files", files={"file_1": ("v2.zip", zip_bytes), "file_2": ("lisez-moi.txt", b"x" * 16)})
    assert [e["itemid"] for e in two.json()][0] == two.json()[1]["itemid"]
    bad = replay(server, "28-upload-bad-token", files={"file_1": ("tiny-scorm12.zip", zip_bytes)})
    assert bad.json() == expected("28-upload-bad-token")
    none = replay(server, "29-upload-no-file", files={})
    assert none.json() == [] and none.headers["Content-Type"].startswith("application/json")
    missing = replay(server, "30-upload-no-token", files={"file_1": ("tiny-scorm12.zip", zip_bytes)})
    assert missing.json() == expected("30-upload-no-token")


def test_scorm_activity_as_recorded(server) -> None:
    """The recorded SCORM was made by the reference CLI script; here the plugin's function makes it."""
    for name in ("04-create-categories", "05-create-categories-child", "12-create-courses"):
        replay(server, name)
    itemid = replay(server, "25-upload-zip", files={"file_1": ("tiny-scorm12.zip", package())}).json()[0]["itemid"]
    saved = requests.post(server.url + "/webservice/rest/server.php", data={
        "wstoken": "TOKEN", "wsfunction": "local_coursepack_save_scorm", "moodlewsrestformat": "json",
        "courseid": "12", "section": "1", "idnumber": "cp-agenda-scorm", "name": "Agenda partagé — module",
        "draftitemid": str(itemid), "settings[completionstatusrequired]": "6"}).json()
    assert saved["action"] == "created" and saved["revision"] == 1
    scorms = requests.post(server.url + "/webservice/rest/server.php", data={
        "wstoken": "TOKEN", "wsfunction": "mod_scorm_get_scorms_by_courses", "moodlewsrestformat": "json",
        "courseids[0]": "12"}).json()
    assert shape(scorms) == shape(expected("41-get-scorms-by-courses"))
    assert scorms["scorms"][0]["sha1hash"] == saved["sha1hash"]
    cm = replay(server, "38-get-course-module", override={"cmid": str(saved["cmid"])}).json()
    assert shape(cm) == shape(expected("38-get-course-module"))
    assert cm["cm"]["idnumber"] == "cp-agenda-scorm"
    assert replay(server, "40-get-course-module-unknown").json() == expected("40-get-course-module-unknown")


def test_webservices_disabled_as_recorded(server) -> None:
    server.double.webservices = False
    answer = replay(server, "69-error-webservices-disabled")
    assert (answer.status_code, answer.content) == (403, b"")
    upload = replay(server, "70-upload-webservices-disabled", files={"file_1": ("tiny-scorm12.zip", package())})
    assert upload.json() == expected("70-upload-webservices-disabled")


# --- the second recording (72 to 147): the publisher's token, text, rights, sections ------------------


@pytest.fixture
def publisher():
    def make(**options: Any):
        double = MoodleDouble(token="PUBLISHER_TOKEN", **options)
        return double, double.serve()
    servers = []

    def start(**options: Any):
        double, server = make(**options)
        servers.append(server)
        return double, server

    yield start
    for server in servers:
        server.close()


def answer(server, name: str, **override: str) -> Any:
    return replay(server, name, override=override).json()


TEXT_FIELDS = ("name", "description", "fullname", "displayname", "categoryname", "summary")


def texts(record: dict) -> dict:
    return {k: record[k] for k in TEXT_FIELDS if k in record}


def test_text_comes_back_formatted_unless_raw(publisher) -> None:
    """format_string on names (& → &amp;), format_text on HTML texts (<script> removed, &#x27;
    decoded), and the stored values with moodlewssettingraw=1 (75 to 84)."""
    _, server = publisher()
    category = answer(server, "75-create-categories-text")[0]
    assert category["name"] == expected("75-create-categories-text")[0]["name"]
    ident = str(category["id"])
    assert texts(answer(server, "76-get-categories-text")[0]) == texts(expected("76-get-categories-text")[0])
    assert texts(answer(server, "77-get-categories-text-raw")[0]) == texts(expected("77-get-categories-text-raw")[0])
    course = answer(server, "79-create-courses-text-html", **{"courses[0][categoryid]": ident})[0]
    formatted = answer(server, "82-get-courses-by-field-id-text-html", value=str(course["id"]))["courses"][0]
    assert texts(formatted) == texts(expected("82-get-courses-by-field-id-text-html")["courses"][0])
    raw = answer(server, "84-get-courses-by-field-text-html-raw")["courses"][0]
    assert texts(raw) == texts(expected("84-get-courses-by-field-text-html-raw")["courses"][0])
    refused = answer(server, "80-create-courses-fullname-with-tags", **{"courses[0][categoryid]": ident})
    assert refused["errorcode"] == expected("80-create-courses-fullname-with-tags")["errorcode"]


def test_missing_rights_as_recorded(publisher) -> None:
    """Without moodle/course:setforcedlanguage, lang is dropped on create and refused with a
    warning on update (106, 107, 110); without moodle/course:view, the three shapes (112, 113)."""
    double, server = publisher(languages=("en", "fr"), missing_capabilities=("moodle/course:setforcedlanguage",))
    category = answer(server, "75-create-categories-text")[0]
    created = answer(server, "106-create-courses-lang-fr-without-capability", **{"courses[0][categoryid]": str(category["id"])})
    assert created[0]["shortname"] == expected("106-create-courses-lang-fr-without-capability")[0]["shortname"]
    read = answer(server, "107-get-courses-by-field-lang-dropped")["courses"][0]
    assert read["lang"] == expected("107-get-courses-by-field-lang-dropped")["courses"][0]["lang"] == ""
    warned = answer(server, "110-update-courses-lang-fr-without-capability", **{"courses[0][id]": str(created[0]["id"])})
    assert [w["warningcode"] for w in warned["warnings"]] == ["nopermissions"]
    double.capabilities.discard("moodle/course:view")
    refused = answer(server, "112-save-scorm-without-course-view", courseid=str(created[0]["id"]))
    assert (refused["errorcode"], refused["message"]) == (expected("112-save-scorm-without-course-view")["errorcode"],
                                                          expected("112-save-scorm-without-course-view")["message"])
    scorms = answer(server, "113-get-scorms-by-courses-without-course-view", **{"courseids[0]": str(created[0]["id"])})
    assert scorms["scorms"] == [] and [w["warningcode"] for w in scorms["warnings"]] == ["1"]


def test_plugin_errors_and_section_gaps(publisher) -> None:
    double, server = publisher()
    category = answer(server, "75-create-categories-text")[0]
    course = answer(server, "81-create-courses-text-plain", **{"courses[0][categoryid]": str(category["id"]),
                                                                "courses[1][categoryid]": str(category["id"])})[0]
    cid = str(course["id"])
    for name in ("97-save-scorm-name-with-tags", "99-save-scorm-new-without-package", "100-save-scorm-unknown-course",
                 "101-save-scorm-empty-draft"):
        override = {} if name.startswith("100") else {"courseid": cid}
        assert answer(server, name, **override)["errorcode"] == expected(name)["errorcode"], name
    draft = requests.post(server.url + "/webservice/upload.php", data={"token": "PUBLISHER_TOKEN", "itemid": "0"},
                          files={"file_1": ("p.zip", package())}).json()[0]["itemid"]
    created = answer(server, "120-save-scorm-section-beyond-last", courseid=cid, draftitemid=str(draft))
    assert created["action"] == "created"
    numbers = [s["section"] for s in double.courses[course["id"]]["_sections"]]
    assert numbers == [0, 1, 2, 3, 5]  # only the section asked for is created (121)
    long_id = answer(server, "98-save-scorm-idnumber-too-long", courseid=cid, draftitemid=str(draft))
    assert long_id["errorcode"] == "idnumbertoolong"  # the plugin now checks before writing (was dmlwriteexception)
