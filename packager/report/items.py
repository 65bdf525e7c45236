"""Item analysis (which questions lose agents) and where agents stop (a funnel of pages per
module), computed from the store's folded answers and page visits as docs/report.md defines them.

Both are per module wherever it was taken: a question or a page is the same one in a tool course
and in a job path. A question is flagged only once enough learners answered it, so that one
agent's bad day does not send a mediator rewriting a good question.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from collections.abc import Iterable

from packager.packaging.content import quiz_view
from packager.model.catalogue import Catalogue, ModuleUnit
from packager.model.format import FillIn, Matching, MultipleChoice, Ordering, SingleChoice, TrueFalse
from packager.model.iri import page_iri, question_iri
from packager.report.tables import COMPLETED, PASSED, Answers, Outcome, Visit, Wrong

#: Right at first try under this share: too hard (or badly worded); over ``EASY``: teaches nothing.
HARD, EASY = 0.40, 0.95
#: Learners who answered a question before it can be flagged.
MIN_LEARNERS = 5


@dataclass
class QuestionRow:
    module: str
    number: int  # 1-based, in the quiz
    ident: str
    prompt: str
    where: str  # the YAML file:line of the question, relative to the catalogue
    learners: int = 0
    first_right: int = 0
    last_right: int = 0
    tries: int = 0
    attempts: int = 0
    wrong: str | None = None  # the most chosen wrong answer, as its text
    wrong_chosen: int = 0

    @property
    def first_rate(self) -> float | None:
        return self.first_right / self.learners if self.learners else None

    @property
    def last_rate(self) -> float | None:
        return self.last_right / self.learners if self.learners else None

    @property
    def mean_tries(self) -> float | None:
        return round(self.tries / self.attempts, 2) if self.attempts else None

    @property
    def flag(self) -> str | None:
        """``hard`` or ``easy``, once ``MIN_LEARNERS`` answered."""
        rate = self.first_rate
        if rate is None or self.learners < MIN_LEARNERS:
            return None
        return "hard" if rate < HARD else "easy" if rate > EASY else None


@dataclass
class PageStep:
    title: str
    reached: int = 0  # attempts that saw this page
    stopped: int = 0  # attempts not completed whose last page is this one
    share: float | None = None  # reached ÷ attempts with a page seen


@dataclass
class Funnel:
    module: str
    title: str
    attempts: int = 0
    unfinished: int = 0
    steps: list[PageStep] = field(default_factory=list)

    @property
    def worst(self) -> int | None:
        """The page where most unfinished attempts stop (the first of equals), if any stopped."""
        best = max(range(len(self.steps)), key=lambda i: (self.steps[i].stopped, -i), default=None)
        return best if best is not None and self.steps[best].stopped else None


@dataclass
class ModuleItems:
    key: str
    title: str
    questions: list[QuestionRow]
    funnel: Funnel


def _split(response: str, separator: str) -> list[str]:
    """xAPI's ``[,]`` (SCORM 1.2's bare ``,`` too: a SCORM interaction forwarded as it was)."""
    if not response:
        return []
    return response.split(separator) if separator in response else response.split(separator[1])


def response_text(question: Any, response: str) -> str:
    """A response as the learner saw it: the choices' texts, not their identifiers."""
    def named(texts: list[str], ident: str) -> str:
        index = int(ident, 36) if ident.isalnum() and len(ident) == 1 else -1
        return texts[index] if 0 <= index < len(texts) else ident

    if isinstance(question, (SingleChoice, MultipleChoice)):
        texts = [c.text for c in question.choices]
        return " ; ".join(named(texts, part) for part in _split(response, "[,]"))
    if isinstance(question, Ordering):
        return " → ".join(named(question.items, part) for part in _split(response, "[,]"))
    if isinstance(question, Matching):
        lefts, rights = [p.left for p in question.pairs], [p.right for p in question.pairs]
        pairs = [_split(part, "[.]") + [""] for part in _split(response, "[,]")]
        return " ; ".join(f"{named(lefts, pair[0])} → {named(rights, pair[1])}" for pair in pairs)
    if isinstance(question, TrueFalse):
        return {"true": "Vrai", "t": "Vrai", "false": "Faux", "f": "Faux"}.get(response.lower(), response)
    if isinstance(question, FillIn):
        return f"« {response} »"
    return response


