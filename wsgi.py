"""The WSGI entry point for gunicorn."""

from server.factory import create_app

app = create_app()
