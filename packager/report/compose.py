"""The whole report from the store: completion figures, item analysis, funnels and « Agents à
accompagner », each read once from the folded tables."""

from __future__ import annotations

import datetime
from typing import Any
from collections import defaultdict
from collections.abc import Callable

from packager.model.catalogue import Catalogue
from packager.report.followup import failed_attempts, follow_up
from packager.report.items import Index, ModuleItems, closed_attempts, funnels, item_analysis, last_pages
from packager.report.stats import Places, Report, compute, gather
from packager.report.store import Store


def compose(catalogue: Catalogue, db: Store, *, now: datetime.datetime, idle_days: int, pseudonymise: bool,
            contacts: Callable[[set[str]], None] | None = None) -> Report:
    """``contacts``: called with the learners of the follow-up list (and them only) before their
    contacts are read from the store, to remember better ones there (Moodle's)."""
    place = Places(catalogue)
    facts = gather(catalogue, db.learning(), db.times(), place)
    report = compute(catalogue, [], [], facts)
    report.generated, report.idle_days = now, idle_days
    index = Index(catalogue)
    outcomes = list(db.outcomes())
    seen = last_pages(index, db.visits())
    lanes = funnels(index, seen, closed_attempts(outcomes, place))
    questions = item_analysis(index, db.answers(), db.wrong_answers())
    report.items = [ModuleItems(unit.key, unit.module.title, questions.get(unit.key, []), lanes[unit.key])
                    for unit in index.units
                    if lanes[unit.key].attempts or any(q.learners for q in questions.get(unit.key, []))]
    latest: dict[tuple[str, str], tuple[str, int]] = {}
    for (module, learner, _attempt), (_pages, position, when) in seen.items():
        if (module, learner) not in latest or when >= latest[(module, learner)][0]:
            latest[(module, learner)] = (when, position)
    units = {unit.key: unit for unit in index.units}
    last_page = {key: units[key[0]].module.pages[position].title for key, (_when, position) in latest.items()}

    def missed(learners: set[str]) -> dict[tuple[str, str], list[str]]:
        found: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
        for learner, iri in db.missed(learners):
            entry = index.questions.get(iri)
            if entry is not None:
                unit, question, row = entry
                found[(unit.key, learner)].append((row.number, question.prompt))
        return {key: [prompt for _n, prompt in sorted(value)] for key, value in found.items()}

    def people(learners: set[str]) -> dict[str, Any]:
        if contacts is not None and learners and not pseudonymise:
            contacts(learners)
        return db.people(learners)

    report.agents = follow_up(catalogue, facts, failed_attempts(outcomes, place), index, last_page, missed, people,
                              now=now, idle_days=idle_days, pseudonym=db.pseudonym if pseudonymise else None)
    return report
