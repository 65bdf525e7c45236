"""The same publish against a live Moodle with the plugin installed (MOODLE_URL, MOODLE_TOKEN).

Run against a test site: it publishes the embedded catalogue, then an edited copy, then the
catalogue again. Skipped, saying why, when the variables are unset (CI has no Moodle).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import threading

import pytest
from click.testing import CliRunner

from conftest import COURSES
from lrs_support import ralph  # noqa: F401 - fixture
from packager.cli import cli
from packager.moodle.client import MoodleClient
from packager.moodle.errors import MoodleError
from packager.moodle.functions import GET_STATE
from packager.moodle.plugin_version import shipped_plugin
from packager.moodle.idnumbers import Namespace
from packager.publish.lock import LockBusy, PublishLock

LIVE = os.environ.get("MOODLE_URL") and os.environ.get("MOODLE_TOKEN")
pytestmark = pytest.mark.skipif(not LIVE, reason="MOODLE_URL and MOODLE_TOKEN are not set: no live Moodle to publish to")

EDITED_MODULE = "coursepack:conges-absences/poser-un-conge"


def invoke(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert os.environ["MOODLE_TOKEN"] not in result.output
    return result


def revisions() -> dict[str, set[int]]:
    state = MoodleClient(os.environ["MOODLE_URL"], os.environ["MOODLE_TOKEN"]).call(GET_STATE)
    found: dict[str, set[int]] = {}
    for activity in state["activities"]:
        found.setdefault(activity["idnumber"], set()).add(activity["revision"])
    return found


def test_doctor_all_green(tmp_path) -> None:
    doctor = invoke("doctor", "--out", str(tmp_path / "dist"))
    assert "✗" not in doctor.output.split("– LRS")[0], doctor.output


def test_publish_then_republish_writes_nothing(tmp_path) -> None:
    first = invoke("publish", "--out", str(tmp_path / "dist"))
    assert first.exit_code == 0, first.output
    # another output folder: nothing about the site is remembered there
    second = invoke("publish", "--out", str(tmp_path / "other"))
    assert second.exit_code == 0 and "Moodle est déjà à jour." in second.output, second.output


def test_one_page_edited_gives_one_upload_and_a_new_revision(tmp_path) -> None:
    assert invoke("publish", "--out", str(tmp_path / "dist")).exit_code == 0
    before = revisions()[EDITED_MODULE]
    catalogue = tmp_path / "courses"
    shutil.copytree(COURSES, catalogue)
    course = catalogue / "outils" / "conges-absences.yml"
    course.write_text(course.read_text(encoding="utf-8").replace(
        "Faites votre demande **au moins 15 jours avant**", "Faites votre demande **au moins trois semaines avant**"),
        encoding="utf-8")
    try:
        edited = invoke("publish", str(catalogue), "--out", str(tmp_path / "edited"))
        assert edited.exit_code == 0, edited.output
        assert "paquets déposés 1." in edited.output, edited.output
        assert revisions()[EDITED_MODULE] == {max(before) + 1}
    finally:  # the site back to the embedded catalogue: one more upload, one more revision
        restored = invoke("publish", "--out", str(tmp_path / "dist"))
        assert restored.exit_code == 0, restored.output


# --- the plugin's PHP, run by the real Moodle ----------------------------------------------------------------

def test_the_plugin_runs_the_version_the_database_holds() -> None:
    """get_status reads version.php through the web server's OPcache: after an upgrade, the code
    that answers is the new one (or doctor says to reload PHP-FPM)."""
    status = publisher().call("local_coursepack_get_status", capabilities=["moodle/course:update"])
    assert status["dbversion"] == status["codeversion"] == status["version"] == shipped_plugin().version


def test_the_publish_lease_is_exclusive_renewable_and_per_catalogue() -> None:
    catalogue = f"live-{secrets.token_hex(3)}"
    mine, theirs = (PublishLock(publisher(), Namespace(catalogue), host=host) for host in ("poste-a", "poste-b"))
    mine.acquire(0)
    try:
        with pytest.raises(LockBusy) as busy:
            theirs.acquire(0)
        assert busy.value.holder.host == "poste-a" and busy.value.holder.name  # the token's user's full name
        since = busy.value.holder.since
        renewed = publisher().call("local_coursepack_acquire_publish_lock", catalogue=catalogue, leaseid=mine.leaseid,
                                   host="poste-a", duration=60)
        assert renewed["acquired"] and renewed["since"] == since  # a renewal keeps the start time
        other = PublishLock(publisher(), Namespace(f"{catalogue}-x"), host="poste-c")
        other.acquire(0)  # another catalogue is not blocked
        other.release()
    finally:
        mine.release()
    theirs.acquire(0)  # given back: the next run takes it at once
    theirs.release()


def test_save_scorm_creates_one_activity_when_called_twice_at_once(tmp_path) -> None:
    """Two runs saving one new activity at the same moment: the look-up and the creation happen
    under the course's lock, so Moodle holds one activity and the other call finds it."""
    assert invoke("build", "--format", "scorm12", "--out", str(tmp_path / "dist")).exit_code == 0
    client = publisher()
    # a course of its own, outside every catalogue: the catalogue's courses and grades stay as published
    tag = secrets.token_hex(3)
    course = client.call("core_course_create_courses", courses=[{"fullname": f"Course de vitesse {tag}",
                                                                  "shortname": f"race-{tag}", "categoryid": 1}])[0]
    package = next((tmp_path / "dist").glob("agenda.consulter-son-agenda.scorm12.zip"))
    idnumber = f"race-{tag}"
    drafts = [client.upload(package.name, package.read_bytes()) for _ in range(2)]
    answers: list = [None, None]

    def save(index: int) -> None:
        try:
            answers[index] = publisher().call("local_coursepack_save_scorm", courseid=course["id"], section=1,
                                              idnumber=idnumber, name="Course de vitesse", draftitemid=drafts[index])
        except MoodleError as exc:  # the course's lock busy for too long: refused, nothing created
            answers[index] = exc

    threads = [threading.Thread(target=save, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    scorms = client.call("mod_scorm_get_scorms_by_courses", courseids=[course["id"]])["scorms"]
    assert len(scorms) == 1, answers
    assert sorted(a["action"] for a in answers if isinstance(a, dict)) in (["created", "unchanged"], ["created", "updated"])


def test_save_scorm_refuses_an_id_number_moodle_cannot_store() -> None:
    """course_modules.idnumber holds 100 characters: refused before anything is written."""
    course = next(c for c in publisher().call(GET_STATE)["courses"] if c["idnumber"] == QUIZ_COURSE)
    with pytest.raises(MoodleError) as refused:
        publisher().call("local_coursepack_save_scorm", courseid=course["id"], idnumber="coursepack:" + "x" * 90,
                         name="Trop long")
    assert refused.value.errorcode == "idnumbertoolong"


def test_the_app_s_public_config_is_as_the_double_gives_it() -> None:
    """What doctor reads the way the Moodle app does (no token): the double answers the same fields."""
    from moodle_double import MoodleDouble

    live = publisher().public_call("tool_mobile_get_public_config")
    assert set(MoodleDouble.PUBLIC_CONFIG) <= set(live)
    assert isinstance(live["enablemobilewebservice"], int)


def test_two_catalogues_coexist_on_the_site(tmp_path) -> None:
    """A second catalogue (id: …) gets its own categories, courses and activities; the default
    catalogue's are neither listed to it, renamed nor touched."""
    assert invoke("publish", "--out", str(tmp_path / "dist")).exit_code == 0
    before = publisher().call(GET_STATE)
    catalogue_id = f"live-{secrets.token_hex(3)}"
    other = tmp_path / "other"
    shutil.copytree(COURSES, other)
    settings = other / "catalogue.yml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("site_name:", f"id: {catalogue_id}\nsite_name:", 1)
                        .replace("root: Formations numériques", f"root: Catalogue {catalogue_id}"), encoding="utf-8")
    published = invoke("publish", str(other), "--out", str(tmp_path / "other-dist"))
    assert published.exit_code == 0, published.output
    theirs = publisher().call(GET_STATE, catalogue=catalogue_id)
    assert {c["idnumber"] for c in theirs["categories"]} == {f"coursepack:{catalogue_id}:{n}" for n in ("root", "tools", "jobs")}
    assert all(c["shortname"].startswith(f"{catalogue_id}-") for c in theirs["courses"])
    mine = {a["idnumber"].split(":", 1)[1] for a in before["activities"]}
    assert theirs["activities"] and {a["idnumber"].split(":", 2)[2] for a in theirs["activities"]} <= mine
    assert publisher().call(GET_STATE) == before  # the default catalogue: not one field changed
    again = invoke("publish", "--out", str(tmp_path / "dist"))
    assert "Moodle est déjà à jour." in again.output, again.output


# --- a learner in Moodle's own SCORM player (MOODLE_LEARNER_USER / MOODLE_LEARNER_PASSWORD) -----------------

LEARNER = os.environ.get("MOODLE_LEARNER_USER"), os.environ.get("MOODLE_LEARNER_PASSWORD")
QUIZ_COURSE, QUIZ_MODULE = "coursepack:agenda", "coursepack:agenda/consulter-son-agenda"
OTHER_MODULE = "coursepack:agenda/planifier-une-reunion"
#: consulter-son-agenda's quiz (courses/outils/agenda.yml), answered right or wrong
ANSWERS = {
    True: {"#q-voir-la-semaine": ["La vue Semaine."], "#q-meme-agenda": ["Vrai"],
           "#q-details": ["L'heure de début et de fin.", "Le lieu ou le lien de la visio.", "Les participants."]},
    False: {"#q-voir-la-semaine": ["La vue Jour."], "#q-meme-agenda": ["Faux"], "#q-details": ["Votre solde de congés."]},
}


def publisher() -> MoodleClient:
    return MoodleClient(os.environ["MOODLE_URL"], os.environ["MOODLE_TOKEN"])


def activity(idnumber: str, course: str = QUIZ_COURSE) -> dict:
    state = publisher().call(GET_STATE)
    course_id = next(c["id"] for c in state["courses"] if c["idnumber"] == course)
    return next(a for a in state["activities"] if a["idnumber"] == idnumber and a["courseid"] == course_id)


def all_results() -> list[dict]:
    """Every attempt the plugin lists, page by page along its keyset, as sync reads them."""
    found, since, after = [], 0, 0
    while True:
        page = publisher().call("local_coursepack_get_results", since=since, afterid=after, perpage=5000,
                                identity=["username"])
        found += page["results"]
        if not page["hasmore"] or not page["results"]:
            return found
        since, after = page["results"][-1]["timemodified"], page["results"][-1]["attemptid"]


def attempts(cmid: int) -> list[dict]:
    """The learner's attempts at this activity."""
    mine = [r for r in all_results() if r["cmid"] == cmid and r.get("username") == LEARNER[0]]
    return sorted(mine, key=lambda r: r["attempt"])


@contextlib.contextmanager
def _logged_in(username: str, password: str):
    """A phone-sized page of Debian's Chromium, logged into the live Moodle as this learner."""
    from browser_support import require_browser

    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 390, "height": 800})
        page.goto(os.environ["MOODLE_URL"] + "/login/index.php")
        page.fill("#username", username)
        page.fill("#password", password)
        page.click("#loginbtn")
        page.wait_for_load_state("networkidle")
        yield page
        browser.close()


