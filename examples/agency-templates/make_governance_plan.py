"""Make ``docx/governance_plan.docx`` from GSA's public-domain M3 Playbook Governance Plan template.

An example of an agency's own template: the agency's Word file, tagged with fields, used through
``assembler build --templates examples/agency-templates`` as a deliverable added to ours, with
its own rule (``rules.yaml`` here). The tagging is done on a copy with python-docx, so it can be
repeated on a newer version of the source document:

    python examples/agency-templates/make_governance_plan.py [SOURCE.docx]

SOURCE defaults to the playbook template in ../shared/reference/m3-playbook/templates/.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SOURCE = (
    ROOT.parent / "shared" / "reference" / "m3-playbook" / "templates" / "M3-Playbook-Governance-Plan-Template.docx"
)
OUT = HERE / "docx" / "governance_plan.docx"
# The roles that sit on the governance body; the first two vote.
BODY = "['executive_sponsor', 'business_owner', 'program_manager', 'pmo_lead', 'ccb_member']"
VOTING = "['executive_sponsor', 'business_owner']"


def replace(paragraph: Paragraph, old: str, new: str) -> None:
    """Replace text that Word may have spread over several runs: the first run takes the new text,
    so every tag sits whole in one run (``assembler templates check`` verifies it)."""
    runs = paragraph.runs
    text = "".join(r.text for r in runs)
    at = text.find(old)
    if at < 0:
        raise SystemExit(f"not found in the source document: {old!r} (in {text!r})")
    end, pos, first = at + len(old), 0, True
    for run in runs:
        start, stop = pos, pos + len(run.text)
        pos = stop
        if stop <= at or start >= end:
            continue
        before = run.text[: max(at - start, 0)]
        after = run.text[end - start :] if stop > end else ""
        run.text = before + (new if first else "") + after
        first = False


def set_text(paragraph: Paragraph, new: str) -> None:
    replace(paragraph, "".join(r.text for r in paragraph.runs), new)


def after(paragraph: Paragraph, text: str) -> Paragraph:
    """A new paragraph after ``paragraph``, in its style and with its first run's formatting."""
    element = copy.deepcopy(paragraph._p)
    paragraph._p.addnext(element)
    added = Paragraph(element, paragraph._parent)
    for run in added.runs[1:]:
        run._r.getparent().remove(run._r)
    added.runs[0].text = text
    return added


def cell(table: Table, row: int, column: int, text: str) -> None:
    paragraph = table.cell(row, column).paragraphs[0]
    if paragraph.runs:
        set_text(paragraph, text)
    else:
        paragraph.add_run(text)


def drop_rows(table: Table, first: int) -> None:
    for row in list(table.rows)[first:]:
        table._tbl.remove(row._tr)


