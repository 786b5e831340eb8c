"""A batch folder of many agencies: shared ``_defaults.yaml`` plus a small file per agency.

The defaults are the example answers without the agency and system sections; each agency file
gives those two sections and, for some agencies, overrides (a mapping merged into the defaults,
a list replacing the default list).
"""

from __future__ import annotations

import re
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent / "answers" / "example.yaml"

STATES = ["Cascadia", "Lakeland", "Mesa Verde", "Pinecrest", "Bayshore", "Red Rock", "Tidewater", "Prairie"]
DEPTS = [("Department of Human Services", "DHS"), ("Department of Motor Vehicles", "DMV"), ("Health Agency", "HA")]


def sections(text: str) -> dict[str, str]:
    """The top-level sections of an answer file, as text, by name."""
    parts = re.split(r"(?m)^(?=[a-z_]+:)", text)
    return {p.split(":", 1)[0]: p for p in parts if re.match(r"[a-z_]+:", p)}


def agency_text(i: int) -> str:
    state = STATES[i % len(STATES)]
    dept, short = DEPTS[(i // len(STATES)) % len(DEPTS)]
    text = f"""# Agency {i:04d}
agency:
  name: {state} {dept} {i:04d}
  short_name: {short}{i:04d}
  level: state
  division: Enterprise Systems Project Office
  address: {100 + i} Capitol Mall, Salem Harbor, CA 95814

system:
  name: Eligibility & Case System {i:04d}
  acronym: ECS{i:04d}
  description: Statewide eligibility and case management, number {i}.
  go_live: 2026-10-05
  users: "{1000 + i} county workers"
"""
    if i % 3 == 1:  # a mapping override: merged into the defaults' launch_meeting
        text += f"\nlaunch_meeting:\n  location: Building {i}, Room 1\n"
    if i % 4 == 2:  # a list override: replaces the defaults' scope list
        text += "\nphase:\n  scope:\n    - Operations and maintenance only\n"
    return text


def make_batch(folder: Path, count: int, invalid: tuple[int, ...] = ()) -> Path:
    """``count`` agencies in ``folder``; agencies in ``invalid`` carry one mistake each."""
    folder.mkdir(parents=True, exist_ok=True)
    parts = sections(EXAMPLE.read_text(encoding="utf-8"))
    defaults = "# Shared answers for every agency of this batch\n\n" + "".join(
        v for k, v in parts.items() if k not in ("agency", "system")
    )
    (folder / "_defaults.yaml").write_text(defaults, encoding="utf-8")
    for i in range(count):
        text = agency_text(i)
        if i in invalid:
            text = text.replace("  level: state", "  level: NO")
        (folder / f"agency-{i:04d}.yaml").write_text(text, encoding="utf-8")
    return folder
