"""Finsam Portfolio: the association, its members, insatser, meetings, decisions and budget room.

One sub-package per area, each standing only on those below it (checked by import-linter, see
pyproject.toml): shell, demo, overview, board_pack, economy, [reports], meetings, documents,
[applications], mail, register, accounts, core. The Piccolo app itself (piccolo_app.py,
migrations/) stays here; its tables are in core/tables.py.
"""
