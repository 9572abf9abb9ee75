"""Demonstration data: a living association for a newcomer to log in to as each role."""
