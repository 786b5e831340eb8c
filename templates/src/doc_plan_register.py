"""The plan register template: its wording and layout, in the markup of ``markup.md``."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from markup import md, new_document


def build() -> DocxDocument:
    doc = new_document(cover_page=False, title="Plan Review Register")
    md(
        doc,
        """
    # 1. Purpose
    The plans written while {{ system.acronym }} was acquired do not automatically fit the {{ titles.phase }}
      phase. This register records the decision taken for each of them, the reasons for it, who owns the work and
      when it is due, so that nothing is carried over unexamined. The decisions mean:
    [[ 1.3 5.2 keep
    Decision ¦ Meaning
    **Create** ¦ No such plan is on record; a new one is written for this phase.
    **Update** ¦ The plan is revised, including the roles it assigns.
    **Review** ¦ The plan is checked against the phase and the review is recorded; no revision is expected.
    **Not needed** ¦ The plan is not used for this system.
    ]]
    # 2. Summary
    {{ plan_register|length }} plans were examined:
    - **Create:** {{ plan_register|selectattr('action', 'equalto', 'Create')|list|length }}
    - **Update:** {{ plan_register|selectattr('action', 'equalto', 'Update')|list|length }}
    - **Review:** {{ plan_register|selectattr('action', 'equalto', 'Review')|list|length }}
    - **Not needed:** {{ plan_register|selectattr('action', 'equalto', 'Not needed')|list|length }}
    # 3. Plan Decisions
    The decision for each plan, with its reasons, owner and dates:
    [[ 1.15 0.7 2.35 0.8 0.75 0.75 size=9
    Plan ¦ Decision ¦ Reasons ¦ Owner ¦ Last updated ¦ Due
    [for p in plan_register] **{{ p.title }}** ¦ {{ p.action }} ¦ • {% for r in p.reasons %}@UPPER(r){{ '\\a' if
      not loop.last }}{% endfor %} ¦ {{ p.owner }} ¦ {{ p.last_updated|longdate if p.last_updated else 'not
      recorded' }} ¦ {{ p.due|longdate if p.due else '—' }}
    ]]
    # 4. Package Deliverables
    The documents of this package and whether each is produced:
    [[ 1.9 1.0 3.6 keep
    Deliverable ¦ Decision ¦ Reason
    [for d in deliverables] **{{ d.title }}** ¦ {{ d.action|capitalize }} ¦ @UPPER(d.reason)
    ]]
    # 5. Next Steps
    Each owner completes the decided action by its due date and reports progress at the PMO status meeting. A
      revised plan goes to the Change Control Board when it alters a process the board governs, and this register
      is reissued whenever a decision changes.
    """,
    )
    return doc
