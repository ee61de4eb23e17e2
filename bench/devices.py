"""`python -m bench.devices` (part of `make bench`): the device channel under 1,000 devices.

Two BFF instances on one Redis (Debian's redis-server), 1,000 simulated devices
(devstack.device_sim: the device page's protocol, each with its own P-256 key) connected to
instance 0. Reported, as measured on this machine now:

- memory per connected device: instance 0's RSS with every device connected, less its RSS
  before the first one, divided by the count;
- CPU per heartbeat: instance 0's CPU time (user + system) while every device sends
  heartbeats, less its CPU time over an equally long quiet stretch, per heartbeat;
- delivery latency across instances: a message POSTed to instance 1's API until it arrives on
  a device held by instance 0 (through Redis), median and 99th percentile.

The simulated devices run in this process, on the same cores as the BFFs (two here), so the
figures are upper bounds. `--devices N` changes the count.
"""

from __future__ import annotations

import asyncio
import gc
import random
import statistics
import sys
import time
from typing import Any

import httpx
import psutil

from devstack.device_sim import ADMIN_KEYS, SimDevice
from devstack.multi import MultiStack, running_multi_stack
from devstack.stack import DEMO_API_KEY

DEVICES = 1000
HEARTBEAT_ROUNDS = 3  # every device sends this many heartbeats in the CPU phase
LATENCY_SAMPLES = 300
CONNECT_AT_ONCE = 50
PARTY = "kobenhavn"


async def enrol_all(base: str, count: int) -> list[SimDevice]:
    """`count` devices, each enrolled with a code of its own (as an admin hands them out)."""
    devices = [SimDevice(base) for _ in range(count)]
    limits = httpx.Limits(max_connections=20)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
        # Below the 10 tries per address a quarter hour (bff/devices): a right code gives its
        # count back, so 5 at a time never reach the limit.
        gate = asyncio.Semaphore(5)

        async def one(index: int, device: SimDevice) -> None:
            async with gate:
                code = await client.post(
                    f"/api/v1/parties/{PARTY}/device-enrolments",
                    json={"label": f"Bench {index:04d}"},
                    headers={"X-Admin-Key": ADMIN_KEYS[PARTY]},
                )
                code.raise_for_status()
                answer = await client.post(
                    "/api/device/v1/enrol", json=device.enrol_body(code.json()["code"])
                )
                answer.raise_for_status()
                device.device_id = answer.json()["device_id"]

        await asyncio.gather(*(one(i, d) for i, d in enumerate(devices)))
    return devices


async def connect_all(devices: list[SimDevice]) -> None:
    for start in range(0, len(devices), CONNECT_AT_ONCE):
        batch = devices[start : start + CONNECT_AT_ONCE]
        welcomes = await asyncio.gather(*(d.connect(beat=False) for d in batch))
        bad = [w for w in welcomes if w.get("type") != "welcome"]
        assert not bad, bad[:3]


def cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return float(times.user + times.system)


async def heartbeat_cost(devices: list[SimDevice], process: psutil.Process) -> dict[str, float]:
    """CPU of the BFF per heartbeat: busy stretch less an equally long quiet one."""
    count = len(devices) * HEARTBEAT_ROUNDS
    started, cpu_before = time.perf_counter(), cpu_seconds(process)
    for _ in range(HEARTBEAT_ROUNDS):
        await asyncio.gather(*(d.heartbeat({"level": 0.5, "charging": False}) for d in devices))
        await asyncio.gather(*(d.expect("heartbeat-ok", wait=60) for d in devices))
    busy_wall, busy_cpu = time.perf_counter() - started, cpu_seconds(process) - cpu_before
    quiet_before = cpu_seconds(process)
    await asyncio.sleep(busy_wall)
    quiet_cpu = cpu_seconds(process) - quiet_before
    return {
        "heartbeats": count,
        "wall_s": busy_wall,
        "per_heartbeat_us": max(0.0, busy_cpu - quiet_cpu) / count * 1e6,
        "quiet_cpu_s": quiet_cpu,
    }


