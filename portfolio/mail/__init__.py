"""E-mail: notices, reminders and decisions composed from editable templates and sent from a queue.

domain.py (pure rules), compose.py (templates), reminders.py (pure reminder schedule),
tables.py, queue.py (enqueue and claim), sender.py (SMTP), notifications.py (what the use
cases call), permissions.py, queries.py, schemas.py, controllers.py.
"""
