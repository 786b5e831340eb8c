"""`assembler serve` under hostile load: other workspaces' uploads still go through.

The server runs as its own process (real sockets, real worker processes). One workspace sends
answer files of 2 MB holding 150,000 unknown fields, several at once; another workspace sends a
valid answer file while they are being read, and gets its package.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from served import create_workspace, serving

from assembler.answers import yamlread

from conftest import EXAMPLE

HOSTILE = 3  # uploads at once from the one workspace


def _hostile_file() -> bytes:
    blob = EXAMPLE.read_bytes() + "".join(f"k{i}: 1\n" for i in range(150_000)).encode()
    assert len(blob) <= yamlread.MAX_BYTES  # under the size limit: the fields' count is the attack
    return blob


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    data = tmp_path_factory.mktemp("data")
    hostile, hostile_token = create_workspace(data, "Hostile Office")
    _, token = create_workspace(data, "Cascadia Department of Human Services")
    with serving(data) as base:
        yield {"base": base, "hostile": hostile_token, "valid": token, "hostile_ws": hostile}


def _post(base: str, token: str, blob: bytes, name: str) -> tuple[httpx.Response, float, float]:
    started = time.monotonic()
    response = httpx.post(
        f"{base}/api/packages",
        files={"answers": (name, blob)},
        headers={"Authorization": f"Bearer {token}"},
        timeout=300,  # a stalled server fails the test by status, not by this limit
    )
    return response, started, time.monotonic()


def test_a_valid_upload_goes_through_while_another_workspace_floods_the_server(served):
    blob = _hostile_file()
    results: list[tuple[httpx.Response, float, float]] = []
    threads = [
        threading.Thread(target=lambda: results.append(_post(served["base"], served["hostile"], blob, "many.yaml")))
        for _ in range(HOSTILE)
    ]
    for t in threads:
        t.start()
    time.sleep(0.3)  # the hostile uploads are on their way
    valid, valid_started, _ = _post(served["base"], served["valid"], EXAMPLE.read_bytes(), "example.yaml")
    for t in threads:
        t.join()

    assert valid.status_code == 201, valid.text
    assert valid.json()["status"] == "done" and valid.json()["package"] == "cdhs-cascade"
    assert len(results) == HOSTILE
    for response, _, _ in results:
        assert response.status_code == 422, response.text
        lines = response.json()["lines"]
        assert lines[-1].endswith("unknown field, and 149979 more after it (not listed)"), lines[-3:]
    # The valid upload was sent while the hostile ones were still being read: they overlapped.
    assert valid_started < max(finished for _, _, finished in results)
    # The hostile workspace got no package; the valid one has exactly its build.
    builds = httpx.get(
        f"{served['base']}/api/workspaces/{served['hostile_ws']}/builds",
        headers={"Authorization": f"Bearer {served['hostile']}"},
        timeout=30,
    )
    assert builds.status_code == 200 and builds.json() == []
