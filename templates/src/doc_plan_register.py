"""The plan register template: its wording and layout, in the markup of ``markup.md``.

The register is where the reasons for each plan decision live; the launch agenda and the workbook
list the plans and refer here.
"""

from __future__ import annotations

from docx.document import Document as DocxDocument
from markup import md, new_document


def build() -> DocxDocument:
    doc = new_document(cover_page=False, title="Plan Review Register")
    md(
        doc,
        """
    # 1. Purpose
    The plans {{ 'written while ' ~ system.acronym ~ ' was acquired' if stage.lifecycle == 'hhsdc_mo' else
      'the program has on record' }} do not automatically fit the {{ titles.phase }} phase. This register records
      the decision taken for each of them, the reasons for it, who owns the work and when it is due, so that nothing
      is carried over unexamined. The decisions mean:
    [[ 1.3 5.2 keep
    Decision ¦ Meaning
    **Create** ¦ No such plan is on record; a new one is written for this phase.
    **Update** ¦ The plan is revised, including the roles it assigns.
    **Review** ¦ The plan is checked against the phase and the review is recorded; no revision is expected.
    **Not needed** ¦ The plan is not used for this system, for the reason recorded.
    ]]
    # 2. Summary
    {{ plan_summary }}
    # 3. Plan Decisions
    The decision for each plan, with its reasons and the date the plan was last updated:
    [[ 1.35 0.75 3.2 1.2 size=9 keep
    Plan ¦ Decision ¦ Reasons ¦ Last updated
    [for p in plan_register] **{{ p.title }}** ¦ {{ p.action }} ¦ • {% for r in p.reasons %}@UPPER(r){{ '\\a' if
      not loop.last }}{% endfor %} ¦ {{ p.last_updated|longdate if p.last_updated else 'Not recorded' }}
    ]]
    # 4. Owners and Due Dates
    > A plan is due when the schedule task that revises it finishes. Where no task in the {{ titles.schedule }}
      revises a plan, it is due at the phase exit on {{ phase.exit|longdate }}, since the plans must be final to
      leave the phase.
    [[ 1.55 1.25 1.15 2.55 size=9
    Plan ¦ Owner ¦ Due ¦ Date set by
    [for p in plan_register] **{{ p.title }}** ¦ {{ p.owner }} ¦ {{ p.due|longdate if p.due else '—' }} ¦
      {{ p.due_note if p.due else 'No work is due: the plan is not needed' }}
    ]]
    # 5. Findings
    %if findings is defined and findings
    The consistency checks on the answers raised {{ findings|length }} point{{ '' if findings|length == 1 else 's' }}
      to settle before the plans are revised:
    [[ 1.4 5.1 size=9
    Kind ¦ Finding
    [for f in findings] {{ 'Inconsistency' if f.kind == 'inconsistency' else 'Practice' }} ¦ {{ f.text }}
    ]]
    An inconsistency is two answers that cannot both be right; a practice finding is a departure from what the
      phase normally does. Each is settled, or accepted with a reason, by the plan's owner.
    %else
    The consistency checks on the answers raised no point to settle: no answer contradicts another, and none
      departs from the phase's usual practice.
    %endif
    # 6. Package Deliverables
    The documents of this package and whether each is produced:
    [[ 1.9 1.0 3.6 keep
    Deliverable ¦ Decision ¦ Reason
    [for d in deliverables] **{{ d.title }}** ¦ {{ d.action|capitalize }} ¦ @UPPER(d.reason)
    ]]
    # 7. Next Steps
    Each owner completes the decided action by its due date and reports progress at the PMO status meeting. A
      revised plan goes to {{ 'the Change Control Board when it alters a process the board governs' if roles |
      selectattr('key', 'equalto', 'ccb_member') | list else 'the program managers for approval' }}, and this
      register is reissued whenever a decision changes.
    """,
    )
    return doc
