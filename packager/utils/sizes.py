"""File sizes as people read them: "14 ko", "2,3 Mo" (French) or "14 KB", "2.3 MB"."""

from __future__ import annotations

_UNITS = {"fr": ("octets", "ko", "Mo", "Go"), "en": ("bytes", "KB", "MB", "GB")}


def human_size(size: int, lang: str = "fr") -> str:
    units = _UNITS.get(lang, _UNITS["fr"])
    value, unit = float(size), 0
    while value >= 1024 and unit < len(units) - 1:
        value /= 1024
        unit += 1
    text = f"{value:.0f}" if unit == 0 or value >= 10 else f"{value:.1f}"
    if lang == "fr":
        text = text.replace(".", ",")
    return f"{text}\u00a0{units[unit]}" if lang == "fr" else f"{text} {units[unit]}"
