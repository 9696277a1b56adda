"""Production serving: gunicorn's access log keeps no query strings and no IP addresses."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_access_log_leaves_out_what_visitors_typed_and_who_they_are():
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "recovery_site.wsgi"],
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/about/?q=my+secret+search&near=60614"
        for _attempt in range(100):
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    assert response.status == 200
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("gunicorn did not answer")
    finally:
        server.terminate()
        log, _ = server.communicate(timeout=30)

    request_lines = [line for line in log.splitlines() if '"GET ' in line]
    assert len(request_lines) == 1, log
    assert '"GET /about/" 200' in request_lines[0]
    assert "secret" not in log
    assert "60614" not in log
    assert "127.0.0.1 " not in request_lines[0]
