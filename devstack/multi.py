"""Several BFF instances on one real Redis (or Redis Cluster) behind a round-robin front:
the production shape, for the e2e tests of instances, Redis faults and the cluster."""

from __future__ import annotations

import contextlib
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from devstack.redis import RedisCluster, RedisServer, running_redis_cluster
from devstack.stack import (
    BFF_ALLOW_LIST,
    PROVISION_DELAY,
    Service,
    VdxCertificateRoute,
    _start,
    bff_vdx_env,
    free_port,
    restart,
    vdx_certificate_route,
)


@dataclass
class MultiStack:
    emulator: Service
    bffs: list[Service]
    front: Service
    redis: RedisServer | RedisCluster
    workdir: Path

    @property
    def bff_url(self) -> str:
        """Where browsers and case systems go: the front (BV_PUBLIC_URL of every instance)."""
        return self.front.url

    @property
    def emulator_url(self) -> str:
        return self.emulator.url

    def instance_url(self, index: int) -> str:
        return self.bffs[index].url

    def kill_bff(self, index: int) -> None:
        """SIGKILL: the instance dies mid-request, as a crashed node would."""
        process = self.bffs[index].process
        process.kill()
        process.wait()

    def start_bff(self, index: int) -> None:
        restart(self.bffs[index], self.workdir)

    def front_stats(self) -> dict[str, Any]:
        return dict(httpx.get(f"{self.front.url}/__front__/stats", timeout=5).json())

    def logs(self) -> str:
        services = [self.emulator, *self.bffs, self.front]
        return "\n".join(f"----- {s.name} log -----\n{s.log()[-8000:]}" for s in services)


def bff_instance_env(
    index: int,
    port: int,
    public_url: str,
    redis_url: str,
    data_key: str,
    emulator_url: str,
    workdir: Path,
    certificate: VdxCertificateRoute | None = None,
) -> dict[str, str]:
    return {
        "BV_HOST": "127.0.0.1",
        "BV_PORT": str(port),
        "BV_PUBLIC_URL": public_url,
        "REDIS_URL": redis_url,
        "BV_DATA_KEY": data_key,  # the same for every instance on this Redis
        "BV_DATA_DIR": str(workdir / f"bff-{index}"),
        "PEXIP_NODE_URL": emulator_url,
        **bff_vdx_env(emulator_url, certificate),
        "BV_DEMO": "1",
    }


@contextlib.contextmanager
def running_multi_stack(
    *,
    instances: int = 2,
    cluster: bool = False,
    appendfsync: str = "everysec",
    extra_bff_env: dict[str, str] | None = None,
    extra_emulator_env: dict[str, str] | None = None,
) -> Iterator[MultiStack]:
    """Emulator, Debian's redis-server (or a three-master cluster), `instances` BFFs on it,
    and the round-robin front the browsers use."""
    workdir = Path(tempfile.mkdtemp(prefix="borgervideo-multi-"))
    front_port = free_port()
    front_url = f"http://127.0.0.1:{front_port}"
    emulator_port = free_port()
    emulator_url = f"http://127.0.0.1:{emulator_port}"
    with contextlib.ExitStack() as stop:
        stop.callback(shutil.rmtree, workdir, True)
        redis: RedisServer | RedisCluster
        if cluster:
            redis = stop.enter_context(running_redis_cluster(workdir / "redis"))
        else:
            redis = RedisServer(free_port(), workdir / "redis", appendfsync).start()
            stop.callback(redis.stop)
        certificate = vdx_certificate_route(workdir / "vdx-pki")
        emulator = _start(
            "emulator",
            "emulator",
            {
                "EMU_HOST": "127.0.0.1",
                "EMU_PORT": str(emulator_port),
                "EMU_BFF_URL": front_url,
                **certificate.emulator_env(),
                "EMU_VDX_PROVISION_DELAY": PROVISION_DELAY,
                "EMU_BDPM_ALLOW_LIST": BFF_ALLOW_LIST,
                **(extra_emulator_env or {}),
            },
            emulator_url,
            workdir,
        )
        stop.callback(emulator.stop)
        data_key = secrets.token_urlsafe(32)
        bffs = []
        for index in range(instances):
            port = free_port()
            env = bff_instance_env(
                index, port, front_url, redis.url, data_key, emulator_url, workdir, certificate
            ) | (extra_bff_env or {})
            bff = _start(f"bff-{index}", "bff", env, f"http://127.0.0.1:{port}", workdir)
            stop.callback(bff.stop)
            bffs.append(bff)
        args = ("--port", str(front_port), *(a for b in bffs for a in ("--backend", b.url)))
        front = _start("front", "devstack.front", {}, front_url, workdir, args=args)
        stop.callback(front.stop)
        yield MultiStack(emulator, bffs, front, redis, workdir)
