"""manifest: what a package records, and each deliverable's status against the previous package."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

from assembler import pipeline
from assembler.package import manifest, starter
from assembler.rules import catalog

from conftest import ANSWERS, EXAMPLE


def test_the_record_lists_each_document_with_its_inputs_and_hashes() -> None:
    ans, cat, plan = pipeline.load(EXAMPLE)
    docs = pipeline.render(ans, cat, plan)
    record = manifest.record(ans, cat, plan, docs)
    assert [d["file"] for d in record["documents"]] == [d.name for d in docs]
    charter = record["documents"][0]
    assert charter["sha256"] == docs[0].sha256 and charter["decision"] == "generate"
    assert "system.name" in charter["inputs"] and "launch_meeting.location" not in charter["inputs"]
    assert record["answers"]["values"]["system.acronym"] == "CASCADE"
    assert record["inputs_sha256"] == manifest.inputs_sha256(ans.sha256, cat)


def test_the_inputs_hash_follows_every_template_file(tmp_path: Path) -> None:
    ours = tmp_path / "ours"
    starter.start(catalog.DEFAULT_TEMPLATES, ours, force=False)
    cat = catalog.load(ours)
    before = manifest.inputs_sha256("a" * 64, cat)
    agenda = ours / "docx" / "launch_agenda.docx"
    kept = tmp_path / "kept.docx"
    shutil.copy2(agenda, kept)
    agenda.write_bytes(agenda.read_bytes() + b"\0")  # another size: a changed file
    assert manifest.inputs_sha256("a" * 64, catalog.load(ours)) != before
    shutil.copy2(kept, agenda)
    assert manifest.inputs_sha256("a" * 64, catalog.load(ours)) == before
    assert manifest.inputs_sha256("b" * 64, cat) != before  # and the answers


def test_each_status_says_why_against_the_previous_package() -> None:
    ans, cat, plan = pipeline.load(ANSWERS / "dmv-continuing-contractor.yaml")
    docs = pipeline.render(ans, cat, plan)
    record = manifest.record(ans, cat, plan, docs)
    previous = copy.deepcopy(record)
    previous["documents"][0]["sha256"] = "0" * 64  # the charter changed since
    del previous["documents"][1]  # the resource plan is new
    previous["documents"].append(  # no longer needed: its processes are in place now
        {"file": "04-Business-Continuity-Plan-Outline.docx", "sha256": "1" * 64}
    )
    statuses = {s.file: s for s in manifest.compare(cat, plan, docs, previous, ["system.name"])}
    assert statuses["01-Charter.docx"].action == "regenerate"
    assert statuses["01-Charter.docx"].reasons == ("system.name changed",)
    assert statuses["02-Resource-Management-Plan.docx"].action == "generate"
    assert statuses["03-Master-Schedule.xlsx"].action == "up to date"
    assert statuses["04-Business-Continuity-Plan-Outline.docx"].action == "remove"
    assert statuses["05-Launch-Meeting-Agenda.docx"].action == "up to date"
    forced = {s.file: s for s in manifest.compare(cat, plan, docs, record, [], force=True)}
    assert forced["03-Master-Schedule.xlsx"].action == "regenerate" and forced["03-Master-Schedule.xlsx"].reasons == (
        "forced",
    )
