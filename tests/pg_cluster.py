"""A PostgreSQL cluster a test owns: made with ``initdb`` in a temporary folder, started
on a free port with trust authentication, and removed when the test is done.

Tests that stop, restart or copy a database use one of these, never the shared server
the rest of the suite runs on. The cluster allows replication connections, so a later
test can start a standby from it (``pg_basebackup`` into a second ``Cluster``).

PostgreSQL refuses to run as root, so when the tests run as root the server programs
(``initdb``, ``pg_ctl``) run as the ``postgres`` user, in a folder that user owns.
Clients (``psql``, ``pg_dump``, ``pg_restore``) connect over TCP and run as anyone.
A program that fails raises ProgramFailed, with what it printed.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

SERVER_USER = "postgres"


def in_ci():
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}


def find_bin_dir():
    """The folder of the newest PostgreSQL's programs, or None."""
    override = os.environ.get("PG_BIN_DIR")
    candidates = [Path(override)] if override else []
    candidates += sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
        reverse=True,
    )
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).parent)
    for candidate in candidates:
        if (candidate / "initdb").exists() and (candidate / "pg_ctl").exists():
            return candidate
    return None


def require_bin_dir():
    """The PostgreSQL programs' folder; without them skip, or in CI fail, with the reason."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        reason = (
            "initdb and pg_ctl were not found (looked in /usr/lib/postgresql/*/bin, PATH and "
            "PG_BIN_DIR); install the postgresql package to run the tests that own a cluster."
        )
        if in_ci():
            pytest.fail(f"CI needs PostgreSQL's server programs. {reason}", pytrace=False)
        pytest.skip(reason)
    return bin_dir


class ProgramFailed(Exception):
    pass


def run(command, timeout, **kwargs):
    command = [str(part) for part in command]
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, **kwargs)
    if result.returncode:
        raise ProgramFailed(
            f"{' '.join(command)} exited with {result.returncode}:\n{result.stderr}{result.stdout}"
        )
    return result


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """One PostgreSQL server in ``directory``, answering on 127.0.0.1:``port``."""

    def __init__(self, bin_dir, directory, port):
        self.bin_dir = Path(bin_dir)
        self.directory = Path(directory)
        self.port = port
        self.log_path = self.directory / "server.log"

    # Running programs -------------------------------------------------------------

    def _as_server_user(self, command):
        if os.geteuid() == 0:
            return ["runuser", "-u", SERVER_USER, "--", *command]
        return command

    def as_server_user(self, *command, timeout=60):
        """Run ``command`` as the user owning the data (the postgres user when we are root)."""
        return run(self._as_server_user(command), timeout)

    def server_program(self, name, *args, timeout=60):
        """Run a server program (initdb, pg_ctl, pg_basebackup…) as the user owning the data."""
        return self.as_server_user(self.bin_dir / name, *args, timeout=timeout)

    def tool(self, name, *args, timeout=120):
        """Run a client program (psql, pg_dump, pg_restore…) of this cluster's version, as
        given: name the server with ``self.url(database)``."""
        return run([self.bin_dir / name, *args], timeout)

    def sql(self, statement, database="postgres"):
        """The rows ``statement`` returns, each a list of its columns' text."""
        output = self.tool(
            "psql", "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1",
            "-c", statement, self.url(database),
        ).stdout  # fmt: skip
        return [line.split("\t") for line in output.splitlines()]

    def url(self, database):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    # Life cycle ---------------------------------------------------------------------

    @classmethod
    def _new(cls, bin_dir):
        # A folder the server user owns, with nothing in it yet, and a port of its own.
        directory = Path(tempfile.mkdtemp(prefix="recovery-pg-"))
        if os.geteuid() == 0:
            shutil.chown(directory, SERVER_USER, SERVER_USER)
        return cls(bin_dir, directory, free_port())

    def configure(self, settings):
        """Add lines to postgresql.conf (the last line for a setting wins)."""
        with (self.data_dir / "postgresql.conf").open("a") as file:
            file.writelines(f"{name} = {value}\n" for name, value in settings.items())

    def _own_settings(self, settings):
        return {
            "port": str(self.port),
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{self.directory}'",
            # A throwaway cluster: losing it in a power cut costs nothing.
            "fsync": "off",
            "max_connections": "50",
            **(settings or {}),
        }

    @classmethod
    def create(cls, bin_dir, settings=None):
        """A new, stopped cluster. ``settings`` are extra postgresql.conf lines by name."""
        cluster = cls._new(bin_dir)
        cluster.server_program(
            "initdb", "-D", cluster.data_dir, "-U", "postgres", "--auth=trust",
            "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        cluster.configure(cluster._own_settings(settings))
        with (cluster.data_dir / "pg_hba.conf").open("a") as file:
            file.write("host replication all 127.0.0.1/32 trust\n")
        return cluster

    @classmethod
    def from_base_backup(cls, bin_dir, backup, settings=None):
        """A new, stopped cluster made from ``pg_basebackup --format=tar --gzip`` output in
        ``backup`` (a folder the server user can read), on its own port and folder."""
        cluster = cls._new(bin_dir)
        cluster.as_server_user("mkdir", "-m", "700", cluster.data_dir)
        cluster.as_server_user("tar", "-xzf", Path(backup) / "base.tar.gz", "-C", cluster.data_dir)
        wal = Path(backup) / "pg_wal.tar.gz"
        if wal.exists():
            pg_wal = cluster.data_dir / "pg_wal"
            cluster.as_server_user("tar", "-xzf", wal, "-C", pg_wal)
        cluster.configure(cluster._own_settings(settings))
        return cluster

    @property
    def data_dir(self):
        return self.directory / "data"

    def start(self):
        self.server_program("pg_ctl", "-D", self.data_dir, "-l", self.log_path, "-w", "start")

    def stop(self, mode="fast"):
        self.server_program("pg_ctl", "-D", self.data_dir, "-m", mode, "-w", "stop")

    def is_running(self):
        command = self._as_server_user([self.bin_dir / "pg_ctl", "-D", self.data_dir, "status"])
        return subprocess.run(command, capture_output=True).returncode == 0

    @property
    def log(self):
        try:
            return self.log_path.read_text()
        except OSError:
            return ""

    def remove(self):
        if self.is_running():
            self.stop(mode="immediate")
        shutil.rmtree(self.directory, ignore_errors=True)

    def create_database(self, name):
        self.sql(f'CREATE DATABASE "{name}"')

    def django(self, database, *args, timeout=300, **environment):
        """Run ``manage.py`` against ``database`` on this cluster, in development mode."""
        env = {**os.environ, "DEBUG": "true", "DATABASE_URL": self.url(database), **environment}
        project = Path(__file__).resolve().parent.parent
        return run([sys.executable, "manage.py", *args], timeout, cwd=project, env=env)


@contextmanager
def owned_cluster(settings=None):
    """A started cluster of our own, removed afterwards whatever happens."""
    cluster = Cluster.create(require_bin_dir(), settings)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.remove()
