"""Load YAML into plain Python values while remembering where every value came from.

Validation messages must point at ``file:line:column``; PyYAML's constructed objects forget
their position, so we compose the node graph ourselves and record, for every path in the
document, where its key and its value start. Duplicate keys, which PyYAML silently merges,
are reported here because a mediator who writes ``title`` twice almost always made a mistake.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # libyaml is much faster; the pure-Python loader gives identical results
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Path = tuple[str | int, ...]

#: A document that expands past this many nodes (through aliases) is refused: it is either a
#: mistake or an "alias bomb", and validating it would take unbounded time.
MAX_NODES = 200_000


@dataclass(frozen=True)
class Position:
    """1-based line and column, as editors and compilers show them."""

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
        """Best position for ``path``: the path itself, else its nearest recorded ancestor."""
        for i in range(len(path), -1, -1):
            sub = path[:i]
            if prefer_key and sub in self.keys:
                return self.keys[sub]
            if sub in self.values:
                return self.values[sub]
            if sub in self.keys:
                return self.keys[sub]
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
            return self._constructor.construct_object(node, deep=True)
        except yaml.YAMLError:
            self.issues.append(
                YamlIssue("yaml.unknown_tag", _pos(node.start_mark), path, {"tag": node.tag})
            )
            return node.value

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


def _expanded_size(node: yaml.Node, memo: dict[int, int]) -> int:
    """Node count once aliases are expanded; memoised so that an alias bomb stays cheap."""
    ident = id(node)
    if ident in memo:
        return memo[ident]
    memo[ident] = 1  # breaks the (impossible in YAML 1.1, but cheap to guard) self-reference
    size = 1
    if isinstance(node, yaml.SequenceNode):
        size += sum(_expanded_size(child, memo) for child in node.value)
    elif isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            size += _expanded_size(key_node, memo) + _expanded_size(value_node, memo)
    memo[ident] = min(size, MAX_NODES + 1)
    return memo[ident]


def load_yaml(text: str) -> LoadedYaml:
    """Parse one YAML document. Never raises on bad input: problems come back as issues."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "syntax error"
        return LoadedYaml(None, SourceMap(), [YamlIssue("yaml.syntax", _pos(mark), (), {"problem": problem})])
    except yaml.YAMLError as exc:
        return LoadedYaml(None, SourceMap(), [YamlIssue("yaml.syntax", Position(1, 1), (), {"problem": str(exc)})])
    except RecursionError:
        return LoadedYaml(None, SourceMap(), [YamlIssue("yaml.too_deep", Position(1, 1), (), {})])
    if node is None:
        return LoadedYaml(None, SourceMap(), [YamlIssue("yaml.empty", Position(1, 1), (), {})])
    if _expanded_size(node, {}) > MAX_NODES:
        return LoadedYaml(
            None, SourceMap(), [YamlIssue("yaml.too_big", Position(1, 1), (), {"limit": MAX_NODES})]
        )
    builder = _Builder()
    try:
        data = builder.build(node, ())
    except RecursionError:
        return LoadedYaml(None, SourceMap(), [YamlIssue("yaml.too_deep", Position(1, 1), (), {})])
    return LoadedYaml(data, builder.source, builder.issues)
