"""`fonds serve` runs gunicorn with several workers and serves the reading room."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

from tests.conftest import database_url, free_port, get_when_up


def test_serve_answers_with_the_document_page(cli, seed_file, tmp_path, monkeypatch):
    monkeypatch.setenv("FONDS_INGEST_STATUS", "published")  # an archive that publishes what it ingests
    cli("ingest", str(seed_file), check=True)
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url(), "FONDS_HOME": str(tmp_path / "home")}
    server = subprocess.Popen([sys.executable, "-m", "fonds", "serve", "--port", str(port), "--workers", "2"],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        page = get_when_up(f"http://127.0.0.1:{port}/documents/000_6e32ea4dc738cddf/", time.monotonic() + 30).decode()
        assert "Proletarians of all countries, unite!" in page
        css = get_when_up(f"http://127.0.0.1:{port}/static/fonds/fonds.css", time.monotonic() + 5)
        assert b"--accent" in css
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0].decode()
    assert "gunicorn" in output.lower() or "Booting worker" in output


def _start(env: dict, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "fonds", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)


def _stop(server: subprocess.Popen) -> str:
    server.terminate()
    return server.communicate(timeout=30)[0].decode()


def test_two_servers_on_one_machine_keep_their_own_control_sockets(cli, seed_file, tmp_path):
    """gunicorn's control socket (for gunicornc) was one path per user: a second server took the
    first's, and stopping either removed it. Each fonds server now has its own, named by its port."""
    import socket

    cli("ingest", str(seed_file), check=True)
    env = {**os.environ, "DATABASE_URL": database_url(), "FONDS_HOME": str(tmp_path / "home"),
           "HOME": str(tmp_path / "user")}
    env.pop("XDG_RUNTIME_DIR", None)
    ports = [free_port(), free_port()]
    servers = [_start(env, "serve", "--port", str(port), "--workers", "1") for port in ports]
    sockets = [tmp_path / "user" / ".gunicorn" / f"fonds-{port}.ctl" for port in ports]
    try:
        for port in ports:
            get_when_up(f"http://127.0.0.1:{port}/", time.monotonic() + 30)
        assert all(path.is_socket() for path in sockets)
        _stop(servers[0])
        assert not sockets[0].exists() and sockets[1].is_socket()  # the second server kept its own
        with socket.socket(socket.AF_UNIX) as client:
            client.connect(str(sockets[1]))
    finally:
        for server in servers:
            if server.poll() is None:
                _stop(server)


def test_demo_serves_on_the_port_setting(tmp_path):
    """`fonds demo` takes FONDS_PORT (or fonds.toml's port) like `fonds serve`, not always 8000."""
    port = free_port()
    env = {**os.environ, "FONDS_HOME": str(tmp_path / "demo"), "FONDS_PORT": str(port), "FONDS_WORKERS": "1",
           "HOME": str(tmp_path / "user")}
    env.pop("DATABASE_URL", None)  # the demo's own SQLite home
    demo = _start(env, "demo")
    try:
        page = get_when_up(f"http://127.0.0.1:{port}/", time.monotonic() + 120).decode()
        assert "/documents/frus1955-57v20-d317/" in page  # the samples, served on that port
    finally:
        output = _stop(demo)
    assert f"Open http://127.0.0.1:{port}/documents/" in output
