"""Learners results from Moodle to the LRS."""
