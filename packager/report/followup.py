"""« Agents à accompagner »: who the mediators should reach this week, per tool course and job
path, with what they struggled on and a ready way to reach them (docs/report.md).

An agent is listed for a module of a course when they have not completed it there, and either
failed it twice or more, or started it more than ``idle_days`` ago. Completing it takes them off
the list on the next run. Contacts are what the store knows (the statements' actor, or a better
source through ``Store.remember_contact``); pseudonymised, a list keeps its figures and drops
names, addresses and the ``mailto:`` link.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from collections.abc import Callable, Iterable
from urllib.parse import quote

from packager.model.catalogue import Catalogue
from packager.model.format import Contact
from packager.report.items import Index
from packager.report.stats import Facts, Places
from packager.report.rows import Person
from packager.report.tables import FAILED, PASSED, Outcome

DEFAULT_IDLE_DAYS = 14


@dataclass
class Agent:
    """One agent and one module of one course."""

    level: str  # "tool" or "job"
    course: str
    course_title: str
    learner: str
    label: str  # the name (or the pseudonym) shown
    email: str | None
    module: str
    module_title: str
    failed: int  # failed attempts of the module in this course
    started: str  # UTC date text of the first statement
    idle: bool
    last_page: str | None = None
    missed: list[str] = field(default_factory=list)
    booking: str | None = None
    mailto: str | None = None

    @property
    def reasons(self) -> list[str]:
        return (["failed"] if self.failed >= 2 else []) + (["idle"] if self.idle else [])


def _members(catalogue: Catalogue) -> list[tuple[str, str, str, list[str]]]:
    """(level, course id, title, member module keys) for every tool course and job path."""
    found = [("tool", t.id, t.title, [f"{t.id}/{m.id}" for m in t.modules]) for t in catalogue.tools.values()]
    found += [("job", j.id, j.title, [f"{j.id}/intro"] + [r.ref for r in j.modules]) for j in catalogue.jobs.values()]
    return found


def failed_attempts(outcomes: Iterable[Outcome], place: Places) -> dict[tuple[str, str, str], int]:
    """(module key, course taken in, learner) → attempts failed and not passed."""
    count: dict[tuple[str, str, str], int] = {}
    for target, grouping, learner, _attempt, bits in outcomes:
        found = place(target, grouping)
        if found is not None and bits & FAILED and not bits & PASSED:
            key = (found[0], found[1], learner)
            count[key] = count.get(key, 0) + 1
    return count


def message(contact: Contact | None, name: str | None, module: str, course: str, failed: bool) -> tuple[str, str]:
    """(subject, body) of the e-mail a mediator sends: short, kind, in plain French."""
    hello = f"Bonjour {name}," if name else "Bonjour,"
    what = (f"Le quiz du module « {module} » ({course}) vous a posé des difficultés. C'est fréquent, et ce n'est pas grave."
            if failed else f"Vous avez commencé le module « {module} » ({course}) et vous ne l'avez pas encore terminé.")
    offer = ["Si vous le souhaitez, nous pouvons le faire ensemble, à votre rythme."]
    if contact and contact.booking_url:
        offer.append(f"Choisissez un rendez-vous ici : {contact.booking_url}")
    if contact and contact.phone:
        offer.append(f"Vous pouvez aussi nous appeler au {contact.phone}.")
    sign = contact.name if contact else ""
    body = "\n".join([hello, "", what, *offer, "", "Bonne journée,", sign]).rstrip() + "\n"
    return f"Votre formation « {module} »", body


def mailto(email: str, subject: str, body: str) -> str:
    return f"mailto:{quote(email, safe='@')}?subject={quote(subject, safe='')}&body={quote(body, safe='')}"


def follow_up(catalogue: Catalogue, facts: Facts, fails: dict[tuple[str, str, str], int], index: Index,
              last_page: dict[tuple[str, str], str], missed: Callable[[set[str]], dict[tuple[str, str], list[str]]],
              people: Callable[[set[str]], dict[str, Person]], *, now: datetime.datetime, idle_days: int,
              pseudonym: Callable[[str], str] | None = None) -> list[Agent]:
    """The list, per course in catalogue order, then by agent.

    ``last_page``: (module key, learner) → title of their latest page; ``missed(learners)``:
    (module key, learner) → prompts of the questions whose latest answer was wrong."""
    limit = (now - datetime.timedelta(days=idle_days)).astimezone(datetime.UTC).replace(tzinfo=None).isoformat()
    units = {unit.key: unit for unit in index.units}
    found: list[Agent] = []
    order: dict[str, int] = {}
    for level, course, title, members in _members(catalogue):
        order[course] = len(order)
        for key in members:
            for learner, learning in facts.learning.get((key, course), {}).items():
                if learning.completed:
                    continue
                failed = fails.get((key, course, learner), 0)
                idle = bool(learning.first) and learning.first < limit
                if failed < 2 and not idle:
                    continue
                found.append(Agent(level, course, title, learner, learner, None, key, units[key].module.title,
                                   failed, learning.first[:10], idle))
    learners = {agent.learner for agent in found}
    contacts = people(learners)
    wrong = missed(learners)
    for agent in found:
        unit = units[agent.module]
        contact = catalogue.contact(unit.course) if agent.level == "tool" else catalogue.contact(catalogue.jobs[agent.course])
        _learner, name, mbox, account, _source = contacts.get(agent.learner, (agent.learner, None, None, None, ""))
        agent.last_page = last_page.get((agent.module, agent.learner))
        agent.missed = wrong.get((agent.module, agent.learner), [])
        agent.booking = str(contact.booking_url) if contact and contact.booking_url else None
        if pseudonym is not None:
            agent.label = pseudonym(agent.learner)
            continue
        email = mbox[len("mailto:"):] if mbox and mbox.startswith("mailto:") else None
        agent.label = name or account or email or agent.learner
        agent.email = email
        if email:
            subject, body = message(contact, name, agent.module_title, agent.course_title, agent.failed >= 2)
            agent.mailto = mailto(email, subject, body)
    found.sort(key=lambda a: (order[a.course], a.label.casefold(), a.module))
    return found
