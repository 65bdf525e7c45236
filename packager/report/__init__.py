"""The completion report, computed from the LRS."""