class Index:
    """The catalogue's questions and pages by IRI."""

    def __init__(self, catalogue: Catalogue) -> None:
        assert catalogue.settings is not None
        base = catalogue.settings.base_iri
        self.catalogue = catalogue
        self.units: list[ModuleUnit] = list(catalogue.modules())
        #: question IRI → (unit, question, its row template)
        self.questions: dict[str, tuple[ModuleUnit, Any, QuestionRow]] = {}
        #: page IRI → (unit key, position)
        self.pages: dict[str, tuple[str, int]] = {}
        for unit in self.units:
            for position, page in enumerate(unit.module.pages):
                self.pages[page_iri(base, unit, page.id)] = (unit.key, position)
            found = quiz_view(unit)
            if found is None:
                continue
            page_index = found["page"]
            block_index = next(i for i, b in enumerate(unit.module.pages[page_index].blocks) if getattr(b, "quiz", None) is found["quiz"])
            for number, question in enumerate(found["quiz"].questions):
                path = (*unit.path, "pages", page_index, "blocks", block_index, "quiz", "questions", number)
                line = unit.doc.source.locate(path).line
                try:
                    name = unit.doc.file.relative_to(catalogue.root).as_posix()
                except ValueError:
                    name = unit.doc.file.name
                row = QuestionRow(module=unit.key, number=number + 1, ident=question.id, prompt=question.prompt,
                                  where=f"{name}:{line}")
                self.questions[question_iri(base, unit, question.id)] = (unit, question, row)


def item_analysis(index: Index, answers: Iterable[Answers], wrong: Iterable[Wrong]) -> dict[str, list[QuestionRow]]:
    """Per module key, its questions in quiz order with their figures."""
    rows: dict[str, QuestionRow] = {}
    for iri, (_unit, _question, template) in index.questions.items():
        rows[iri] = QuestionRow(**{**template.__dict__})
    for iri, learners, first_right, last_right, tries, attempts in answers:
        row = rows.get(iri)
        if row is not None:
            row.learners, row.first_right, row.last_right = learners, first_right or 0, last_right or 0
            row.tries, row.attempts = tries or 0, attempts or 0
    most: dict[str, tuple[int, str]] = {}
    for iri, response, chosen in wrong:
        if iri in rows and (iri not in most or chosen > most[iri][0] or (chosen == most[iri][0] and response < most[iri][1])):
            most[iri] = (chosen, response)  # ties: the first response in text order, the same on every run
    for iri, (chosen, response) in most.items():
        rows[iri].wrong, rows[iri].wrong_chosen = response_text(index.questions[iri][1], response), chosen
    by_module: dict[str, list[QuestionRow]] = defaultdict(list)
    for row in rows.values():
        by_module[row.module].append(row)
    return dict(by_module)


def closed_attempts(outcomes: Iterable[Outcome], place: Any) -> set[tuple[str, str, str]]:
    """(module key, learner, attempt) of the attempts completed or passed."""
    closed = set()
    for target, grouping, learner, attempt, bits in outcomes:
        found = place(target, grouping)
        if found is not None and bits & (PASSED | COMPLETED):
            closed.add((found[0], learner, attempt))
    return closed


def last_pages(index: Index, visits: Iterable[Visit]) -> dict[tuple[str, str, str], tuple[set[int], int, str]]:
    """Per (module key, learner, attempt): the pages seen, the last one (latest visit) and its time."""
    seen: dict[tuple[str, str, str], tuple[set[int], int, str]] = {}
    for iri, learner, attempt, last in visits:
        found = index.pages.get(iri)
        if found is None:
            continue
        key = (found[0], learner, attempt)
        pages, position, when = seen.get(key, (set(), -1, ""))
        pages.add(found[1])
        if last >= when:
            position, when = found[1], last
        seen[key] = (pages, position, when)
    return seen


def funnels(index: Index, seen: dict[tuple[str, str, str], tuple[set[int], int, str]],
            closed: set[tuple[str, str, str]]) -> dict[str, Funnel]:
    found = {unit.key: Funnel(unit.key, unit.module.title, steps=[PageStep(page.title) for page in unit.module.pages])
             for unit in index.units}
    for key, (pages, last, _when) in seen.items():
        funnel = found[key[0]]
        funnel.attempts += 1
        for position in pages:
            funnel.steps[position].reached += 1
        if key not in closed:
            funnel.unfinished += 1
            funnel.steps[last].stopped += 1
    for funnel in found.values():
        for step in funnel.steps:
            step.share = step.reached / funnel.attempts if funnel.attempts else None
    return found
