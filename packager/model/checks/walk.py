"""Walk a module's pages, blocks, questions, images and texts together with their YAML paths.

Every check needs "this thing, and where it was written"; keeping the walking here means the
checks only say what is wrong.
"""

from __future__ import annotations

from typing import Any
from collections.abc import Iterator

from packager.model import markdown
from packager.model.catalogue import ModuleUnit, block_kind_name
from packager.model.format import (
    Choice,
    DownloadBlock,
    Image,
    ImageBlock,
    MultipleChoice,
    Page,
    QuizBlock,
    SingleChoice,
    StepsBlock,
    TextBlock,
    TipBlock,
    VideoBlock,
    WarningBlock,
)
from packager.utils.yamlload import Path as DataPath


def strings(data: Any, path: DataPath = ()) -> Iterator[tuple[DataPath, str]]:
    """Every text of a file as read (keys included, at their own path), whatever the field: what
    reaches a manifest, the player's JSON or Moodle is not only what the model names."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str):
                yield path + (key,), key
            yield from strings(value, path + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from strings(value, path + (index,))


def pages(unit: ModuleUnit) -> Iterator[tuple[DataPath, Page]]:
    for index, page in enumerate(unit.module.pages):
        yield unit.path + ("pages", index), page


def blocks(unit: ModuleUnit) -> Iterator[tuple[DataPath, Page, Any]]:
    """(path of the block's payload, e.g. ``…blocks[2].image``, page, block)."""
    for page_path, page in pages(unit):
        for index, block in enumerate(page.blocks):
            yield page_path + ("blocks", index, block_kind_name(block)), page, block


def quizzes(unit: ModuleUnit) -> Iterator[tuple[DataPath, Page, QuizBlock]]:
    for path, page, block in blocks(unit):
        if isinstance(block, QuizBlock):
            yield path, page, block


def questions(unit: ModuleUnit) -> Iterator[tuple[DataPath, Any]]:
    for path, _page, block in quizzes(unit):
        for index, question in enumerate(block.quiz.questions):
            yield path + ("questions", index), question


def _step_text_path(unit: ModuleUnit, step_path: DataPath) -> DataPath:
    """A step written as one sentence has its text at the step itself."""
    return step_path + ("text",) if step_path + ("text",) in unit.doc.source.values else step_path


def images(unit: ModuleUnit) -> Iterator[tuple[DataPath, Image]]:
    for path, _page, block in blocks(unit):
        if isinstance(block, ImageBlock):
            yield path, block.image
        elif isinstance(block, StepsBlock):
            for index, step in enumerate(block.steps):
                if step.image is not None:
                    yield path + (index, "image"), step.image


def markdown_texts(unit: ModuleUnit) -> Iterator[tuple[DataPath, str, bool]]:
    """Every field written in Markdown, where headings and links can hide, and whether the page
    shows it inside a line (a prompt) rather than as blocks: parse it with ``markdown.parsed``."""
    for path, _page, block in blocks(unit):
        if isinstance(block, (TextBlock, TipBlock, WarningBlock)):
            yield path, getattr(block, block_kind_name(block)), False
        elif isinstance(block, StepsBlock):
            for index, step in enumerate(block.steps):
                yield _step_text_path(unit, path + (index,)), step.text, False
        elif isinstance(block, VideoBlock):
            yield path + ("transcript",), block.video.transcript, False
    for path, question in questions(unit):
        yield path + ("prompt",), question.prompt, True
        if question.feedback is not None:
            for name in ("correct", "incorrect"):
                if getattr(question.feedback, name):
                    yield path + ("feedback", name), getattr(question.feedback, name), False
        if isinstance(question, (SingleChoice, MultipleChoice)):
            for index, choice in enumerate(question.choices):
                if choice.feedback:
                    yield path + ("choices", index, "feedback"), choice.feedback, False


def media(unit: ModuleUnit) -> Iterator[tuple[DataPath, str, str, int | None]]:
    """(path of the field, file as written, kind of media expected, line inside a text or None):
    the media fields, then the files Markdown texts link to or show (``[la fiche](media/….pdf)``)."""
    for path, image in images(unit):
        yield path + ("src",), image.src, "image", None
    for path, _page, block in blocks(unit):
        if isinstance(block, VideoBlock):
            yield path + ("src",), block.video.src, "video", None
            yield path + ("captions",), block.video.captions, "captions", None
            if block.video.poster:
                yield path + ("poster",), block.video.poster, "image", None
        elif isinstance(block, DownloadBlock):
            yield path + ("src",), block.download.src, "download", None
    for path, text, inline in markdown_texts(unit):
        for target, kind, offset in markdown.targets(text, inline):
            written = markdown.local_file(target)
            if written is not None:
                yield path, written, kind, offset


def shown_images(unit: ModuleUnit) -> set[str]:
    """Files the module only shows as images: those a build may shrink (a file also offered for
    download or linked to goes as it is, for the agent who wants every pixel)."""
    kinds: dict[str, set[str]] = {}
    for _path, written, kind, _line in media(unit):
        kinds.setdefault(written, set()).add(kind)
    return {written for written, found in kinds.items() if found == {"image"}}


def choices(question: Any) -> list[Choice]:
    return list(question.choices) if isinstance(question, (SingleChoice, MultipleChoice)) else []