@pytest.fixture
def learner():
    if not all(LEARNER):
        pytest.skip("MOODLE_LEARNER_USER and MOODLE_LEARNER_PASSWORD are not set: no learner to play as")
    with _logged_in(*LEARNER) as page:
        yield page


def sco(page, cmid: int):
    """Open the activity as a learner does; Moodle skips its entry page and shows our player."""
    page.goto(f"{os.environ['MOODLE_URL']}/mod/scorm/view.php?id={cmid}")
    page.wait_for_load_state("networkidle")
    assert "mode=review" not in page.url, "the learner landed in Review mode"
    frame = page.frame_locator("#scorm_object")
    frame.locator("html.cp-js").wait_for(state="attached", timeout=20000)
    return frame


def leave(page) -> None:
    """Back to the course page: the player finishes (LMSFinish) and Moodle stores the attempt."""
    page.goto(f"{os.environ['MOODLE_URL']}/my/courses.php")
    page.wait_for_load_state("networkidle")


def assert_total_is_the_quizzes(items: list[dict]) -> None:
    """Moodle's course total (natural, graded items only) is the sum of the quizzes' grades:
    an activity without a quiz has a maximum of 0 and adds nothing (the intro counted 0/100)."""
    graded = [i for i in items if i["itemtype"] == "mod" and i.get("graderaw") is not None]
    total = next(i for i in items if i["itemtype"] == "course")
    assert total["graderaw"] == sum(i["graderaw"] for i in graded), (total, graded)
    assert total["grademax"] == sum(i["grademax"] for i in graded), (total, graded)


