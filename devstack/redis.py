"""Debian's redis-server for the tests and the benchmark: one server, or a three-master Cluster.

`make test` and `make bench` install the package (`apt-get install redis-server`, see the
Makefile's redis-server stamp). Each server listens on loopback only, on a free port, with its
files in a folder of its own; append-only persistence as production runs it.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import redis

from bff.core.store import die_with_parent

REDIS_SERVER_CANDIDATES = ("/usr/bin/redis-server", "/usr/local/bin/redis-server")
CLUSTER_SLOTS = 16384


def redis_server_path() -> str:
    """Debian's redis-server (REDIS_SERVER overrides); `make test` installs it."""
    configured = os.environ.get("REDIS_SERVER")
    if configured:
        return configured
    for candidate in REDIS_SERVER_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    found = shutil.which("redis-server")
    if found:
        return found
    raise RuntimeError(
        "No redis-server found: `make redis-server` installs Debian's (`make test` and "
        "`make bench` run it), or set REDIS_SERVER"
    )


@dataclass
class RedisServer:
    """One redis-server process; stop, kill and start again on the same port and files."""

    port: int
    folder: Path
    appendfsync: str = "everysec"
    cluster: bool = False
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def args(self) -> list[str]:
        args = [
            redis_server_path(), "--port", str(self.port), "--bind", "127.0.0.1",
            "--daemonize", "no", "--dir", str(self.folder), "--save", "",
            "--appendonly", "yes", "--appendfsync", self.appendfsync,
            "--logfile", str(self.folder / "redis.log"), "--protected-mode", "yes",
        ]  # fmt: skip
        if self.cluster:
            args += ["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                     "--cluster-node-timeout", "2000"]  # fmt: skip
        return args

    def start(self) -> RedisServer:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(  # noqa: S603 - Debian's binary, our own arguments
            self.args(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=die_with_parent,  # no server left if the test run is killed
        )
        self._wait_ready()
        return self

    def _wait_ready(self, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        client = redis.Redis(port=self.port, socket_timeout=1, socket_connect_timeout=1)
        try:
            while time.monotonic() < deadline:
                assert self.process is not None
                if self.process.poll() is not None:
                    raise RuntimeError(f"redis-server exited at start:\n{self.log()}")
                with contextlib.suppress(redis.RedisError):
                    if client.ping():
                        return
                time.sleep(0.05)
        finally:
            client.close()
        raise RuntimeError(f"redis-server on {self.port} did not answer PING:\n{self.log()}")

    def log(self) -> str:
        path = self.folder / "redis.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def stop(self) -> None:
        """SIGTERM: Redis writes out the append-only file and exits."""
        self._end(signal.SIGTERM)

    def kill(self) -> None:
        """SIGKILL: a crash; only what appendfsync already put on disk survives."""
        self._end(signal.SIGKILL)

    def _end(self, sig: int) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(sig)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@contextlib.contextmanager
def running_redis(folder: Path, port: int, appendfsync: str = "everysec") -> Iterator[RedisServer]:
    server = RedisServer(port, folder, appendfsync).start()
    try:
        yield server
    finally:
        server.stop()


@dataclass
class RedisCluster:
    masters: list[RedisServer]

    @property
    def url(self) -> str:
        """REDIS_URL for the BFF: every master as a startup node."""
        nodes = ",".join(f"127.0.0.1:{m.port}" for m in self.masters)
        return f"redis+cluster://{nodes}"

    def stop(self) -> None:
        for master in self.masters:
            master.stop()


def _form_cluster(masters: list[RedisServer], timeout: float = 30.0) -> None:
    """Slots split evenly, the nodes introduced to each other, then wait for `cluster_state:ok`
    on every node (what `redis-cli --cluster create` does, without replicas)."""
    clients = [redis.Redis(port=m.port, socket_timeout=2) for m in masters]
    try:
        share = CLUSTER_SLOTS // len(masters)
        for index, client in enumerate(clients):
            first = index * share
            last = CLUSTER_SLOTS - 1 if index == len(masters) - 1 else first + share - 1
            client.execute_command("CLUSTER", "ADDSLOTSRANGE", first, last)
        for master in masters[1:]:
            clients[0].execute_command("CLUSTER", "MEET", "127.0.0.1", master.port)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            infos = [c.execute_command("CLUSTER", "INFO") for c in clients]
            texts = [i.decode() if isinstance(i, bytes) else str(i) for i in infos]
            if all(
                "cluster_state:ok" in t and f"cluster_known_nodes:{len(masters)}" in t
                for t in texts
            ):
                return
            time.sleep(0.1)
        raise RuntimeError("the Redis Cluster did not reach cluster_state:ok")
    finally:
        for client in clients:
            client.close()


def cluster_port() -> int:
    """A free port for a cluster node: Redis also listens on port + 10000 (the cluster bus),
    so the port must be at most 55535 and both must be free."""
    rng = random.SystemRandom()
    for _ in range(200):
        port = rng.randint(20000, 45000)
        if all(_bindable(p) for p in (port, port + 10000)):
            return port
    raise RuntimeError("no free port pair for a Redis Cluster node")


def _bindable(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@contextlib.contextmanager
def running_redis_cluster(folder: Path, masters_count: int = 3) -> Iterator[RedisCluster]:
    """Three masters on loopback, formed into one cluster."""
    masters: list[RedisServer] = []
    try:
        for _ in range(masters_count):
            port = cluster_port()
            masters.append(RedisServer(port, folder / f"node-{port}", cluster=True).start())
        _form_cluster(masters)
        cluster = RedisCluster(masters)
        yield cluster
    finally:
        for master in masters:
            master.stop()


@dataclass
class RedisSentinel:
    """A primary and one Sentinel watching it (service name `service`)."""

    primary: RedisServer
    port: int
    folder: Path
    service: str = "borgervideo"
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"redis+sentinel://127.0.0.1:{self.port}/{self.service}"

    def start(self) -> RedisSentinel:
        self.folder.mkdir(parents=True, exist_ok=True)
        config = self.folder / "sentinel.conf"  # Sentinel rewrites its own file
        config.write_text(
            f"port {self.port}\nbind 127.0.0.1\ndaemonize no\n"
            f"logfile {self.folder / 'sentinel.log'}\n"
            f"sentinel monitor {self.service} 127.0.0.1 {self.primary.port} 1\n"
            f"sentinel down-after-milliseconds {self.service} 2000\n"
        )
        self.process = subprocess.Popen(  # noqa: S603 - Debian's binary, our own config
            [redis_server_path(), str(config), "--sentinel"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=die_with_parent,
        )
        deadline = time.monotonic() + 20
        client = redis.Redis(port=self.port, socket_timeout=1, socket_connect_timeout=1)
        try:
            while time.monotonic() < deadline:
                with contextlib.suppress(redis.RedisError):
                    if client.execute_command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", self.service):
                        return self
                time.sleep(0.05)
        finally:
            client.close()
        raise RuntimeError("redis sentinel did not come up")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


@contextlib.contextmanager
def running_redis_sentinel(folder: Path, primary_port: int, port: int) -> Iterator[RedisSentinel]:
    primary = RedisServer(primary_port, folder / "primary").start()
    sentinel = None
    try:
        sentinel = RedisSentinel(primary, port, folder / "sentinel").start()
        yield sentinel
    finally:
        if sentinel is not None:
            sentinel.stop()
        primary.stop()
