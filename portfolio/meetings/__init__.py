"""Meetings: AU and board meetings, cases and agendas, proposals, decisions with votes and
commitments, minutes and their papers, the e-mails a meeting sends, and an insats's dossier.
"""
