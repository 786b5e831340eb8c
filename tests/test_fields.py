"""Which answers each template reads, and how changes are traced to documents."""

from __future__ import annotations

import itertools
import json

from assembler import pipeline
from assembler.package import manifest
from assembler.rules import catalog
from assembler.templating import fields

from conftest import EXAMPLE


def test_paths_follow_loops_lookups_and_methods():
    paths = fields.template_paths(
        [
            "{% for p in people %}{{ p.name }} {{ p.get('email', '') }}{% endfor %}",
            "{{ person[continuity.authority].title }} {{ system.name | upper }}",
            "{% set n = risks | length %}{{ n }}",
        ]
    )
    assert "people.name" in paths or "people" in paths
    assert "n" not in paths and "p.name" not in paths
    assert {"continuity.authority", "system.name", "risks"} <= paths


def test_uses_matches_indexed_answers_to_template_paths():
    assert fields.uses("people[3].name", ["people"])
    assert fields.uses("people[3].name", ["people.name"])
    assert fields.uses("launch_meeting", ["launch_meeting.location"])
    assert not fields.uses("launch_meeting.location", ["system.name", "phase"])


def test_each_document_reads_what_it_shows():
    cat = catalog.load()
    inputs = {item.id: manifest.document_inputs(cat, item) for item in cat.deliverables}
    assert "launch_meeting" in inputs["launch_agenda"] or "launch_meeting.location" in inputs["launch_agenda"]
    # the charter names the launch meeting's date among the phase's activities, nothing else of it
    assert [p for p in inputs["charter"] if p.startswith("launch_meeting")] == ["launch_meeting.date"]
    assert not any(p.startswith("continuity") for p in inputs["charter"])
    assert any(p.startswith("continuity") for p in inputs["continuity_plan"])
    assert "phase.vision" in inputs["charter"] and "system.name" in inputs["charter"]
    assert any(p.startswith("schedule") for p in inputs["master_schedule"])


def test_plan_names_the_answers_behind_each_regeneration(tmp_path):
    out = tmp_path / "out"
    pipeline.build(EXAMPLE, out)
    before = json.loads((out / "cdhs-cascade" / "manifest.json").read_text())
    changed = tmp_path / "changed.yaml"
    changed.write_text(
        EXAMPLE.read_text().replace("name: Case and Benefits Eligibility System", "name: Case Benefits System")
    )
    result, _, after = pipeline.preview(changed, out)
    status = {s.id: s for s in result.statuses}
    assert status["charter"].action == "regenerate"
    assert status["charter"].reasons == ("system.name changed",)
    assert all(s.action == "regenerate" for s in result.statuses)  # the system name is on every document
    # A change only the agenda shows leaves the others up to date, with their answer hashes unchanged.
    changed.write_text(EXAMPLE.read_text().replace("Conference Room 3B", "Conference Room 4A"))
    result, _, after = pipeline.preview(changed, out)
    status = {s.id: s for s in result.statuses}
    assert status["launch_agenda"].reasons == ("launch_meeting.location changed",)
    assert status["charter"].action == "up to date"
    hashes = {d["id"]: d["answers_sha256"] for d in before["documents"]}
    new_hashes = {d["id"]: d["answers_sha256"] for d in after["documents"]}
    assert new_hashes["charter"] == hashes["charter"]
    assert new_hashes["launch_agenda"] != hashes["launch_agenda"]


def test_values_selects_exactly_what_uses_selects() -> None:
    flat = {
        "people[0].name": "A",
        "people[0].role": "pm",
        "agency.name": "X",
        "agency.short_name": "Y",
        "system": "S",
        "phase.start": "2027-01-04",
        "phase.scope[1]": "z",
    }
    candidates = ["people", "people.name", "agency.name", "agency", "system.name", "phase", "phase.scope", "none"]
    for size in range(len(candidates) + 1):
        for used in itertools.combinations(candidates, size):
            expected = {k: v for k, v in sorted(flat.items()) if fields.uses(k, used)}
            assert fields.values(flat, used) == expected, used
