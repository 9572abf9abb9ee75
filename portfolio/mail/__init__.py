"""E-mail: notices, reminders and decisions composed from editable templates and sent from a queue.

domain.py (pure rules), compose.py (templates), reminders.py (pure reminder schedule),
tables.py, queue.py (enqueue and claim), sender.py (SMTP), recipients.py (what the use cases
call: who receives a mail and `queue_to`), permissions.py, queries.py, schemas.py, controllers.py.
The mail knows nothing of the areas that send it: each keeps its own mails in its `notices.py`,
and the app shell hands the sender its periodic job (the reports' reminders).
"""
