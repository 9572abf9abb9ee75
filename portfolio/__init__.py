"""Finsam Portfolio: the association, its members, insatser, meetings, decisions and budget room."""