def enrol(page, course_id: int) -> None:
    """The catalogue's way in: self-enrolment, one button the first time."""
    page.goto(f"{os.environ['MOODLE_URL']}/course/view.php?id={course_id}")
    page.wait_for_load_state("networkidle")
    if "enrol/index.php" in page.url:
        # 5.x: a <button> in the self instance's box; 4.5: the form's <input type="submit" id="id_submitbutton">
        page.locator(".enrol-instance[data-enrol=self] button[type=submit], "
                     "form:has(input[name$='_enrol_self_enrol_form']) input[type=submit]").first.click()
        page.wait_for_load_state("networkidle")
    assert f"course/view.php?id={course_id}" in page.url


def take_quiz(frame, right: bool) -> None:
    while not frame.locator(".cp-question").first.is_visible():
        frame.locator("#cp-next").click()
    for question, labels in ANSWERS[right].items():
        for label in labels:
            frame.locator(f"{question} label", has_text=label).click()
    for check in frame.locator(".cp-check").all():
        if check.is_visible():
            check.click()


def test_a_learner_enrols_fails_retries_passes_and_resumes(learner, tmp_path) -> None:
    assert invoke("publish", "--out", str(tmp_path / "dist")).exit_code == 0
    quiz = activity(QUIZ_MODULE)
    page = learner
    enrol(page, quiz["courseid"])
    headings = page.locator(".course-section .sectionname").all_text_contents()
    assert [h.strip() for h in headings][1:3] == ["Consulter son agenda", "Organiser une réunion et répondre aux invitations"]
    before = len(attempts(quiz["cmid"]))
    # fails, leaves, comes back: a new attempt, never Review mode
    take_quiz(sco(page, quiz["cmid"]), right=False)
    leave(page)
    failed = attempts(quiz["cmid"])
    assert len(failed) == before + 1 and failed[-1]["lessonstatus"] == "failed", failed[-1:]
    frame = sco(page, quiz["cmid"])
    take_quiz(frame, right=True)
    frame.locator("#cp-next").click() if frame.locator("#cp-next").is_visible() else None
    leave(page)
    passed = attempts(quiz["cmid"])
    assert len(passed) == before + 2 and passed[-1]["lessonstatus"] == "passed", passed[-1:]
    assert float(passed[-1]["scoreraw"]) == 100.0
    # Moodle's completion and gradebook say the same
    completion = publisher().call("core_completion_get_activities_completion_status", courseid=quiz["courseid"],
                                  userid=passed[-1]["userid"])
    state = next(s for s in completion["statuses"] if s["cmid"] == quiz["cmid"])
    assert state["state"] >= 1, state
    grades = publisher().call("gradereport_user_get_grade_items", courseid=quiz["courseid"], userid=passed[-1]["userid"])
    items = grades["usergrades"][0]["gradeitems"]
    assert next(i for i in items if i.get("cmid") == quiz["cmid"])["graderaw"] == 100
    assert_total_is_the_quizzes(items)
    # a job path: the intro read (no quiz, no grade) and one quiz passed make a full course total (it said 50 %)
    job_intro = activity("coursepack:agent-voirie/intro", "coursepack:agent-voirie")
    job_quiz = activity(QUIZ_MODULE, "coursepack:agent-voirie")
    enrol(page, job_intro["courseid"])
    frame = sco(page, job_intro["cmid"])
    while frame.locator("#cp-next").is_visible():
        frame.locator("#cp-next").click()
    leave(page)
    take_quiz(sco(page, job_quiz["cmid"]), right=True)
    leave(page)
    items = publisher().call("gradereport_user_get_grade_items", courseid=job_intro["courseid"],
                             userid=passed[-1]["userid"])["usergrades"][0]["gradeitems"]
    assert next(i for i in items if i.get("cmid") == job_intro["cmid"])["grademax"] == 0
    assert_total_is_the_quizzes(items)
    assert next(i for i in items if i.get("cmid") == job_quiz["cmid"])["graderaw"] == 100
    # leaves mid-way through another module, and resumes where they were
    other = activity(OTHER_MODULE)
    frame = sco(page, other["cmid"])
    if frame.locator("#cp-next").is_visible():  # an earlier run may have left the learner further on
        frame.locator("#cp-next").click()
    where = frame.locator("#cp-progress-text").text_content()
    leave(page)
    assert sco(page, other["cmid"]).locator("#cp-progress-text").text_content() == where
    leave(page)


