"""A batch worker's agencies: a chunk stops once the batch is stopped; writes overlap the next build."""

from __future__ import annotations

import os
from pathlib import Path

from test_batch import assert_complete

from assembler.batch import worker

from agencies import make_batch


def _tasks(src: Path, out: Path, claims: str, count: int) -> tuple[worker.Task, ...]:
    return tuple(
        worker.Task(str(src / f"agency-{i:04d}.yaml"), str(out), None, str(src / "_defaults.yaml"), False, claims)
        for i in range(count)
    )


def test_a_chunk_stops_after_the_agency_in_hand_once_the_batch_is_stopped(tmp_path: Path) -> None:
    src = make_batch(tmp_path / "agencies", 3)
    out = tmp_path / "out"
    out.mkdir()
    claims = str(tmp_path / "claims")
    os.mkdir(claims)
    tasks = _tasks(src, out, claims, 3)
    assert [o.status for o in worker.build_chunk(tasks[:2])] == ["built", "built"]
    (tmp_path / "claims" / worker.STOP).touch()
    assert [o.file for o in worker.build_chunk(tasks[2:] + tasks[:1])] == ["agency-0002.yaml"]
    packages = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert packages == ["dhs0000-ecs0000", "dhs0001-ecs0001", "dhs0002-ecs0002"]


def test_a_package_that_cannot_be_written_fails_alone_while_the_next_is_made(tmp_path: Path) -> None:
    src = make_batch(tmp_path / "agencies", 3)
    out = tmp_path / "out"
    out.mkdir()
    (out / ".dhs0001-ecs0001.staging").write_text("in the way")  # its staging folder cannot be made
    claims = str(tmp_path / "claims")
    os.mkdir(claims)
    tasks = _tasks(src, out, claims, 3)
    outcomes = worker.build_chunk(tasks)
    assert [(o.file, o.status) for o in outcomes] == [
        ("agency-0000.yaml", "built"),
        ("agency-0001.yaml", "failed"),
        ("agency-0002.yaml", "built"),
    ]
    assert outcomes[1].package == "dhs0001-ecs0001" and "package not written" in outcomes[1].errors[0]
    assert not (out / "dhs0001-ecs0001").exists()
    for o in (outcomes[0], outcomes[2]):
        assert (
            o.written == 12 and o.seconds > 0
        )  # seven documents, the phase checklist's two, the deck, invitation and Project XML
        assert_complete(out / str(o.package))
