"""Talking to Moodle: its REST protocol, its error shapes and the functions CoursePack uses."""
