"""A key that changes when the code of some packages changes: a new version, or an edited
source checkout. Caches keyed on it forget what older code computed.

The packages are given as imported modules, never as folder names, so that whoever depends on
another floor's code says so with an import ``tests/test_layers.py`` can see.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import ModuleType

from packager import __version__


def source_key(*packages: ModuleType) -> str:
    """The tool's version and the path, size and modification time of each package's sources."""
    digest = hashlib.sha256(__version__.encode())
    for package in packages:
        for folder in getattr(package, "__path__", []):
            top = Path(folder)
            for source in sorted(top.rglob("*.py")):
                stat = source.stat()
                digest.update(f"{package.__name__}/{source.relative_to(top)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()
