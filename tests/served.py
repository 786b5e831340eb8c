"""`assembler serve` as its own process on 127.0.0.1, for the tests that need real sockets."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def create_workspace(data: Path, name: str) -> tuple[str, str]:
    """A workspace made as an administrator does: its id and its access token."""
    out = subprocess.run(
        [sys.executable, "-m", "assembler", "serve", "--data", str(data), "--create-workspace", name],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    ws = out.split("workspace ", 1)[1].split(":", 1)[0]
    token = out.split("token: ", 1)[1].strip()
    return ws, token


@contextmanager
def serving(data: Path) -> Iterator[str]:
    """The server on ``data`` with token access, once it listens; its base URL."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "assembler", "serve", "--data", str(data), "--auth", "token", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):  # until it listens (at most ~30 s)
            try:
                urllib.request.urlopen(f"{base}/", timeout=1)
                break
            except (urllib.error.URLError, ConnectionError):
                if proc.poll() is not None:
                    said = proc.stdout.read().decode() if proc.stdout else ""
                    raise AssertionError(f"the server stopped: {said}") from None
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def require_chromium() -> None:
    """Skip without Chromium and its driver; in CI, where `.ci/run` installs them, fail."""
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        if os.environ.get("CI"):
            pytest.fail("chromium and chromium-driver are not installed; `bash .ci/run` installs them")
        pytest.skip("chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)")
