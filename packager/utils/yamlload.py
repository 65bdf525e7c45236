"""Load YAML into plain Python values while remembering where every value came from.

Validation messages must point at ``file:line:column``; PyYAML's constructed objects forget
their position, so we compose the node graph ourselves and record, for every path in the
document, where its key and its value start. Duplicate keys, which PyYAML silently merges,
are reported here because a mediator who writes ``title`` twice almost always made a mistake.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

import yaml

try:  # libyaml is much faster; the pure-Python loader gives identical results
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Path = tuple[str | int, ...]

#: A document that expands past this many nodes (through aliases) is refused: it is either a
#: mistake or an "alias bomb", and validating it would take unbounded time.
MAX_NODES = 200_000
#: Deepest nesting accepted. A course is about a dozen levels deep; every later walk (ours,
#: pydantic's, json's) recurses, so anything deeper is refused here, before any of them runs.
MAX_DEPTH = 100


class Position(NamedTuple):
    """1-based line and column, as editors and compilers show them (a tuple: a document has a
    hundred thousand of them, cheap to make and to cache)."""

    line: int
    column: int


@dataclass
class SourceMap:
    """Where each path of a document starts: its key (for mappings) and its value."""

    keys: dict[Path, Position] = field(default_factory=dict)
    values: dict[Path, Position] = field(default_factory=dict)
    #: first line of a block scalar's content (``|`` or ``>``), for line-exact Markdown checks
    block_content: dict[Path, int] = field(default_factory=dict)

    def locate(self, path: Path, *, prefer_key: bool = False) -> Position:
        """Best position for ``path``: the path itself, else its nearest recorded ancestor.

        (A map read back from the validation cache holds plain ``(line, column)`` tuples.)"""
        for i in range(len(path), -1, -1):
            sub = path[:i]
            if prefer_key and sub in self.keys:
                return Position(*self.keys[sub])
            if sub in self.values:
                return Position(*self.values[sub])
            if sub in self.keys:
                return Position(*self.keys[sub])
        return Position(1, 1)


@dataclass(frozen=True)
class YamlIssue:
    """A problem found while reading YAML: syntax, duplicate key, unsupported construct."""

    code: str
    position: Position
    path: Path
    params: dict[str, Any]


@dataclass
class LoadedYaml:
    data: Any
    source: SourceMap
    issues: list[YamlIssue]


def _pos(mark: yaml.Mark | None) -> Position:
    if mark is None:
        return Position(1, 1)
    return Position(mark.line + 1, mark.column + 1)


class _HugeNumber(Exception):
    """A number too long to read: the whole file is refused with one line, at its place."""

    def __init__(self, position: Position, path: Path, digits: int) -> None:
        super().__init__(position, path, digits)
        self.issue = YamlIssue("yaml.huge_number", position, path, {"digits": digits})


class _Builder:
    """Turns a composed node graph into dicts, lists and scalars plus a SourceMap."""

    def __init__(self) -> None:
        self.source = SourceMap()
        self.issues: list[YamlIssue] = []
        self._constructor = yaml.SafeLoader("")  # only its scalar constructors are used

    def build(self, node: yaml.Node, path: Path) -> Any:
        self.source.values.setdefault(path, _pos(node.start_mark))
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, path + (i,)) for i, child in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        return None  # pragma: no cover - PyYAML has no other node kinds

    def _scalar(self, node: yaml.ScalarNode, path: Path) -> Any:
        if node.style in ("|", ">"):
            self.source.block_content[path] = node.start_mark.line + 2
        try:
            value = self._constructor.construct_object(node, deep=True)
            known = not isinstance(value, bytes)  # ``!!binary``: bytes pydantic would take for a text
        except yaml.YAMLError:
            known = False
        except ValueError:  # Python refuses to read an integer of more than 4,300 digits
            raise _HugeNumber(_pos(node.start_mark), path, len(node.value)) from None
        if not known:
            self.issues.append(
                YamlIssue("yaml.unknown_tag", _pos(node.start_mark), path, {"tag": node.tag})
            )
            return node.value
        return value

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict[str, Any]:
        try:
            self._constructor.flatten_mapping(node)  # resolves "<<: *anchor" merges
        except yaml.YAMLError:
            self.issues.append(YamlIssue("yaml.bad_merge", _pos(node.start_mark), path, {}))
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self._key(key_node, path)
            if key is None:
                continue
            child = path + (key,)
            if key in result:
                first = self.source.keys[child]
                self.issues.append(
                    YamlIssue(
                        "yaml.duplicate_key",
                        _pos(key_node.start_mark),
                        child,
                        {"key": key, "first_line": first.line},
                    )
                )
                continue
            self.source.keys[child] = _pos(key_node.start_mark)
            result[key] = self.build(value_node, child)
        return result

    def _key(self, node: yaml.Node, path: Path) -> str | None:
        """Keys are taken as written (``yes:`` stays "yes"); only scalars make sense as keys."""
        if isinstance(node, yaml.ScalarNode):
            return str(node.value)
        self.issues.append(YamlIssue("yaml.bad_key", _pos(node.start_mark), path, {}))
        return None


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [child for pair in node.value for child in pair]
    return list(node.value)  # a sequence's items (scalars never get here)


def _measure(root: yaml.Node) -> tuple[int, int, bool]:
    """(node count once aliases are expanded, nesting depth, whether an alias repeats a node),
    without recursion.

    Memoised per node so that an alias bomb stays cheap; iterative so that no nesting depth can
    exhaust Python's stack (PyYAML's C composer accepts documents far deeper than our walks)."""
    sizes: dict[int, int] = {}
    depths: dict[int, int] = {}
    pending: set[int] = set()
    shared = False
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    scalar = yaml.ScalarNode
    while stack:
        node, children_done = stack.pop()
        ident = id(node)
        if node.__class__ is scalar:
            shared = shared or ident in sizes
            sizes[ident] = depths[ident] = 1
            continue
        if children_done:
            kids = _children(node)
            sizes[ident] = min(1 + sum(sizes.get(id(k), 1) for k in kids), MAX_NODES + 1)
            depths[ident] = 1 + max((depths.get(id(k), 1) for k in kids), default=0)
            continue
        if ident in sizes or ident in pending:
            shared = True
            continue  # already measured, or a self-reference (possible with PyYAML's anchors)
        pending.add(ident)
        stack.append((node, True))
        kids = _children(node)
        fresh = [kid for kid in kids if id(kid) not in sizes]
        shared = shared or len(fresh) < len(kids)
        stack.extend((kid, False) for kid in fresh)
    return sizes[id(root)], depths[id(root)], shared


def _tab_indented_line(text: str, mark: yaml.Mark | None) -> int | None:
    """The line (1-based) a syntax error comes from when a tab indents it, at or just before the
    error: PyYAML then speaks of tokens and indentation, the cause is the tab."""
    lines = text.splitlines()
    last = min(mark.line, len(lines) - 1) if mark is not None else len(lines) - 1
    for index in range(last, max(-1, last - 3), -1):
        line = lines[index] if 0 <= index < len(lines) else ""
        if "\t" in line[: len(line) - len(line.lstrip(" \t"))]:
            return index + 1
    return None


def load_yaml(text: str) -> LoadedYaml:
    """Parse one YAML document. Never raises on bad input: problems come back as issues."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "syntax error"
        if problem.startswith("exceeded maximum nesting depth"):  # libyaml's own limit (1000)
            return LoadedYaml(None, SourceMap(), [YamlIssue("yaml.too_deep", _pos(mark), (), {"limit": MAX_DEPTH})])
        tab_line = _tab_indented_line(text, mark)
        if tab_line is not None:
            return LoadedYaml(None, SourceMap(), [YamlIssue("yaml.tab", Position(tab_line, 1), (), {"line": tab_line})])
        return LoadedYaml(None, SourceMap(), [YamlIssue("yaml.syntax", _pos(mark), (), {"problem": problem})])
    except yaml.YAMLError as exc:
        return LoadedYaml(None, SourceMap(), [YamlIssue("yaml.syntax", Position(1, 1), (), {"problem": str(exc)})])
    except RecursionError:
        return LoadedYaml(None, SourceMap(), [YamlIssue("yaml.too_deep", Position(1, 1), (), {"limit": MAX_DEPTH})])
    if node is None:
        return LoadedYaml(None, SourceMap(), [YamlIssue("yaml.empty", Position(1, 1), (), {})])
    size, depth, aliased = _measure(node)
    if depth > MAX_DEPTH:
        return LoadedYaml(None, SourceMap(), [YamlIssue("yaml.too_deep", Position(1, 1), (), {"limit": MAX_DEPTH})])
    if size > MAX_NODES:
        return LoadedYaml(
            None, SourceMap(), [YamlIssue("yaml.too_big" if aliased else "yaml.too_many_nodes", Position(1, 1), (), {"limit": MAX_NODES})]
        )
    builder = _Builder()
    try:
        data = builder.build(node, ())
    except RecursionError:  # pragma: no cover - MAX_DEPTH keeps the builder far from the limit
        return LoadedYaml(None, SourceMap(), [YamlIssue("yaml.too_deep", Position(1, 1), (), {"limit": MAX_DEPTH})])
    except _HugeNumber as huge:
        return LoadedYaml(None, SourceMap(), [huge.issue])
    return LoadedYaml(data, builder.source, builder.issues)
