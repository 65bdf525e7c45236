"""What a job path's paper flyer says: plain words, for an agent who never opens a computer.

The flyer goes out with the payslip. It says what the path is, what the agent will learn (the
modules' titles, the optional ones marked), how long it takes, where to start (a QR code to the
Moodle course, or, before it is published, that it is not online yet) and how to get help (a QR
code to the mediators' booking page and their phone number)."""

from __future__ import annotations

from dataclasses import dataclass

from packager.model.catalogue import Catalogue
from packager.model.format import JobPath


@dataclass(frozen=True)
class Step:
    title: str
    minutes: int | None
    optional: bool


@dataclass(frozen=True)
class Flyer:
    job: str
    title: str
    summary: str
    audience: str
    minutes: int
    steps: tuple[Step, ...]
    course_url: str | None  # None: not published yet
    booking_url: str | None
    phone: str | None
    email: str | None
    helper: str
    site: str


def duration_text(minutes: int) -> str:
    """« 45 minutes », « 1 heure », « 1 h 30 »: how a person says it."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{minutes} minute" if minutes == 1 else f"{minutes} minutes"
    if not rest:
        return "1 heure" if hours == 1 else f"{hours} heures"
    return f"{hours} h {rest:02d}"


def flyer_for(catalogue: Catalogue, job: JobPath, course_url: str | None) -> Flyer:
    assert catalogue.settings is not None
    steps = []
    for ref in job.modules:
        unit = catalogue.module(ref.ref)
        if unit is not None:
            steps.append(Step(unit.module.title, unit.module.duration_minutes, not ref.required))
    contact = catalogue.contact(job)
    return Flyer(
        job=job.id, title=job.title, summary=job.summary.strip(), audience=job.audience, minutes=job.duration_minutes,
        steps=tuple(steps), course_url=course_url,
        booking_url=str(contact.booking_url) if contact and contact.booking_url else None,
        phone=contact.phone if contact else None, email=contact.email if contact else None,
        helper=contact.name if contact else "", site=catalogue.settings.site_name,
    )
