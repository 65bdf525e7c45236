"""Output formats by name. SCORM 1.2 comes first: it is the default."""

from __future__ import annotations

from packager.packaging.builders.base import Builder
from packager.packaging.formats import FORMATS
from packager.packaging.builders.cmi5 import Cmi5Builder
from packager.packaging.builders.scorm12 import Scorm12Builder
from packager.packaging.builders.scorm2004 import Scorm2004Builder
from packager.packaging.builders.xapi import XapiBuilder

__all__ = ["BUILDERS"]

BUILDERS: dict[str, type[Builder]] = {
    Scorm12Builder.name: Scorm12Builder,
    Scorm2004Builder.name: Scorm2004Builder,
    XapiBuilder.name: XapiBuilder,
    Cmi5Builder.name: Cmi5Builder,
}
assert tuple(BUILDERS) == FORMATS, "packager/packaging/formats.py names every builder, in order"
