"""Real servers for the tests that need them: gunicorn with the project's gunicorn.conf.py,
its collected static files and a migrated SQLite database, and a Redis of a test's own.
The fixtures that start them are in ``tests/conftest.py``."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager

import redis

from tests.helpers import PROJECT_DIR

PRODUCTION = {"DEBUG": "false", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "127.0.0.1"}
ONE_YEAR = 365 * 24 * 60 * 60


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def collected_static(tmp_path_factory):
    """A STATIC_ROOT filled by ``collectstatic``, once per test session (it takes a while)."""
    root = tmp_path_factory.getbasetemp() / "staticfiles"
    if not (root / "staticfiles.json").exists():
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input"],
            cwd=PROJECT_DIR,
            env={**os.environ, **PRODUCTION, "STATIC_ROOT": str(root)},
            check=True,
            capture_output=True,
            timeout=120,
        )
    return root


def migrated_sqlite_database(tmp_path_factory):
    """The DATABASE_URL of an empty, migrated SQLite file, once per test session: a server
    of its own that forms can write to, on either database the suite runs on."""
    path = tmp_path_factory.getbasetemp() / "served.sqlite3"
    url = f"sqlite:///{path}"
    if not path.exists():
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input"],
            cwd=PROJECT_DIR,
            env={**os.environ, **PRODUCTION, "DATABASE_URL": url},
            check=True,
            capture_output=True,
            timeout=300,
        )
    return url


class Server:
    def __init__(self, host, port, log_path):
        self.host = host
        self.port = port
        self.url = f"http://{host}:{port}"
        self.log_path = log_path

    def get(self, path, **headers):
        request = urllib.request.Request(self.url + path, headers=headers)
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()

    @property
    def log(self):
        return self.log_path.read_text()


@contextmanager
def gunicorn(static_root, log_dir, **environment):
    """A real gunicorn with one worker, yielded once it answers (on HOST, 127.0.0.1 unless
    the environment given names another loopback address)."""
    port = free_port()
    host = environment.get("HOST", "127.0.0.1")
    env = {
        **os.environ,
        **PRODUCTION,
        "STATIC_ROOT": str(static_root),
        "HOST": host,
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        **environment,
    }
    log_path = log_dir / f"gunicorn-{port}.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "recovery_site.wsgi"],
            cwd=PROJECT_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = Server(host, port, log_path)
    try:
        # Generous: on a busy machine the first answer can take a while.
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                server.get("/robots.txt")
                break
            except urllib.error.HTTPError:
                break  # answering, whatever it says
            except (urllib.error.URLError, TimeoutError):  # not listening or not ready yet
                time.sleep(0.05)
        else:
            raise AssertionError(f"gunicorn did not answer:\n{server.log}")
        yield server
    finally:
        process.terminate()
        process.wait(timeout=30)


@contextmanager
def redis_server():
    """A Redis server of the test's own, on a free port, keeping nothing on disk."""
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port)
    try:
        for _attempt in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        client.close()
        server.terminate()
        server.wait(timeout=30)
