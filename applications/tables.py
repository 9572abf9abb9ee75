"""The applications tables (filled in by the applications issue)."""
