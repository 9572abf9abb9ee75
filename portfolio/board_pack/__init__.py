"""The board pack: a meeting's papers, applications, reports summary and economy report as one PDF."""
