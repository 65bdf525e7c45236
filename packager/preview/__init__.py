"""Local preview: the catalogue in a browser, each module in an LMS simulator."""