def test_the_learner_s_results_reach_ralph(learner, ralph, tmp_path) -> None:  # noqa: F811
    """After the learner flow: sync the live Moodle's results into a Ralph started by the tests;
    the learner's failed and passed attempts are there, each once."""
    from lrs_support import PASSWORD, USERNAME

    env = {"LRS_ENDPOINT": ralph.endpoint, "LRS_USERNAME": USERNAME, "LRS_PASSWORD": PASSWORD}
    result = CliRunner(env=env).invoke(cli, ["sync", "--state", str(tmp_path / "sync.json")])
    assert result.exit_code == 0, result.output
    assert os.environ["MOODLE_TOKEN"] not in result.output and PASSWORD not in result.output
    mine = [s for s in ralph.statements() if s["actor"].get("account", {}).get("name") == LEARNER[0]]
    verbs = {s["verb"]["id"].rsplit("/", 1)[-1] for s in mine if s["object"]["id"].endswith("consulter-son-agenda")}
    assert {"failed", "passed"} <= verbs, verbs
    assert len({s["id"] for s in mine}) == len(mine)
    again = CliRunner(env=env).invoke(cli, ["sync", "--state", str(tmp_path / "sync.json")])
    assert again.exit_code == 0, again.output
    assert len([s for s in ralph.statements() if s["actor"].get("account", {}).get("name") == LEARNER[0]]) == len(mine)


