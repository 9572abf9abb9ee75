"""Quarterly reports, requisitions and follow-up exports."""
