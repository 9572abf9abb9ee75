"""The ASGI application that uvicorn (or any ASGI server) serves: `portfolio.shell.asgi:app`."""

from portfolio.shell.app import create_app

app = create_app()