def test_the_report_agrees_with_moodle_s_completion(learner, ralph, tmp_path) -> None:  # noqa: F811
    """docs/report.md's "Completed" per module, computed from the LRS, against Moodle's own
    activity completion of every learner with results (after the learner flow above)."""
    import csv
    import io

    from lrs_support import PASSWORD, USERNAME

    env = {"LRS_ENDPOINT": ralph.endpoint, "LRS_USERNAME": USERNAME, "LRS_PASSWORD": PASSWORD}
    assert CliRunner(env=env).invoke(cli, ["sync", "--state", str(tmp_path / "sync.json")]).exit_code == 0
    out = tmp_path / "report.html"
    report = CliRunner(env=env).invoke(cli, ["report", "--out", str(out), "--csv", str(tmp_path / "report.csv"),
                                             "--store", str(tmp_path / "store.sqlite")])
    assert report.exit_code == 0, report.output
    notice, table = (tmp_path / "report.csv").read_text(encoding="utf-8").split("\n", 1)  # the personal-data line first
    assert notice.startswith("# DONNÉES PERSONNELLES"), notice
    rows = {r["identifiant"]: r for r in csv.DictReader(io.StringIO(table), delimiter=";") if r["niveau"] == "module"}
    state = publisher().call(GET_STATE)
    modules = {a["cmid"]: Namespace().module_key(a["idnumber"]) for a in state["activities"]}
    completed: dict[str, set[int]] = {}
    for userid, courseid in {(r["userid"], r["courseid"]) for r in all_results()}:
        statuses = publisher().call("core_completion_get_activities_completion_status", courseid=courseid, userid=userid)
        for status in statuses["statuses"]:
            if status["cmid"] in modules and status["state"] >= 1:
                completed.setdefault(modules[status["cmid"]], set()).add(userid)
    assert completed, "the learner flow completed something"
    for key, learners in completed.items():
        assert rows[key]["termine"] == str(len(learners)), (key, rows[key])
    for key, row in rows.items():
        assert int(row["termine"]) == len(completed.get(key, ())), (key, row)


# --- the plugin leaves Moodle's schema alone; one site at two addresses (issue 16) ------------------

MOODLE_DIR = os.environ.get("MOODLE_DIR") or os.environ.get("MOODLE_CODE_DIR")


def moodle_cli(*args: str):
    """``php <script>`` in the Moodle code folder, as the web server's user when run as root
    (MOODLE_CLI_USER, default www-data): root would leave cache files the site cannot write."""
    import subprocess

    if not MOODLE_DIR:
        pytest.skip("MOODLE_DIR (or MOODLE_CODE_DIR) is not set: the Moodle code folder is needed to run its CLI")
    user = os.environ.get("MOODLE_CLI_USER", "www-data")
    command = ["php", *args]
    if os.geteuid() == 0 and shutil.which("sudo"):
        command = ["sudo", "-u", user, *command]
    return subprocess.run(command, cwd=MOODLE_DIR, capture_output=True, text=True, timeout=600)


def test_moodle_s_schema_check_passes_with_the_plugin() -> None:
    """1.1.0 added two indexes to mod_scorm's scorm_scoes_value: the check exited 1 with
    « Unexpected index ». 1.2.0 keeps its own table (db/install.xml) and drops them on upgrade."""
    check = moodle_cli("admin/cli/check_database_schema.php")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "Database structure is ok" in check.stdout


def test_a_new_attempt_is_listed_and_nothing_is_lost(learner, tmp_path) -> None:
    """The plugin lists through its own table of changed attempts, fed by mod_scorm's events: a
    learner's new attempt is there at once, with every attempt listed before it."""
    assert invoke("publish", "--out", str(tmp_path / "dist")).exit_code == 0
    quiz = activity(QUIZ_MODULE)
    enrol(learner, quiz["courseid"])
    before = all_results()
    take_quiz(sco(learner, quiz["cmid"]), right=False)
    leave(learner)
    after = all_results()
    known = {r["attemptid"] for r in before}
    assert known <= {r["attemptid"] for r in after}  # nothing lost
    mine = [r for r in after if r["attemptid"] not in known and r["cmid"] == quiz["cmid"] and r.get("username") == LEARNER[0]]
    assert mine and mine[-1]["lessonstatus"] == "failed", mine
    keys = [(r["timemodified"], r["attemptid"]) for r in after]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)


