"""The ASGI application that uvicorn (or any ASGI server) serves: `portfolio.asgi:app`."""

from portfolio.app import create_app

app = create_app()
