"""The output formats' names, without loading their builders (the CLI lists them at start-up)."""

FORMATS = ("scorm12", "scorm2004", "xapi", "cmi5")
#: SCORM 1.2 first: the Moodle app plays nothing else.
DEFAULT_FORMAT = "scorm12"
