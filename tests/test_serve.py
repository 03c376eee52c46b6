"""`fonds serve` runs gunicorn with several workers and serves the reading room."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

from tests.conftest import database_url


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, deadline: float) -> bytes:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_serve_answers_with_the_document_page(cli, seed_file, tmp_path, monkeypatch):
    monkeypatch.setenv("FONDS_INGEST_STATUS", "published")  # an archive that publishes what it ingests
    cli("ingest", str(seed_file), check=True)
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url(), "FONDS_HOME": str(tmp_path / "home")}
    server = subprocess.Popen([sys.executable, "-m", "fonds", "serve", "--port", str(port), "--workers", "2"],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        page = _get(f"http://127.0.0.1:{port}/documents/000_6e32ea4dc738cddf/", time.monotonic() + 30).decode()
        assert "Proletarians of all countries, unite!" in page
        css = _get(f"http://127.0.0.1:{port}/static/fonds/fonds.css", time.monotonic() + 5)
        assert b"--accent" in css
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0].decode()
    assert "gunicorn" in output.lower() or "Booting worker" in output
