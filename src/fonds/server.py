"""The production web server: gunicorn serving the Django WSGI application."""

from __future__ import annotations

from gunicorn.app.base import BaseApplication


class _Server(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from fonds.web.wsgi import application

        return application


def serve(host: str, port: int, workers: int) -> None:
    """Serve the archive until interrupted."""
    _Server({"bind": f"{host}:{port}", "workers": workers, "accesslog": "-", "timeout": 60,
             "preload_app": True}).run()
