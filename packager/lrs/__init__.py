"""Talking to a Learning Record Store: xAPI 1.0.3 statements resource, as the spec says."""
