"""One line of ``coursepack doctor``: what was checked, whether it holds, and the fix.

Shared by the floors that check something (Moodle's readiness for publish and sync, the LRS),
so that the doctor lists them alike."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool | None  # None: not checked (a previous check failed, or nothing configured)
    detail: str = ""
    fix: str = ""
