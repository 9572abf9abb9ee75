"""The reports tables (filled in by the reports issue)."""