async def delivery_latency(stack: MultiStack, devices: list[SimDevice]) -> list[float]:
    """POST to instance 1, arrival on a device held by instance 0."""
    samples = []
    async with httpx.AsyncClient(base_url=stack.instance_url(1), timeout=30) as api:
        for index in range(LATENCY_SAMPLES + 10):
            device = random.choice(devices)  # noqa: S311 (picking a sample, not a secret)
            started = time.perf_counter()
            answer = await api.post(
                f"/api/v1/devices/{device.device_id}/messages",
                json={"body": {"n": index}},
                headers={"X-API-Key": DEMO_API_KEY},
            )
            assert answer.status_code == 202 and answer.json()["device_online"], answer.text
            message = await device.expect("message", wait=30)
            if index >= 10:  # the first few warm the pools
                samples.append(time.perf_counter() - started)
            await device.ack(message["id"])
    return samples


async def run(stack: MultiStack, count: int) -> dict[str, Any]:
    process = psutil.Process(stack.bffs[0].process.pid)
    devices = await enrol_all(stack.instance_url(1), count)
    for device in devices:
        device.base = stack.instance_url(0)
    # Warm: one device connected and gone, so the code paths and pools exist before measuring.
    await connect_all(devices[:1])
    await devices[0].close()
    await asyncio.sleep(1)
    gc.collect()
    rss_before = process.memory_info().rss
    started = time.perf_counter()
    await connect_all(devices)
    connect_s = time.perf_counter() - started
    await asyncio.sleep(2)
    rss_after = process.memory_info().rss
    async with httpx.AsyncClient(base_url=stack.bff_url, timeout=60) as api:
        answer = await api.get("/api/v1/devices", headers={"X-API-Key": DEMO_API_KEY})
    listed = answer.json()
    online = sum(1 for d in listed if d["online"])
    cost = await heartbeat_cost(devices, process)
    latencies = await delivery_latency(stack, devices)
    await asyncio.gather(*(d.close() for d in devices))
    ordered = sorted(latencies)
    return {
        "devices": count,
        "online": online,
        "connect_s": connect_s,
        "rss_per_device_kib": (rss_after - rss_before) / count / 1024,
        "rss_mib": rss_after / 2**20,
        **cost,
        "p50_ms": statistics.median(ordered) * 1000,
        "p99_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
    }


def report(figures: dict[str, Any]) -> None:
    print(f"Devices: {figures['devices']} simulated devices on one BFF process "
          f"(two instances, one Redis)", flush=True)  # fmt: skip
    print(f"  connected (listed online)          {figures['online']:7d}   "
          f"in {figures['connect_s']:.1f} s")  # fmt: skip
    print(f"  memory per connected device        {figures['rss_per_device_kib']:7.1f} KiB"
          f"   (process RSS {figures['rss_mib']:.0f} MiB)")  # fmt: skip
    print(f"  CPU per heartbeat                  {figures['per_heartbeat_us']:7.0f} µs"
          f"   ({figures['heartbeats']} heartbeats in {figures['wall_s']:.1f} s)")  # fmt: skip
    print(f"  delivery across instances, p50     {figures['p50_ms']:7.1f} ms"
          f"   (API on instance 1 -> device on 0, {LATENCY_SAMPLES} messages)")  # fmt: skip
    print(f"  delivery across instances, p99     {figures['p99_ms']:7.1f} ms", flush=True)


def main(count: int = DEVICES) -> None:
    env = {"BV_DEVICE_HEARTBEAT": "60", "BV_LOG_FORMAT": "json"}
    with running_multi_stack(instances=2, extra_bff_env=env) as stack:
        report(asyncio.run(run(stack, count)))


if __name__ == "__main__":
    args = sys.argv[1:]
    main(int(args[args.index("--devices") + 1]) if "--devices" in args else DEVICES)