def _other_address(url: str) -> str | None:
    for one, other in (("127.0.0.1", "localhost"), ("localhost", "127.0.0.1")):
        if f"//{one}" in url:
            return url.replace(f"//{one}", f"//{other}", 1)
    return None


def test_the_same_site_at_another_address_sends_nothing_twice(ralph, tmp_path) -> None:  # noqa: F811
    """Ids built from the address: 127.0.0.1 then localhost doubled the LRS. The site is named by
    what it says of itself (the plugin's site identifier and statement home)."""
    from lrs_support import PASSWORD, USERNAME

    from packager.moodle.errors import MoodleUnreachable

    url = os.environ["MOODLE_URL"]
    other = _other_address(url)
    if other is None:
        pytest.skip(f"{url} is neither 127.0.0.1 nor localhost: no second address to try")
    try:
        MoodleClient(other, os.environ["MOODLE_TOKEN"]).call("core_webservice_get_site_info")
    except MoodleUnreachable as exc:
        pytest.skip(f"Moodle does not answer at {other} ({exc}): it redirects to its wwwroot; a site reached at "
                    "several addresses has $CFG->reverseproxy or a wwwroot taken from the host")
    if not all_results():
        pytest.skip("no results on the site yet: run the learner tests first")
    env = {"LRS_ENDPOINT": ralph.endpoint, "LRS_USERNAME": USERNAME, "LRS_PASSWORD": PASSWORD}

    def sync_at(address: str, state: str):
        result = CliRunner(env=env).invoke(cli, ["sync", "--moodle-url", address, "--state", str(tmp_path / state)])
        assert result.exit_code == 0, result.output
        return result

    sync_at(url, "sync.json")
    count = len(ralph.statements())
    assert count > 0
    again = sync_at(other, "sync.json")
    assert "0 déclaration envoyée, 0 déjà dans le LRS" in again.output, again.output
    lost = sync_at(other, "other-machine.json")
    assert "0 déclaration envoyée" in lost.output, lost.output
    assert len(ralph.statements()) == count
    assert {s["actor"]["account"]["homePage"] for s in ralph.statements()} == {url.rstrip("/")}


SET_STATUS = r"""
define('CLI_SCRIPT', true);
require('config.php');
require_once($CFG->dirroot . '/mod/scorm/locallib.php');
$attempt = $DB->get_record('scorm_attempt', ['id' => (int) $argv[1]], '*', MUST_EXIST);
$sco = $DB->get_record_select('scorm_scoes', "scorm = ? AND scormtype = 'sco'", [$attempt->scormid], '*', IGNORE_MULTIPLE);
$element = $DB->get_field('scorm_element', 'id', ['element' => 'cmi.core.lesson_status']);
echo (string) $DB->get_field('scorm_scoes_value', 'value', ['attemptid' => $attempt->id, 'scoid' => $sco->id, 'elementid' => $element]);
scorm_insert_track($attempt->userid, $attempt->scormid, $sco->id, $attempt, 'cmi.core.lesson_status', $argv[2]);
"""


def test_every_status_moodle_stores_is_listed() -> None:
    """PARAM_ALPHAEXT refused "not attempted" (Moodle's own players store it): the whole call
    failed with invalidresponse and the cursor could never pass it. Written as Moodle's player
    writes it (scorm_insert_track), the status is listed, and the attempt is listed again."""
    before = [r for r in all_results() if r.get("username") == LEARNER[0]]
    if not before:
        pytest.skip("no attempt of the learner on the site yet: run the learner tests first")
    attempt = before[-1]["attemptid"]
    written = moodle_cli("-r", SET_STATUS, "--", str(attempt), "not attempted")
    assert written.returncode == 0, written.stdout + written.stderr
    try:
        listed = {r["attemptid"]: r for r in all_results()}[attempt]
        assert listed["lessonstatus"] == "not attempted", listed
        assert listed["timemodified"] >= before[-1]["timemodified"]  # changed: listed again after the cursor
    finally:
        moodle_cli("-r", SET_STATUS, "--", str(attempt), written.stdout or "incomplete")


# --- answers typed in Moodle's SCORM player reach the LRS and the report (issue 17) -------------------

