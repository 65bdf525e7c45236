"""Where the Moodle and LRS addresses and secrets come from: the environment or a config file.

Never from the catalogue (it is versioned and published) and never printed. A token may come
from a command-line option only for the URL, never for the token itself, so that it does not
land in the shell history.

The config file is held to the rule of the course files: a key or a section it does not know is
an error naming the file, the section and the key, with the model layer's "vouliez-vous dire"
hint (``[moodle] tokne =`` was silently ignored, then reported as a missing token). No message
ever quotes a value of the file: the value may be the token.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from packager.utils.file_errors import describe as describe_os_error
from packager.model.messages import kind_name, render
from packager.model.schema_errors import kind_of, suggest

DEFAULT_CONFIG = Path("~/.config/coursepack/config.toml")


#: What every command says when its configuration cannot be read or lacks the LRS.
MESSAGES = {
    "fr": {
        "config": "Configuration illisible : {error}",
        "no_lrs": "LRS non configuré : LRS_ENDPOINT, LRS_USERNAME et LRS_PASSWORD (ou [lrs] dans le fichier de configuration).",
    },
    "en": {
        "config": "Unreadable configuration: {error}",
        "no_lrs": "LRS not configured: LRS_ENDPOINT, LRS_USERNAME and LRS_PASSWORD (or [lrs] in the config file).",
    },
}

#: One line per problem of the file; ``{path}`` is the file, ``{rule}`` the model layer's wording.
_PROBLEMS = {
    "fr": {
        "absent": "{path} : fichier introuvable. Vérifiez le chemin donné à --config ou à COURSEPACK_CONFIG.",
        "encoding": "{path} : le fichier n'est pas en UTF-8. Enregistrez-le en UTF-8.",
        "syntax": "{path}, ligne {line}, colonne {column} : syntaxe TOML invalide. Un texte s'écrit entre "
                  "guillemets droits (token = \"…\"), une section entre crochets, seule sur sa ligne ([moodle]).",
        "section": "{path} : section inconnue « [{section}] ». {hint}Sections possibles : {sections}.",
        "outside": "{path} : clé « {key} » hors de toute section. Placez-la sous [{owner}].",
        "not_section": "{path} : « {section} » doit être une section ([{section}] seule sur sa ligne, puis ses clés), pas {got}.",
        "in_section": "{path}, section [{section}] : {rule}",
        "at_key": "{path}, section [{section}], clé « {key} » : {rule}",
        "hint": "Vouliez-vous dire « [{suggestion}] » ? ",
    },
    "en": {
        "absent": "{path}: no such file. Check the path given to --config or COURSEPACK_CONFIG.",
        "encoding": "{path}: the file is not UTF-8. Save it as UTF-8.",
        "syntax": "{path}, line {line}, column {column}: invalid TOML syntax. Text is written in straight "
                  "quotes (token = \"…\"), a section in brackets, alone on its line ([moodle]).",
        "section": "{path}: unknown section '[{section}]'. {hint}Sections allowed: {sections}.",
        "outside": "{path}: key '{key}' outside any section. Put it under [{owner}].",
        "not_section": "{path}: '{section}' must be a section ([{section}] alone on its line, then its keys), not {got}.",
        "in_section": "{path}, section [{section}]: {rule}",
        "at_key": "{path}, section [{section}], key '{key}': {rule}",
        "hint": "Did you mean '[{suggestion}]'? ",
    },
}


class _Section(BaseModel):
    """Every value is text: a number or a boolean is refused, not turned into text."""

    model_config = ConfigDict(extra="forbid", strict=True)


class MoodleSection(_Section):
    url: str | None = None
    token: str | None = None


class LrsSection(_Section):
    endpoint: str | None = None
    username: str | None = None
    password: str | None = None


class ConfigFile(_Section):
    """The whole file: its sections, each optional (the environment may give everything)."""

    moodle: MoodleSection = MoodleSection()
    lrs: LrsSection = LrsSection()


#: section name → its keys, for the hints
_KEYS: dict[str, list[str]] = {"moodle": list(MoodleSection.model_fields), "lrs": list(LrsSection.model_fields)}


class ConfigError(Exception):
    """The file cannot be used: one line per problem, in the user's language (French by
    default, as ``str()`` gives it to a caller that does not pass a language)."""

    def __init__(self, path: Path, problems: list[tuple[str, dict[str, Any]]]) -> None:
        self.path = path
        self.problems = problems
        super().__init__(self.text("fr"))

    def message(self, lang: str = "fr") -> str:
        """What a command prints: « Configuration illisible : » and the problems."""
        return MESSAGES[lang if lang in MESSAGES else "fr"]["config"].format(error=self.text(lang))

    def text(self, lang: str = "fr") -> str:
        texts = _PROBLEMS[lang if lang in _PROBLEMS else "fr"]
        return "\n".join(_render(texts, code, {"path": self.path, **params}, lang) for code, params in self.problems)


def _render(texts: dict[str, str], code: str, params: dict[str, Any], lang: str) -> str:
    if code == "os":
        return describe_os_error(params["error"], lang)
    if code == "section":
        hint = texts["hint"].format(suggestion=params["suggestion"]) if params.get("suggestion") else ""
        sections = ", ".join(f"[{name}]" for name in _KEYS)
        return texts["section"].format(hint=hint, sections=sections, **params)
    if code in ("field.unknown", "type.text"):
        what, fix = render(code, params, lang)
        return texts["in_section" if code == "field.unknown" else "at_key"].format(rule=f"{what}. {fix}", **params)
    if code == "not_section":
        return texts["not_section"].format(**{**params, "got": kind_name(params["got"], lang)})
    return texts[code].format(**params)


def _problem(error: Any) -> tuple[str, dict[str, Any]]:
    """A pydantic error of ``ConfigFile`` as a problem that names the section and the key and
    never the value (``include_input`` is only read for its kind)."""
    loc = tuple(str(part) for part in error["loc"])
    sections = list(_KEYS)
    if len(loc) == 1 and error["type"] == "extra_forbidden":
        owner = next((name for name, keys in _KEYS.items() if loc[0] in keys), None)
        if owner is not None and not isinstance(error.get("input"), dict):
            return "outside", {"key": loc[0], "owner": owner}
        return "section", {"section": loc[0], "suggestion": suggest(loc[0].lower(), sections)}  # every name is lower case
    if len(loc) == 1:
        return "not_section", {"section": loc[0], "got": kind_of(error.get("input"))}
    section, key = loc[0], loc[1]
    if error["type"] == "extra_forbidden":
        allowed = _KEYS[section]
        return "field.unknown", {"section": section, "key": key, "allowed": ", ".join(allowed), "suggestion": suggest(key.lower(), allowed)}
    return "type.text", {"section": section, "key": key, "got": kind_of(error.get("input"))}


def read_file(path: Path) -> ConfigFile:
    """The config file, checked; ``ConfigError`` names every problem in it."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(path, [("encoding", {})]) from None
    except OSError as exc:
        raise ConfigError(path, [("os", {"error": exc})]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:  # its message may quote a character of the file: not shown
        where = re.search(r"at line (\d+), column (\d+)", str(exc))
        line, column = where.groups() if where else ("?", "?")
        raise ConfigError(path, [("syntax", {"line": line, "column": column})]) from None
    try:
        return ConfigFile.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(path, [_problem(error) for error in exc.errors(include_url=False)]) from None


@dataclass(frozen=True)
class RuntimeConfig:
    moodle_url: str | None = None
    moodle_token: str | None = None
    lrs_endpoint: str | None = None
    lrs_username: str | None = None
    lrs_password: str | None = None

    def __repr__(self) -> str:  # secrets never show, even in a traceback or a debugger
        return f"RuntimeConfig(moodle_url={self.moodle_url!r}, lrs_endpoint={self.lrs_endpoint!r})"


def load(config_file: Path | None = None, moodle_url: str | None = None) -> RuntimeConfig:
    """Command-line URL, then environment (MOODLE_URL, MOODLE_TOKEN, LRS_ENDPOINT, LRS_USERNAME,
    LRS_PASSWORD), then the config file ([moodle] url, token; [lrs] endpoint, username, password).
    The default file may be absent; a file named by ``--config`` must exist."""
    path = (config_file or Path(os.environ.get("COURSEPACK_CONFIG", DEFAULT_CONFIG))).expanduser()
    if path.exists():
        file = read_file(path)
    elif config_file is not None:
        raise ConfigError(path, [("absent", {})])
    else:
        file = ConfigFile()

    def pick(env: str, value: str | None) -> str | None:
        return os.environ.get(env) or value or None

    return RuntimeConfig(
        moodle_url=moodle_url or pick("MOODLE_URL", file.moodle.url),
        moodle_token=pick("MOODLE_TOKEN", file.moodle.token),
        lrs_endpoint=pick("LRS_ENDPOINT", file.lrs.endpoint),
        lrs_username=pick("LRS_USERNAME", file.lrs.username),
        lrs_password=pick("LRS_PASSWORD", file.lrs.password),
    )
