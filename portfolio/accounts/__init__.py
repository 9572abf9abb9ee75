"""Accounts and access: users, log-in and sessions, passwords, two-factor log-in, the log-in limit,
and who may use each route (`access.py`, the pure rules in `permissions.py`, the guards).
"""
