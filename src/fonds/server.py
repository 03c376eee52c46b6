"""The production web server: gunicorn serving the Django WSGI application."""

from __future__ import annotations

import os

from gunicorn.app.base import BaseApplication
from gunicorn.config import ControlSocket


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


def control_socket(port: int) -> str:
    """The gunicorn control socket (for `gunicornc`) of the server on `port`: gunicorn's folder
    ($XDG_RUNTIME_DIR, else ~/.gunicorn) and a name of its own, since gunicorn's one name for every
    server would let two servers on one machine take each other's socket."""
    return os.path.join(os.path.dirname(ControlSocket.default), f"fonds-{port}.ctl")


def serve(host: str, port: int, workers: int) -> None:
    """Serve the archive until interrupted."""
    _Server({"bind": f"{host}:{port}", "workers": workers, "accesslog": "-", "timeout": 60,
             "preload_app": True, "control_socket": control_socket(port)}).run()
