"""The TOML config file is strict like the course files: an unknown key or section is an error
that names the file, the section and the key (with « vouliez-vous dire »), a wrong type one
French line; no message ever shows a value of the file (it may be the token)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from packager.cli import cli
from packager.commands import runtime_config

SECRET = "s3cr3t-T0KEN-9f8e7d"
ENV = ("MOODLE_URL", "MOODLE_TOKEN", "LRS_ENDPOINT", "LRS_USERNAME", "LRS_PASSWORD", "COURSEPACK_CONFIG")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path) -> None:
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COURSEPACK_CONFIG", str(tmp_path / "absent.toml"))


def config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path, lang: str = "fr") -> str:
    with pytest.raises(runtime_config.ConfigError) as caught:
        runtime_config.load(path)
    return caught.value.text(lang)


@pytest.mark.parametrize("command", [
    ["publish", "--dry-run"], ["sync", "--dry-run"], ["doctor"], ["report"],
])
def test_a_misspelt_key_is_named_not_reported_as_a_missing_token(tmp_path, command) -> None:
    """Was: ``tokne`` silently ignored, then « Adresse ou jeton Moodle manquant »."""
    path = config(tmp_path, f'[moodle]\nurl = "https://moodle.example.fr"\ntokne = "{SECRET}"\n\n[lrs]\nendpoint = "https://lrs.example.fr/xapi/"\n')
    extra = ["--out", str(tmp_path / "out")] if command[0] in ("publish", "doctor", "report") else ["--state", str(tmp_path / "s.json")]
    result = CliRunner().invoke(cli, [*command, "--config", str(path), *extra])
    assert result.exit_code == 2, result.output
    assert (f"Configuration illisible : {path}, section [moodle] : clé inconnue « tokne ». "
            "Vouliez-vous dire « token » ? Clés possibles ici : url, token.") in result.output
    assert "manquant" not in result.output and "Traceback" not in result.output
    assert SECRET not in result.output


def test_the_message_follows_lang(tmp_path) -> None:
    path = config(tmp_path, f'[moodle]\ntokne = "{SECRET}"\n')
    result = CliRunner().invoke(cli, ["sync", "--dry-run", "--config", str(path), "--lang", "en", "--state", str(tmp_path / "s.json")])
    assert result.exit_code == 2
    assert f"Unreadable configuration: {path}, section [moodle]: unknown key 'tokne'. Did you mean 'token'?" in result.output


@pytest.mark.parametrize(("text", "expected"), [
    ('[moodel]\nurl = "https://m.example"\n', "section inconnue « [moodel] ». Vouliez-vous dire « [moodle] » ? Sections possibles : [moodle], [lrs]."),
    ('[LRS]\npassword = "{s}"\n', "section inconnue « [LRS] ». Vouliez-vous dire « [lrs] » ?"),
    ('token = "{s}"\n', "clé « token » hors de toute section. Placez-la sous [moodle]."),
    ('password = "{s}"\n[moodle]\n', "clé « password » hors de toute section. Placez-la sous [lrs]."),
    ('moodle = "{s}"\n', "« moodle » doit être une section ([moodle] seule sur sa ligne, puis ses clés), pas un texte."),
    ('[lrs]\nusername = "agent"\npasword = "{s}"\n', "section [lrs] : clé inconnue « pasword ». Vouliez-vous dire « password » ?"),
])
def test_unknown_keys_and_sections_are_named(tmp_path, text, expected) -> None:
    path = config(tmp_path, text.format(s=SECRET))
    message = error_of(path)
    assert message.startswith(str(path)) and expected in message, message
    assert SECRET not in message


@pytest.mark.parametrize(("value", "got"), [("123456789", "un nombre"), ("true", "un booléen"), ('["a"]', "une liste"),
                                            ("1979-05-27", "une date"), ("{ a = 1 }", "un groupe de clés")])
def test_a_wrong_type_is_one_french_line_without_the_value(tmp_path, value, got) -> None:
    """A token written without quotes was turned into text when TOML read it as a number."""
    message = error_of(config(tmp_path, f"[moodle]\ntoken = {value}\n"))
    assert "\n" not in message and f"section [moodle], clé « token » : un texte est attendu, pas {got}" in message, message
    assert value not in message or value == "true"  # "un booléen (true/false)"


@pytest.mark.parametrize("text", [f'[moodle]\ntoken = "{SECRET}\n', f"[moodle]\ntoken = {SECRET}\n",
                                  f'[moodle]\ntoken = "{SECRET}"\ntoken = "{SECRET}"\n', f"[moodle\ntoken='{SECRET}'\n"])
def test_a_toml_syntax_error_gives_the_place_never_the_text(tmp_path, text) -> None:
    message = error_of(config(tmp_path, text))
    assert "ligne" in message and "syntaxe TOML invalide" in message and "\n" not in message, message
    assert SECRET not in message and "Found invalid character" not in message  # tomllib quotes the character it stopped at


def test_every_problem_is_listed(tmp_path) -> None:
    message = error_of(config(tmp_path, '[moodle]\ntokne = "x"\nurl = 3\n[lrs]\nendpont = "x"\n'))
    assert len(message.splitlines()) == 3


def test_a_file_in_another_encoding_or_unreadable(tmp_path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes('[moodle]\nurl = "https://mo\xe9dle"\n'.encode("latin-1"))
    assert error_of(path) == f"{path} : le fichier n'est pas en UTF-8. Enregistrez-le en UTF-8."
    assert error_of(tmp_path / "none.toml").endswith("fichier introuvable. Vérifiez le chemin donné à --config ou à COURSEPACK_CONFIG.")


def test_a_default_path_that_is_a_folder_is_said(tmp_path, monkeypatch) -> None:
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    monkeypatch.setenv("COURSEPACK_CONFIG", str(folder))
    with pytest.raises(runtime_config.ConfigError) as caught:
        runtime_config.load()
    assert caught.value.text() == f"Erreur de fichier : c'est un dossier, pas un fichier ({folder}). Donnez le chemin d'un fichier."


def test_the_default_file_may_be_absent_and_may_carry_a_bom(tmp_path, monkeypatch) -> None:
    assert runtime_config.load() == runtime_config.RuntimeConfig()
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + f'[moodle]\nurl = "https://m.example"\ntoken = "{SECRET}"\n'.encode())
    monkeypatch.setenv("COURSEPACK_CONFIG", str(path))
    loaded = runtime_config.load()
    assert (loaded.moodle_url, loaded.moodle_token) == ("https://m.example", SECRET)
    assert SECRET not in repr(loaded)


def test_the_environment_wins_over_the_file_and_the_option_over_both(tmp_path, monkeypatch) -> None:
    path = config(tmp_path, '[moodle]\nurl = "https://file.example"\ntoken = "file-token"\n'
                            '[lrs]\nendpoint = "https://lrs.file/xapi/"\nusername = "u"\npassword = "p"\n')
    loaded = runtime_config.load(path)
    assert (loaded.moodle_url, loaded.moodle_token, loaded.lrs_endpoint, loaded.lrs_username, loaded.lrs_password) == \
        ("https://file.example", "file-token", "https://lrs.file/xapi/", "u", "p")
    monkeypatch.setenv("MOODLE_TOKEN", "env-token")
    monkeypatch.setenv("MOODLE_URL", "https://env.example")
    monkeypatch.setenv("LRS_PASSWORD", "env-p")
    loaded = runtime_config.load(path)
    assert (loaded.moodle_url, loaded.moodle_token, loaded.lrs_password) == ("https://env.example", "env-token", "env-p")
    assert runtime_config.load(path, "https://option.example").moodle_url == "https://option.example"
    monkeypatch.setenv("MOODLE_TOKEN", "")  # an empty variable does not hide the file
    assert runtime_config.load(path).moodle_token == "file-token"


def test_an_error_in_the_file_is_an_error_even_when_the_environment_gives_everything(tmp_path, monkeypatch) -> None:
    """The file is wrong: saying nothing would leave it wrong for the day the variable is gone."""
    monkeypatch.setenv("MOODLE_TOKEN", SECRET)
    assert "clé inconnue « tokne »" in error_of(config(tmp_path, '[moodle]\ntokne = "x"\n'))
