"""Where the Moodle and LRS addresses and secrets come from: the environment or a config file.

Never from the catalogue (it is versioned and published) and never printed. A token may come
from a command-line option only for the URL, never for the token itself, so that it does not
land in the shell history.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

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


class ConfigError(Exception):
    pass


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
    LRS_PASSWORD), then the config file ([moodle] url, token; [lrs] endpoint, username, password)."""
    path = (config_file or Path(os.environ.get("COURSEPACK_CONFIG", DEFAULT_CONFIG))).expanduser()
    data: dict = {}
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: {exc}") from None
    elif config_file is not None:
        raise ConfigError(f"{path}: no such file")
    moodle, lrs = data.get("moodle", {}), data.get("lrs", {})

    def pick(env: str, section: dict, key: str) -> str | None:
        value = os.environ.get(env) or section.get(key)
        return str(value) if value else None

    return RuntimeConfig(
        moodle_url=moodle_url or pick("MOODLE_URL", moodle, "url"),
        moodle_token=pick("MOODLE_TOKEN", moodle, "token"),
        lrs_endpoint=pick("LRS_ENDPOINT", lrs, "endpoint"),
        lrs_username=pick("LRS_USERNAME", lrs, "username"),
        lrs_password=pick("LRS_PASSWORD", lrs, "password"),
    )
