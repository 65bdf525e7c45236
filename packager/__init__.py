"""CoursePack: YAML course definitions → SCORM / xAPI / cmi5 packages → Moodle → LRS."""

__version__ = "0.1.0"
