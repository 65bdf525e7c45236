"""Two mediators publishing at once: the publish lease, creates that stay single, duplicates
left by older versions named with their fix, and the losing run told the real cause."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

from click.testing import CliRunner

from conftest import COURSES, REPO
from moodle_double import MoodleDouble
from packager.cli import cli
from packager.moodle.client import MoodleClient
from packager.moodle.errors import MoodleError
from packager.moodle.idnumbers import Namespace
from packager.publish.lock import LockLost, PublishLock
from polling import poll
from test_publish import TOKEN, served

BUSY = re.compile(r"Une autre publication est en cours \(depuis \d\d:\d\d, par Admin User sur [^)]+\)\.")


def publish(url: str, out: Path, *args: str, catalogue: Path = COURSES):
    result = CliRunner().invoke(cli, ["publish", str(catalogue), "--moodle-url", url, "--out", str(out), *args],
                                env={"MOODLE_TOKEN": TOKEN, "COURSEPACK_CONFIG": str(out.parent / "none.toml")})
    assert TOKEN not in result.output
    return result


def activity_counts(double: MoodleDouble) -> Counter:
    return Counter((cm["course"], cm["idnumber"]) for cm in double.cms.values())


def spawn(url: str, out: Path, *args: str) -> subprocess.Popen:
    """A publish in a process of its own, as a second mediator's would run."""
    env = {**os.environ, "MOODLE_TOKEN": TOKEN, "COURSEPACK_CONFIG": str(out.parent / "none.toml"),
           "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-m", "packager", "publish", str(COURSES), "--moodle-url", url,
                             "--out", str(out), *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_publishes_at_once_give_one_of_each_and_a_clear_wait(tmp_path) -> None:
    """Before the lease, both runs planned "create" from the same empty site: the loser stopped
    half-way with a wrong advice (or, on a real Moodle, activities appeared twice)."""
    # the packages first, so that both runs reach Moodle at the same moment
    assert CliRunner().invoke(cli, ["build", str(COURSES), "--format", "scorm12", "--out", str(tmp_path / "a")]).exit_code == 0
    with served() as (double, url):
        double.pauses["local_coursepack_save_scorm"] = 0.05  # a publish that takes a while
        first = spawn(url, tmp_path / "a")
        assert poll(double.lease, timeout=60, every=0.05) is not None, first.communicate()
        second = spawn(url, tmp_path / "b")
        out1, err1 = first.communicate(timeout=300)
        out2, err2 = second.communicate(timeout=300)
        assert first.returncode == 0, out1 + err1
        assert second.returncode == 0, out2 + err2
        assert BUSY.search(err2), err2
        assert "Moodle est déjà à jour." in out2
        assert set(activity_counts(double).values()) == {1}
        assert double.lease() is None  # both gave it back


def test_a_run_that_cannot_wait_stops_cleanly(tmp_path) -> None:
    with served() as (double, url):
        other = PublishLock(MoodleClient(url, TOKEN), Namespace(), host="poste-rh-12")
        other.acquire(0)
        try:
            result = publish(url, tmp_path / "dist", "--wait", "0")
        finally:
            other.release()
        assert result.exit_code == 1
        assert "par Admin User sur poste-rh-12)." in result.output and BUSY.search(result.output)
        assert "Rien n'a été modifié" in result.output and "Traceback" not in result.output
        assert double.courses == {} and double.categories == {}


def test_a_dead_holder_s_lease_expires(tmp_path) -> None:
    """A run killed while publishing never gives its lease back: it must not block the site for ever."""
    with served() as (double, url):
        clock = [1_800_000_000]
        double.now = lambda: clock[0]
        dead = PublishLock(MoodleClient(url, TOKEN), Namespace(), host="poste-mort")
        dead.acquire(0)
        dead._stop.set()  # killed: nobody renews, nobody releases
        clock[0] += 121
        result = publish(url, tmp_path / "dist", "--wait", "0")
        assert result.exit_code == 0, result.output
        assert double.lease() is None


def test_the_lease_is_released_on_a_fault(tmp_path) -> None:
    with served() as (double, url):
        double.crash = ("before", 5)  # the connection cut at the fifth change
        result = publish(url, tmp_path / "dist")
        assert result.exit_code == 1 and "Moodle ne répond pas" in result.output, result.output
        assert double.lease() is None
        double.crash = None
        assert publish(url, tmp_path / "dist").exit_code == 0


def test_each_catalogue_has_its_own_lease(tmp_path) -> None:
    with served() as (double, url):
        client = MoodleClient(url, TOKEN)
        mine = PublishLock(client, Namespace(), host="a")
        theirs = PublishLock(client, Namespace("rh"), host="b")
        mine.acquire(0)
        theirs.acquire(0)  # not blocked by the default catalogue's run
        assert double.lease() and double.lease("rh")
        mine.release()
        theirs.release()
        assert double.lease() is None and double.lease("rh") is None


def test_duplicates_left_by_older_versions_are_named_with_the_fix(tmp_path) -> None:
    """Two activities with one ID number (two publishes before the lease): the next publish
    said « Moodle est déjà à jour » and learners went on seeing both."""
    with served() as (double, url):
        assert publish(url, tmp_path / "dist").exit_code == 0
        cm = next(c for c in double.cms.values() if c["idnumber"] == "coursepack:agenda/consulter-son-agenda")
        twin = json.loads(json.dumps(cm))
        twin["id"] = 999
        double.cms[999] = twin
        calls = len(double.calls)
        result = publish(url, tmp_path / "dist")
        assert result.exit_code == 1
        assert (f"a 2 activités « coursepack:agenda/consulter-son-agenda » (cmid {cm['id']}, 999) : gardez la plus "
                f"ancienne (cmid {cm['id']}) et supprimez 999 dans Moodle ({url}/course/mod.php?delete=999)") in result.output
        assert "Rien n'a été modifié." in result.output
        assert [n for n, _ in double.calls[calls:] if n.startswith(("core_course_create", "core_course_update", "upload",
                                                                     "local_coursepack_save", "local_coursepack_arrange"))] == []
        # and save_scorm itself (find() under the course's lock) refuses to pick one
        course = double.courses[cm["course"]]
        refused = MoodleClient(url, TOKEN).call
        try:
            refused("local_coursepack_save_scorm", courseid=course["id"], idnumber=cm["idnumber"], name="x")
        except MoodleError as exc:
            assert exc.errorcode == "duplicateactivity" and f"{cm['id']}, 999" in exc.message
        else:
            raise AssertionError("save_scorm updated one of two activities")


def test_a_file_pool_collision_is_tried_again(tmp_path) -> None:
    """Two runs uploading one package at the same moment: Moodle answers storedfilecannotcreatefile,
    which the loser explained as « the service must allow uploads (uploadfiles) »."""
    with served() as (double, url):
        double.filepool_collisions = 1
        result = publish(url, tmp_path / "dist")
        assert result.exit_code == 0, result.output
        assert set(activity_counts(double).values()) == {1}
    with served() as (double, url):
        double.filepool_collisions = 10  # never gets through: said as it is
        result = publish(url, tmp_path / "other")
        assert result.exit_code == 1
        assert "storedfilecannotcreatefile" in result.output and "uploadfiles" not in result.output
        assert "une autre publication déposait sans doute le même paquet" in result.output


def test_objects_created_meanwhile_are_taken_as_ours(tmp_path) -> None:
    """A run without the lease (an older CoursePack) created the course between our plan and our
    call: Moodle refused the short name, and the message said « renommez le cours »."""
    with served() as (double, url):
        original = double.ws_core_course_create_courses
        raced = threading.Event()

        def create_after_the_other(courses: list) -> list:
            if not raced.is_set():
                raced.set()
                original(courses)  # the other run's creation
            return original(courses)

        double.ws_core_course_create_courses = create_after_the_other
        result = publish(url, tmp_path / "dist")
        assert result.exit_code == 0, result.output
        assert "renommez" not in result.output
        assert len(double.courses) == 10
        assert set(activity_counts(double).values()) == {1}


def test_the_lease_is_renewed_while_the_run_works_and_a_takeover_stops_it(tmp_path) -> None:
    with served() as (double, url):
        lock = PublishLock(MoodleClient(url, TOKEN), Namespace(), host="poste", duration=10)  # renewed every 2.5 s
        lock.acquire(0)
        first = double.lease()["expires"]
        assert poll(lambda: double.lease()["expires"] > first, timeout=10)  # renewed (every 2.5 s)
        lock.check()  # still ours
        # expired and taken by another run meanwhile: the next renewal finds it and the run stops
        double.plugin_config["publishlease"] = json.dumps({**double.lease(), "leaseid": "0" * 32, "name": "Marie Dupont",
                                                           "host": "poste-rh-12", "expires": double.now() + 60})
        poll(lambda: lock.lost is not None, timeout=10)
        try:
            lock.check()
        except LockLost as exc:
            assert exc.holder.name == "Marie Dupont"
        else:
            raise AssertionError("the run went on without its lease")
        lock.release()
        assert double.lease()["name"] == "Marie Dupont"  # another run's lease is left alone


def test_ctrl_c_gives_the_lease_back(tmp_path, monkeypatch) -> None:
    from packager.publish.apply import Publisher

    def interrupted(self, plan, on_step=None):
        raise KeyboardInterrupt

    monkeypatch.setattr(Publisher, "apply", interrupted)
    with served() as (double, url):
        result = publish(url, tmp_path / "dist")
        assert result.exit_code == 130
        assert "Publication interrompue : relancez-la, elle reprend où elle s'est arrêtée." in result.output
        assert double.lease() is None
