"""``coursepack doctor``: one line per check, with the fix when it fails."""

from __future__ import annotations

from click.testing import CliRunner

from lrs_support import strict_lrs  # noqa: F401 - fixture
from moodle_double import PLUGIN_VERSION, MoodleDouble
from packager.cli import cli

TOKEN = "0123456789abcdef0123456789abcdef"


def doctor(tmp_path, monkeypatch, double: MoodleDouble | None, *, lrs: str | None = None):
    monkeypatch.setenv("COURSEPACK_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("MOODLE_TOKEN", TOKEN)
    for name in ("LRS_ENDPOINT", "LRS_USERNAME", "LRS_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    if lrs:
        monkeypatch.setenv("LRS_ENDPOINT", lrs)
    server = double.serve() if double else None
    try:
        args = ["doctor", "--out", str(tmp_path / "dist")] + (["--moodle-url", server.url] if server else [])
        result = CliRunner().invoke(cli, args)
    finally:
        if server:
            server.close()
    assert TOKEN not in result.output
    return result


def test_everything_ready(tmp_path, monkeypatch) -> None:
    result = doctor(tmp_path, monkeypatch, MoodleDouble(token=TOKEN))
    lines = result.stdout.splitlines()  # the catalogue line goes to stderr
    marks = [line.split(" :")[0] for line in lines if not line.startswith("    ")]
    assert marks == [
        "✓ Adresse Moodle", "✓ Services web et REST activés", "✓ Jeton accepté", "✓ Version de Moodle", "✓ Fonctions du service",
        "✓ Plugin local_coursepack", "✓ Capacités du compte du jeton", "– Langue des cours",
        "✓ Dépôt de fichiers autorisé", "✓ Taille des paquets", "✓ Application Moodle", "✓ Contacts des agents (rapport)",
        "– LRS"]
    # this site has no French pack: publishing works, without forcing the course language
    assert "pack « fr » absent" in result.output and "Packs de langue" in result.output
    # sizes as people read them (it said "0.0 Mo" for 14 KB packages)
    assert "le plus gros paquet fait " in result.output and "0.0 Mo" not in result.output
    assert "\u00a0ko, limite sans limite" in result.output
    assert result.exit_code == 0, result.output


def test_a_moodle_older_than_the_plugin_requires_is_named(tmp_path, monkeypatch) -> None:
    """The plugin's $plugin->requires (version.php): Moodle's installer refuses it on an older site."""
    from packager.moodle.plugin_version import shipped_plugin

    double = MoodleDouble(token=TOKEN)
    answer = double.ws_core_webservice_get_site_info
    monkeypatch.setattr(double, "ws_core_webservice_get_site_info",
                        lambda **kw: {**answer(**kw), "version": "2022112800.02", "release": "4.1 (Build: 20221128)"})
    result = doctor(tmp_path, monkeypatch, double)
    shipped = shipped_plugin()
    assert (f"✗ Version de Moodle : 4.1 (Build: 20221128) (2022112800) : le plugin local_coursepack {shipped.release} demande "
            f"la version {shipped.requires} de Moodle ou une plus récente") in result.output, result.output
    assert "Mettez Moodle à jour avant d'installer le plugin" in result.output and result.exit_code == 1
    assert "✓ Version de Moodle : 5.2dev (Build: 20260205)" in doctor(tmp_path, monkeypatch, MoodleDouble(token=TOKEN)).output


def test_each_missing_capability_is_named_with_its_fix(tmp_path, monkeypatch) -> None:
    double = MoodleDouble(token=TOKEN, languages=("en", "fr"),
                          missing_capabilities=("moodle/course:view", "mod/scorm:viewreport", "moodle/course:setforcedlanguage"))
    result = doctor(tmp_path, monkeypatch, double)
    assert result.exit_code == 1
    out = result.output
    assert "✗ Capacité moodle/course:view" in out and "✗ Capacité mod/scorm:viewreport" in out
    assert out.count("Donnez-la au rôle du compte du jeton au niveau du système") >= 2
    assert "– Langue des cours : sans moodle/course:setforcedlanguage" in out


def test_each_failure_says_how_to_fix_it(tmp_path, monkeypatch) -> None:
    double = MoodleDouble(token=TOKEN, plugin_version="2025010100", uploadfiles=0, upload_limit=1024,
                          missing_functions=("gradereport_user_get_grade_items",))
    result = doctor(tmp_path, monkeypatch, double)
    assert result.exit_code == 1
    out = result.output
    assert "✗ Fonctions du service : manquantes : gradereport_user_get_grade_items" in out
    assert f"✗ Plugin local_coursepack : version 2025010100, attendue {PLUGIN_VERSION} (" in out
    assert "✗ Dépôt de fichiers autorisé" in out and "Peut déposer des fichiers" in out
    assert "✗ Taille des paquets" in out and "Augmentez la taille maximale de dépôt" in out


def test_plugin_missing_and_bad_token(tmp_path, monkeypatch) -> None:
    missing = doctor(tmp_path, monkeypatch, MoodleDouble(token=TOKEN, plugin=False))
    assert "✗ Plugin local_coursepack" in missing.output and "coursepack moodle-plugin --out dist/" in missing.output
    refused = doctor(tmp_path, monkeypatch, MoodleDouble(token="another"))
    assert "✗ Jeton accepté" in refused.output and "invalidtoken" in refused.output
    assert refused.exit_code == 1


def test_webservices_off_and_no_url(tmp_path, monkeypatch) -> None:
    double = MoodleDouble(token=TOKEN)
    double.webservices = False
    off = doctor(tmp_path, monkeypatch, double)
    assert "✗ Services web et REST activés" in off.output
    monkeypatch.delenv("MOODLE_URL", raising=False)
    none = doctor(tmp_path, monkeypatch, None)
    assert "✗ Adresse Moodle" in none.output and "--moodle-url, MOODLE_URL" in none.output and none.exit_code == 1


def test_unreachable_lrs(tmp_path, monkeypatch) -> None:
    result = doctor(tmp_path, monkeypatch, MoodleDouble(token=TOKEN), lrs="http://127.0.0.1:9/xapi/")
    assert "✗ LRS : http://127.0.0.1:9/xapi/" in result.output and result.exit_code == 1


def test_lrs_answering_html_is_not_ready(tmp_path, monkeypatch, strict_lrs) -> None:  # noqa: F811
    strict_lrs.fault = "html"  # a proxy or a login page in front of the LRS
    result = doctor(tmp_path, monkeypatch, MoodleDouble(token=TOKEN), lrs=strict_lrs.endpoint)
    assert f"✗ LRS : {strict_lrs.endpoint}: HTTP 200 ce n'est pas une réponse xAPI : text/html" in result.output
    assert result.exit_code == 1
    strict_lrs.fault = None
    assert f"✓ LRS : {strict_lrs.endpoint}: xAPI 1.0.3" in doctor(tmp_path, monkeypatch, MoodleDouble(token=TOKEN),
                                                                   lrs=strict_lrs.endpoint).output


def test_the_moodle_app_s_service_is_checked(tmp_path, monkeypatch) -> None:
    """A new site does not let the Moodle app log in (enablemobilewebservice off): doctor said nothing."""
    result = doctor(tmp_path, monkeypatch, MoodleDouble(token=TOKEN, mobile_service=0))
    assert ("– Application Moodle : service mobile désactivé : les agents ne peuvent pas se connecter avec "
            "l'application Moodle") in result.output
    assert "php admin/cli/cfg.php --name=enablemobilewebservice --set=1" in result.output
    assert result.exit_code == 0  # publishing works without it


def test_the_code_the_web_server_runs_is_compared_with_the_database(tmp_path, monkeypatch) -> None:
    """After upgrade.php, PHP-FPM's OPcache went on running the old files: nothing said so."""
    result = doctor(tmp_path, monkeypatch, MoodleDouble(token=TOKEN, code_version="2026120102"))
    assert result.exit_code == 1
    assert (f"✗ Plugin local_coursepack : base de données en {PLUGIN_VERSION}, mais le serveur web exécute encore le code "
            "< 2026120700") in result.output
    assert "sudo systemctl reload php8.x-fpm" in result.output


def test_files_newer_than_the_database_say_run_the_upgrade(tmp_path, monkeypatch) -> None:
    result = doctor(tmp_path, monkeypatch, MoodleDouble(token=TOKEN, plugin_version="2026120102", code_version=PLUGIN_VERSION))
    assert result.exit_code == 1
    assert (f"✗ Plugin local_coursepack : fichiers en version {PLUGIN_VERSION}, base de données en 2026120102 : la mise à "
            "niveau n'a pas été lancée") in result.output
    assert "sudo -u www-data php admin/cli/upgrade.php --non-interactive" in result.output


def test_the_first_release_s_plugin_is_named(tmp_path, monkeypatch) -> None:
    """0c9db5d's plugin (2026112800) has no get_status: doctor names the version and the fix."""
    from moodle_double import FIRST_RELEASE_FUNCTIONS

    double = MoodleDouble(token=TOKEN, plugin_version="2026112800", plugin_functions=FIRST_RELEASE_FUNCTIONS)
    result = doctor(tmp_path, monkeypatch, double)
    assert result.exit_code == 1
    assert f"✗ Plugin local_coursepack : version 2026112800, attendue {PLUGIN_VERSION} (" in result.output
    assert "Traceback" not in result.output


def test_the_report_s_contacts_capability_is_one_line_with_its_fix(tmp_path, monkeypatch) -> None:
    """Without moodle/site:viewuseridentity the report lists agents without an address: a warning
    naming it and where to grant it, not a failure (the report works without it)."""
    double = MoodleDouble(token=TOKEN, missing_capabilities=("moodle/site:viewuseridentity",))
    result = doctor(tmp_path, monkeypatch, double)
    lines = [line for line in result.output.splitlines() if "Contacts des agents" in line]
    assert lines == ["– Contacts des agents (rapport) : sans moodle/site:viewuseridentity, le rapport liste les agents sans adresse"]
    assert "donnez moodle/site:viewuseridentity au rôle CoursePack au niveau du système" in result.output
    assert result.exit_code == 0, result.output
    double = MoodleDouble(token=TOKEN, missing_functions=("core_user_get_users_by_field",))
    result = doctor(tmp_path, monkeypatch, double)
    assert "– Contacts des agents (rapport) : core_user_get_users_by_field absente du service" in result.output
