"""Finding 5 over a real socket: the app in a process of its own (uvicorn), a 50 MB CSV (with and
without a Content-Length) and a zip-bomb XLSX (200 MB unpacked) sent to the import, each refused
with 413 while the process's peak memory (VmHWM, /proc/<pid>/status) stays within a few MB of
what it was (its resident size just before): far below the payload, where the probe saw
123 MB grow past 500 MB."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from catalog_testkit import Steward, zip_bomb

from foundation.net import free_loopback_port
from foundation.settings import REPO_ROOT

MB = 1024 * 1024
PAYLOAD_MB = 50
ALLOWED_GROWTH_MB = 15  # the payload is 50 MB, the bomb 200 MB unpacked
SERVER = """
import sys
import uvicorn
from catalog.app import create_app
app = create_app(sys.argv[1], secret="memory-test-secret")
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""


@pytest.fixture(scope="module")
def server(steward_app_url: str) -> Iterator[tuple[str, int]]:
    """(base URL, pid) of the steward app served by uvicorn in a child process."""
    port = free_loopback_port()
    child = subprocess.Popen([sys.executable, "-c", SERVER, steward_app_url, str(port)], cwd=REPO_ROOT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        assert child.poll() is None, "the app process ended"
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, "the app did not start"
        time.sleep(0.2)
    yield base, child.pid
    child.terminate()
    child.wait(timeout=20)


def memory_mb(pid: int) -> dict[str, float]:
    """VmRSS (now) and VmHWM (the peak so far) of a process, in MB."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return {name: int(fields[name].split()[0]) / 1024 for name in ("VmRSS", "VmHWM")}


def reset_peak(pid: int) -> None:
    """VmHWM := VmRSS (Linux: "5" to clear_refs), so that the next peak is this request's own
    (otherwise a higher earlier peak, such as argon2's 64 MB at login, would hide it)."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def multipart(boundary: str, filename: str, file_chunks: Iterator[bytes]) -> Iterator[bytes]:
    """A multipart/form-data body (reason, file), produced piece by piece: the test never holds it."""
    yield f'--{boundary}\r\nContent-Disposition: form-data; name="reason"\r\n\r\nnhập thử\r\n'.encode()
    yield (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    yield from file_chunks
    yield f"\r\n--{boundary}--\r\n".encode()


def csv_chunks(megabytes: int) -> Iterator[bytes]:
    yield b"code,name,note\r\n"
    line = b"123.45.67.Z99,Ph\xc3\xb2ng th\xe1\xbb\xad," + b"x" * 60 + b"\r\n"
    chunk = line * (MB // len(line))
    for _ in range(megabytes):
        yield chunk


@pytest.fixture(scope="module")
def client(server: tuple[str, int], stewards: tuple[Steward, Steward]) -> Iterator[httpx.Client]:
    """A logged-in steward's client, after one small import of each kind (so that nothing loaded
    lazily counts as growth)."""
    base, _ = server
    with httpx.Client(base_url=base, timeout=120) as steward:
        login = steward.post("/api/catalog/session", json={"username": stewards[0].username,
                                                            "password": stewards[0].password})  # fmt: skip
        assert login.status_code == 200, login.text
        steward.headers["X-CSRF-Token"] = login.json()["csrf_token"]
        for name, content in (("warm.csv", b"code,name\nbad,x\n"), ("warm.xlsx", zip_bomb(1))):
            warm = steward.post("/api/catalog/catalogs/agency/import", files={"file": (name, content)},
                                data={"reason": "khởi động"})  # fmt: skip
            assert warm.status_code == 200, warm.text
        yield steward


def send(client: httpx.Client, pid: int, filename: str, chunks: Iterator[bytes], length: int | None) -> tuple:  # type: ignore[type-arg]
    boundary = uuid.uuid4().hex
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    if length is not None:
        headers["Content-Length"] = str(length)
    reset_peak(pid)
    before = memory_mb(pid)
    response = client.post("/api/catalog/catalogs/agency/import", content=multipart(boundary, filename, chunks),
                           headers=headers)  # fmt: skip
    after = memory_mb(pid)
    growth = after["VmHWM"] - before["VmRSS"]
    print(f"\n{filename} ({'Content-Length' if length else 'chunked'}): {response.status_code}, RSS "
          f"{before['VmRSS']:.0f} → {after['VmRSS']:.0f} MB, peak {before['VmHWM']:.0f} → {after['VmHWM']:.0f} MB "
          f"(+{growth:.1f} MB)")  # fmt: skip
    return response, growth


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
def test_a_50_mb_csv_is_refused_without_the_memory_growing(
    server: tuple[str, int], client: httpx.Client, declared: bool
) -> None:
    _, pid = server
    length = sum(len(c) for c in multipart("x" * 32, "big.csv", csv_chunks(PAYLOAD_MB))) if declared else None
    response, growth = send(client, pid, "big.csv", csv_chunks(PAYLOAD_MB), length)
    assert response.status_code == 413 and response.headers["content-type"] == "application/problem+json"
    assert "Dữ liệu gửi lên vượt quá" in response.json()["detail"]
    assert growth < ALLOWED_GROWTH_MB, f"peak memory grew {growth:.1f} MB for a {PAYLOAD_MB} MB upload"


def test_a_zip_bomb_xlsx_is_refused_without_the_memory_growing(server: tuple[str, int], client: httpx.Client) -> None:
    _, pid = server
    bomb = zip_bomb(200)
    response, growth = send(client, pid, "bomb.xlsx", iter([bomb]), None)
    assert response.status_code == 413 and "unpacks to more than" in response.json()["detail"]
    assert growth < ALLOWED_GROWTH_MB, f"peak memory grew {growth:.1f} MB for a bomb of 200 MB unpacked"
    assert client.get("/api/catalog/session").json()["steward"] is not None, "the app still serves"
