"""The foundation every area stands on: settings, the database engine, errors, Swedish formatting,
optimistic locking, the shared vocabulary (`domain.py`), the portfolio app's Piccolo tables, the
audit trail, and the Litestar glue for error answers, forms and templates (`web.py`).
"""