LEARNER2 = os.environ.get("MOODLE_LEARNER2_USER"), os.environ.get("MOODLE_LEARNER2_PASSWORD")
QUESTIONS = ("voir-la-semaine", "meme-agenda", "details")
#: what ANSWERS types, as the player records it (choice indexes in the YAML's order) in xAPI's format
TYPED = {False: ("1", "false", "3"), True: ("0", "true", "0[,]1[,]2")}


@pytest.fixture
def learner2():
    if not all(LEARNER2):
        pytest.skip("MOODLE_LEARNER2_USER and MOODLE_LEARNER2_PASSWORD are not set: no second learner")
    with _logged_in(*LEARNER2) as page:
        yield page


def _expected_items(results: list[dict], module: str) -> dict[str, tuple[str, str, str, str]]:
    """docs/report.md's item analysis computed here from Moodle's own interactions (every learner's):
    (answered, right at first try, right in the end, mean tries) per question id."""
    tries: dict[str, dict[str, list[tuple[int, int, bool]]]] = {}
    attempts: dict[str, set[int]] = {}
    for r in results:
        if r["cmidnumber"] != module:
            continue
        for i in r.get("interactions", []):
            tries.setdefault(i["id"], {}).setdefault(r["username"], []).append(
                (i["timemodified"], r["attemptid"] * 10000 + i["index"], i["result"] == "correct"))
            attempts.setdefault(i["id"], set()).add(r["attemptid"])
    found = {}
    for question, learners in tries.items():
        ordered = [sorted(t) for t in learners.values()]
        n = len(ordered)
        found[question] = (str(n), f"{sum(t[0][2] for t in ordered) / n:.3f}", f"{sum(t[-1][2] for t in ordered) / n:.3f}",
                           f"{sum(len(t) for t in ordered) / len(attempts[question]):.2f}")
    return found


def test_answers_typed_in_moodle_s_player_reach_the_lrs_and_the_report(learner2, ralph, tmp_path) -> None:  # noqa: F811
    """A learner answers wrong, retries in the same attempt and answers right, then leaves another
    module on its second page; sync: the six answers (one per try) and the page are in Ralph as
    docs/report.md says, and the report's question figures are those of Moodle's interactions."""
    from lrs_support import PASSWORD, USERNAME

    assert invoke("publish", "--out", str(tmp_path / "dist")).exit_code == 0
    quiz, other = activity(QUIZ_MODULE), activity(OTHER_MODULE)
    page = learner2
    enrol(page, quiz["courseid"])
    frame = sco(page, quiz["cmid"])
    take_quiz(frame, right=False)
    frame.locator("#cp-retry").click()
    take_quiz(frame, right=True)
    leave(page)
    frame = sco(page, other["cmid"])
    if frame.locator("#cp-progress-text").text_content().startswith("Page 1"):
        frame.locator("#cp-next").click()
    frame.locator("#cp-progress-text", has_text="2").wait_for()
    leave(page)
    mine = attempts_of(LEARNER2[0], quiz["cmid"])[-1]
    assert [(i["id"], i["result"]) for i in mine["interactions"]][-6:] == [
        *[(q, "wrong") for q in QUESTIONS], *[(q, "correct") for q in QUESTIONS]]

    env = {"LRS_ENDPOINT": ralph.endpoint, "LRS_USERNAME": USERNAME, "LRS_PASSWORD": PASSWORD}
    synced = CliRunner(env=env).invoke(cli, ["sync", "--state", str(tmp_path / "sync.json")])
    assert synced.exit_code == 0, synced.output
    statements = [s for s in ralph.statements() if s["actor"].get("account", {}).get("name") == LEARNER2[0]]
    module_iri = "https://formation.cc-troisvallees.fr/xapi/agenda/consulter-son-agenda"
    answered = [s for s in statements if s["verb"]["id"].endswith("/answered") and s["object"]["id"].startswith(module_iri + "/")]
    latest = max(answered, key=lambda s: s["timestamp"])["context"]["registration"]  # this run's attempt
    answers = sorted((s for s in answered if s["context"]["registration"] == latest), key=lambda s: s["timestamp"])
    verdicts = {s["verb"]["id"].rsplit("/", 1)[-1] for s in statements
                if s["object"]["id"] == module_iri and s["context"]["registration"] == latest}
    assert verdicts == {"passed"}, verdicts  # the same attempt: its answers and its verdict share the registration
    assert [(s["object"]["id"].rsplit("/", 1)[-1], s["result"]["response"], s["result"]["success"]) for s in answers][-6:] == [
        *[(q, r, False) for q, r in zip(QUESTIONS, TYPED[False], strict=False)], *[(q, r, True) for q, r in zip(QUESTIONS, TYPED[True], strict=False)]]
    assert all(s["context"]["contextActivities"]["parent"][0]["id"] == module_iri for s in answers)
    assert answers[-1]["object"]["definition"]["interactionType"] == "choice"
    seen = [s for s in statements if s["verb"]["id"].endswith("/experienced") and "/planifier-une-reunion/" in s["object"]["id"]]
    last = max(seen, key=lambda s: s["timestamp"])
    assert last["object"]["id"].endswith("/pages/inviter-des-collegues"), last["object"]
    assert last["object"]["definition"]["name"] == {"fr-FR": "Inviter des collègues"}
    again = CliRunner(env=env).invoke(cli, ["sync", "--state", str(tmp_path / "sync.json")])
    assert "0 déclaration envoyée" in again.output, again.output

    out = tmp_path / "rapport" / "report.html"
    report = CliRunner(env=env).invoke(cli, ["report", "--out", str(out), "--store", str(tmp_path / "store.sqlite")])
    assert report.exit_code == 0, report.output
    import csv
    import io

    _notice, table = (out.parent / "report-questions.csv").read_text(encoding="utf-8").split("\n", 1)
    rows = {r["numero"]: r for r in csv.DictReader(io.StringIO(table), delimiter=";") if r["module"] == "agenda/consulter-son-agenda"}
    expected = _expected_items(all_results(), QUIZ_MODULE)
    assert [(r["ont_repondu"], r["juste_premier_essai"], r["juste_a_la_fin"], r["essais_moyens"]) for r in rows.values()] == [
        expected[q] for q in QUESTIONS]


