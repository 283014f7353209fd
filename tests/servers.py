"""Throwaway redis-server and PostgreSQL processes for the test run, stopped by PID."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path


class ServerUnavailable(RuntimeError):
    """The server's binaries are not installed on this machine."""


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 20.0) -> None:
    """Block until something accepts connections on 127.0.0.1:port."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            sock.settimeout(0.2)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on port {port} after {timeout}s")


@dataclass
class RedisServer:
    """A redis-server without persistence, in its own temporary directory."""

    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    directory: str = field(default_factory=lambda: tempfile.mkdtemp(prefix="kreyol-redis-"))

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        binary = shutil.which("redis-server")
        if binary is None:
            raise ServerUnavailable("redis-server is not installed")
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self.directory,
                "--loglevel",
                "warning",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)
        return self

    def kill(self) -> None:
        """Stop at once (SIGKILL), as a crash would."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def stop(self) -> None:
        self.kill()
        shutil.rmtree(self.directory, ignore_errors=True)


def _pg_bin(name: str) -> str:
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    found = candidates[0] if candidates else shutil.which(name)
    if found is None:
        raise ServerUnavailable("PostgreSQL server binaries are not installed")
    return found


@dataclass
class PostgresServer:
    """A PostgreSQL cluster in a temporary directory on a free port, run as user postgres."""

    port: int = field(default_factory=free_port)
    directory: str = ""
    database: str = "kreyol_test"

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{self.database}"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = list(args)
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, cwd="/tmp")

    def start(self) -> PostgresServer:
        initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
        self.directory = tempfile.mkdtemp(prefix="kreyol-pg-")
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.directory, user.pw_uid, user.pw_gid)
        data = f"{self.directory}/data"
        self._run(initdb, "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale")
        options = (
            f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(pg_ctl, "-D", data, "-o", options, "-l", f"{self.directory}/log", "-w", "start")
        wait_for_port(self.port)
        self._run(
            _pg_bin("createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            self.database,
        )
        return self

    @property
    def pid(self) -> int | None:
        pid_file = Path(self.directory, "data", "postmaster.pid")
        try:
            return int(pid_file.read_text().splitlines()[0])
        except (OSError, ValueError, IndexError):
            return None

    def kill(self) -> None:
        """Stop the postmaster by PID (fast shutdown) and wait until it is gone."""
        pid = self.pid
        if pid is None:
            return
        try:
            os.kill(pid, signal.SIGINT)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)
        os.kill(pid, signal.SIGKILL)

    def restart(self) -> None:
        """Kill and start again on the same port and data directory."""
        self.kill()
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            _pg_bin("pg_ctl"),
            "-D",
            f"{self.directory}/data",
            "-o",
            options,
            "-l",
            f"{self.directory}/log",
            "-w",
            "start",
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        self.kill()
        if self.directory:
            shutil.rmtree(self.directory, ignore_errors=True)


@dataclass
class ApiServer:
    """``kreyol serve`` in its own process, configured only through the environment."""

    env: dict[str, str]
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    log: str = ""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ApiServer:
        import sys

        self.log = tempfile.mktemp(prefix="kreyol-api-", suffix=".log")
        with open(self.log, "wb") as handle:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "kreyol_ia", "serve", "--port", str(self.port)],
                env=self.env,
                stdout=handle,
                stderr=subprocess.STDOUT,
            )
        wait_for_port(self.port, timeout=60)
        return self

    def stop(self) -> None:
        stop_process(self.process)


def stop_process(process: subprocess.Popen | None) -> None:
    """Terminate a server we started and wait for it; kill it if it will not go in 20 s."""
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def kreyol_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The process environment without the caller's KREYOL_* settings, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KREYOL_")}
    env.update({"KREYOL_DATA_DIR": str(data_dir), "KREYOL_LOG_LEVEL": "WARNING", **extra})
    return env


def kreyol(env: dict[str, str], *args: str) -> str:
    """Run the ``kreyol`` command as a user would; its standard output, stripped."""
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "kreyol_ia", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout.strip()


def admin_key(env: dict[str, str], username: str, tier: str, password: str) -> str:
    """An administrator on ``tier`` with a fresh API key, made through the CLI."""
    kreyol(
        {**env, "KREYOL_ADMIN_PASSWORD": password},
        "users",
        "create-admin",
        "--username",
        username,
        "--email",
        f"{username}@example.org",
    )
    kreyol(env, "users", "set-tier", username, tier)
    return kreyol(env, "keys", "create", username, "--name", "tests")