def tag(source: Path) -> None:
    doc = Document(str(source))
    p = doc.paragraphs
    # Cover and certification page.
    set_text(p[1], "{{ agency.name }}")
    set_text(p[13], "{{ system.name }} ({{ system.acronym }})")
    set_text(p[29], "Version {{ doc.version }}")
    set_text(p[31], "{{ doc.date | longdate }}")
    replace(p[40], "<<INSERT NAME OF PROGRAM>>", "{{ system.name }}")
    for name, title, role in ((p[59], p[60], "executive_sponsor"), (p[64], p[65], "business_owner")):
        pick = f"{{% for s in people if s.role == '{role}' %}}"
        replace(name, "<<Insert Name>>", f"{pick}{{{{ s.name }}}}{{% endfor %}}")
        replace(name, "<<Insert Date>>", "Date")
        set_text(title, f"{pick}{{{{ s.title }}}}, {{{{ s.organization }}}}{{% endfor %}}")
    # Body: the playbook's instructions become text filled from the answers.
    set_text(p[73], "This plan is signed by the Executive Sponsor and reviewed by the Program Manager.")
    set_text(
        p[75],
        "This Governance Plan describes how {{ agency.name }} governs {{ system.name }} during the "
        "{{ titles.phase }} phase ({{ phase.start | longdate }} to {{ phase.exit | longdate }}): who "
        "decides, how risks, issues and decisions are escalated, and how the governance body communicates.",
    )
    set_text(p[80], "{{ system.description }}")
    set_text(
        p[87],
        "The governance body sets direction for {{ system.acronym }}, approves changes to scope, schedule "
        "and funding ({{ funding.text }}) and resolves the issues escalated to it.",
    )
    set_text(p[90], "Table 1 lists the members of the governance body and whether they vote.")
    set_text(p[95], f"{{%p for r in roles if r.key in {BODY} %}}")
    member = after(p[95], "{{ r.label }}: {{ r.people | map(attribute='name') | join(', ') }}")
    after(member, "{%p endfor %}")
    set_text(
        p[98],
        "The governance body meets monthly during the {{ titles.phase }} phase"
        "{{ ' and before each of the ' ~ (contractor.block_cycles | length) ~ ' block cycles' "
        "if contractor.block_cycles is defined else '' }}; the PMO Lead sends the agenda beforehand.",
    )
    set_text(
        p[101],
        "Decisions are made at the lowest level possible: the Program Manager within the approved scope "
        "and funding, the Change Control Board for changes, the Executive Sponsor for anything beyond.",
    )
    changed = "changes_since_acquisition.decision_makers"
    guard = after(
        p[101], f"{{%p if changes_since_acquisition is defined and {changed} is defined and {changed}.changed %}}"
    )
    note = after(
        guard,
        f"Changed since acquisition: {{{{ {changed}.note if {changed}.note is defined else 'no detail given' }}}}",
    )
    closing = after(note, "{%p endif %}")
    levels = after(closing, "{%p if help_desk is defined and help_desk.escalation is defined %}")
    loop = after(levels, "{%p for e in help_desk.escalation %}")
    level = after(loop, "Escalation level {{ loop.index }}: {{ e.level }} ({{ e.contact }})")
    after(after(level, "{%p endfor %}"), "{%p endif %}")
    set_text(p[104], "Voting members are marked in Table 1; a decision needs the majority of them.")
    set_text(p[107], "Minutes, action items and decisions are sent to every member within two business days.")
    set_text(p[111], "The plans under review for {{ system.acronym }}, with their owners, are listed below.")
    # Tables: document history, composition (a row per member), key references, key terms.
    history, members, references, terms = doc.tables
    for column, text in enumerate(("{{ doc.version }}", "{{ doc.date | shortdate }}", "Project Management Office")):
        cell(history, 1, column, text)
    drop_rows(history, 2)
    cell(members, 1, 0, f"{{%tr for m in people if m.role in {BODY} %}}")
    cell(members, 2, 0, "{{ m.title }}, {{ m.organization }} ({{ m.name }})")
    cell(members, 2, 1, f"{{{{ 'Yes' if m.role in {VOTING} else 'No' }}}}")
    cell(members, 3, 0, "{%tr endfor %}")
    drop_rows(members, 4)
    cell(references, 1, 0, "{%tr for r in plan_register if r.action != 'Not needed' %}")
    cell(references, 1, 1, "")
    cell(references, 1, 2, "")
    cell(references, 2, 0, "{{ r.title }}")
    cell(references, 2, 1, "{{ r.action }}: {{ r.reason }}")
    cell(references, 2, 2, "Owner: {{ r.owner }}")
    cell(references, 3, 0, "{%tr endfor %}")
    drop_rows(references, 4)
    for row, (term, meaning) in enumerate(
        (
            ("{{ system.acronym }}", "{{ system.name }}"),
            ("CCB", "Change Control Board"),
            ("PMO", "Program Management Office"),
        ),
        1,
    ):
        cell(terms, row, 0, term)
        cell(terms, row, 1, meaning)
    # Running header and footer (the later sections share the first one's).
    section = doc.sections[0]
    replace(section.header.paragraphs[0], "Governance Plan", "{{ system.acronym }} Governance Plan")
    replace(section.footer.paragraphs[0], "Version 1.0", "Version {{ doc.version }}")
    replace(section.footer.paragraphs[0], "Day, Month, Year", "{{ doc.date | longdate }}")
    doc.core_properties.title = "Governance Plan"
    OUT.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(OUT))
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    tag(Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE)
