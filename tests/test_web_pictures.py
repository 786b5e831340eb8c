"""The plan page's pictures: the answers behind each decision, and the phase's timeline, read
back from the SVG the page serves."""

import re
import xml.etree.ElementTree as ET

import pytest

from assembler import answers, pipeline
from assembler.answers import yamlread

from conftest import ANSWERS, EXAMPLE
from webforms import make_client, new_workspace

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def client(tmp_path):
    with make_client(tmp_path) as c:
        yield c


def pictures(client, text: bytes) -> dict[str, ET.Element]:
    ws, token = new_workspace(client)
    sent = client.post(
        f"{ws}/upload", data={"csrf": token}, files={"answers": ("a.yaml", text)}, follow_redirects=False
    )
    assert sent.status_code == 303
    page = client.get(f"{ws}/plan").text
    found = {m.group(1): ET.fromstring(m.group(0)) for m in re.finditer(r'<svg class="([\w-]+)".*?</svg>', page, re.S)}
    assert set(found) == {"plan-picture", "timeline-picture"}, page[:2000]
    return found


def texts(svg: ET.Element) -> list[str]:
    return ["".join(t.itertext()).strip() for t in svg.iter(f"{SVG}text")]


def test_each_decision_is_joined_to_the_answers_its_reasons_cite(client):
    svg = pictures(client, EXAMPLE.read_bytes())["plan-picture"]
    assert svg.get("role") == "img" and svg.find(f"{SVG}title").text == "The answers behind each decision"
    _, _, plan = pipeline.load(EXAMPLE)
    pairs = {(p, d.id) for d in plan.decisions for r in d.reasons for p, _ in r.fields}
    assert len(svg.findall(f"{SVG}line")) == len(pairs)  # one line for each answer and decision citing it
    shown = texts(svg)
    assert "Configuration Management Plan: update" in shown and "M&O Charter: generate" in shown
    assert all("." not in t.split(":")[0] or " " in t for t in shown)  # answers by their questions, never paths
    desc = svg.find(f"{SVG}desc").text
    assert "→" in desc and "Configuration Management Plan (update)" in desc


def test_the_timeline_places_every_milestone_between_start_and_exit(client):
    svg = pictures(client, EXAMPLE.read_bytes())["timeline-picture"]
    data = answers.load(EXAMPLE).data
    milestones = [r for r in data["schedule"] if r.get("milestone")]
    assert len(svg.findall(f"{SVG}path")) == len(milestones) > 0  # a diamond each
    shown = texts(svg)
    assert f"{data['phase']['start']:%b %-d, %Y}" in shown[0] and "exit" in shown[1]
    for row in milestones:
        assert any(row["name"] in t and row["wbs"] in t for t in shown), row["name"]
    xs = [float(re.match(r"M([\d.]+)", p.get("d")).group(1)) for p in svg.iter(f"{SVG}path")]
    assert all(40 <= x <= 920 for x in xs)
    assert "M&O Pre-Initiation" in svg.find(f"{SVG}desc").text


def test_answer_text_is_escaped_in_the_pictures(client, tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    tree, _ = yamlread.parse_text(text, "a.yaml")
    name = next(r["name"] for r in tree["schedule"] if r.get("milestone"))
    odd = 'Launch <R&D> "go" =SUM(1)'
    svg = pictures(client, text.replace(f"name: {name}\n", f"name: '{odd}'\n", 1).encode())["timeline-picture"]
    assert any(odd in t for t in texts(svg))  # parsed back as typed: the page escaped it
    other = pictures(client, (ANSWERS / "federal-payroll-cutover.yaml").read_bytes())["timeline-picture"]
    assert "M3 Migration" in other.find(f"{SVG}desc").text
