"""The production web server: gunicorn serving the Django WSGI application, and beside it the
node's index follower (`fonds.catalog.follower`), a process of its own that a supervising thread
restarts should it die."""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time

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
        from fonds.enrich.locations import load as load_places
        from fonds.web.wsgi import application

        # preload_app: this runs once in the parent, and the forked workers share the tables, so
        # no worker's first map request spends seconds building them.
        load_places()
        return application


def control_socket(port: int) -> str:
    """The gunicorn control socket (for `gunicornc`) of the server on `port`: gunicorn's folder
    ($XDG_RUNTIME_DIR, else ~/.gunicorn) and a name of its own, since gunicorn's one name for every
    server would let two servers on one machine take each other's socket."""
    return os.path.join(os.path.dirname(ControlSocket.default), f"fonds-{port}.ctl")


# How long `fonds serve` waits for its follower to take the index folder before giving up.
FOLLOWER_START = 60.0
log = logging.getLogger(__name__)


def _follow(ready, parent: int) -> None:
    """The follower process: follow the change log until the server that started it is gone."""
    import django

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which then stops this
    django.setup()
    from fonds.catalog.follower import FollowerBusy, follow
    from fonds.settings import get_settings

    settings = get_settings()
    try:
        follow(settings.index_dir, settings.follow_interval, ready=ready.set, running=lambda: os.getppid() == parent)
    except FollowerBusy as busy:
        log.info("%s", busy)  # another server started its follower first; that one serves this server too


def start_follower(root, wait: bool = True) -> multiprocessing.Process | None:
    """Start this node's index follower (a fresh interpreter, not a fork of a process holding
    database connections) and, with `wait`, wait until it holds the index folder. None when another
    server on this machine already follows the same folder: its follower serves both (one writer
    per folder)."""
    from fonds.catalog.follower import follower_running

    if follower_running(root):
        return None
    context = multiprocessing.get_context("spawn")
    ready = context.Event()
    process = context.Process(target=_follow, args=(ready, os.getpid()), name="fonds-follower", daemon=True)
    process.start()
    # The child opens the event's semaphore after start() returns, and the parent's event unlinks it
    # when collected: unwaited for, it must live as long as the process (else the follower died at
    # once and the supervisor replaced it only after FOLLOWER_START, a minute without indexing).
    process.ready = ready
    deadline = time.monotonic() + FOLLOWER_START
    while wait and not ready.wait(0.1):
        if follower_running(root):  # another server's follower took the folder first
            return None
        if not process.is_alive() or time.monotonic() > deadline:
            process.terminate()
            raise SystemExit("the index follower did not start (see its error above)")
    return process


def _supervise(root, interval: float, stop: threading.Event) -> None:
    """Restart the follower whenever none holds the index folder (killed, or crashed), once the
    first one has had its time to start."""
    from fonds.catalog.follower import follower_running

    starting_since = time.monotonic()
    while not stop.wait(max(interval, 0.5)):
        if follower_running(root):
            starting_since = None
            continue
        if starting_since is not None and time.monotonic() - starting_since < FOLLOWER_START:
            continue
        log.warning("index follower of %s is gone; starting another", root)
        try:
            start_follower(root)
        except SystemExit as error:
            log.error("%s", error)


def serve(host: str, port: int, workers: int) -> None:
    """Serve the archive until interrupted, with an index follower beside the web workers."""
    from fonds.catalog.follower import followed_elsewhere
    from fonds.settings import get_settings

    settings = get_settings()
    # Not waited for: the web workers start meanwhile (searches wait for the index, at most
    # search_wait), and the supervisor starts another should this one fail to take the folder.
    follower = start_follower(settings.index_dir, wait=False)
    followed_elsewhere()  # the web workers, forked from this process, wait for the follower
    stop = threading.Event()
    threading.Thread(target=_supervise, args=(settings.index_dir, settings.follow_interval, stop),
                     name="fonds-follower-supervisor", daemon=True).start()
    try:
        _run(host, port, workers)
    finally:
        stop.set()
        if follower is not None:
            follower.terminate()


def _run(host: str, port: int, workers: int) -> None:
    _Server({"bind": f"{host}:{port}", "workers": workers, "accesslog": "-", "timeout": 60,
             "preload_app": True, "control_socket": control_socket(port)}).run()