def attempts_of(username: str, cmid: int) -> list[dict]:
    return sorted((r for r in all_results() if r["cmid"] == cmid and r.get("username") == username), key=lambda r: r["attempt"])


# --- the report's contacts of the agents to follow up (issue 17, item 3) ------------------------------

def test_the_report_reads_a_listed_agent_s_contact_only_with_the_capabilities(ralph, tmp_path) -> None:  # noqa: F811
    """An agent of this site's statement home who started a module 30 days ago is on the list:
    with the capabilities docs/report.md names, the report shows the name and e-mail address
    Moodle has for them and a mailto; without, one line names what is missing and no address."""
    import csv
    import io
    import uuid

    from lrs_support import PASSWORD, USERNAME
    from packager.moodle.functions import CONTACT_CAPABILITIES, GET_STATUS, USERS_BY_FIELD
    from packager.sync.site import identify
    from test_report_followup import Fixture, post

    if not LEARNER[0]:
        pytest.skip("MOODLE_LEARNER_USER is not set: no agent of the site to look up")
    client = publisher()
    home = identify(client).home
    f = Fixture()
    f.add(1, 1, 30, [("page", 1), ("page", 2)])
    actor = {"objectType": "Agent", "account": {"homePage": home, "name": LEARNER[0]}}
    post(ralph, [dict(s, id=str(uuid.uuid4()), actor=actor) for s in f.statements])
    env = {"LRS_ENDPOINT": ralph.endpoint, "LRS_USERNAME": USERNAME, "LRS_PASSWORD": PASSWORD}
    result = CliRunner(env=env).invoke(cli, ["report", "--out", str(tmp_path / "report.html"), "--store",
                                             str(tmp_path / "store.sqlite"), "--state", str(tmp_path / "sync.json")])
    assert result.exit_code == 0 and os.environ["MOODLE_TOKEN"] not in result.output, result.output
    text = (tmp_path / "report-agents.csv").read_text(encoding="utf-8").split("\n", 1)[1]
    row = next(r for r in csv.DictReader(io.StringIO(text), delimiter=";") if r["module"] == "messagerie/lire-ses-messages")
    functions = {f["name"] for f in client.call("core_webservice_get_site_info")["functions"]}
    missing = [m["name"] for m in client.call(GET_STATUS, capabilities=list(CONTACT_CAPABILITIES))["missing"]]
    if USERS_BY_FIELD not in functions:
        assert USERS_BY_FIELD + " n'est pas dans le service" in result.output and row["courriel"] == ""
    elif missing:
        assert "Contacts Moodle non lus : le compte du jeton n'a pas " + ", ".join(missing) in result.output, result.output
        assert row["courriel"] == "" and row["lien_courriel"] == ""
    else:
        user = client.call(USERS_BY_FIELD, field="username", values=[LEARNER[0]])[0]
        assert "Contacts Moodle : 1 sur 1 agent à accompagner." in result.output, result.output
        assert (row["agent"], row["courriel"]) == (user["fullname"], user["email"]) and user["email"]
        assert row["lien_courriel"].startswith("mailto:" + user["email"] + "?")
