"""The phase checklist template: its wording and layout, in the markup of ``markup.md``.

A short summary of the key tasks under way and what each delivers; the activities, inputs,
stakeholders and best practices, with the status the project office keeps, are in the workbook
(``make_checklist_template.py``), to which this document points.
"""

from __future__ import annotations

from docx.document import Document as DocxDocument
from markup import md, new_document


def build() -> DocxDocument:
    doc = new_document(cover_page=False, title="Phase Checklist")
    md(
        doc,
        """
    # 1. Purpose
    This checklist follows the key tasks under way in {{ checklist.phase.title }} from the inputs they need to the
      outputs they deliver and the criteria that complete the phase. For each output it states whether this package
      generates it, whether it is an existing plan that the Plan Review Register has the office create, update or
      review, or whether it is still to be produced.
    %if checklist.workbook
    The workbook {{ checklist.workbook }} carries the detail: every activity of each key task with the party
      responsible and the person who carries it, the inputs and where each stands, the stakeholders and the best
      practices. The project office records the status of each item there.
    %else
    The activities of each key task, with the party responsible and the person who carries them, are recorded with
      the project office's status of each item.
    %endif
    # 2. The Phase
    > **Phase.** {{ checklist.phase.full }}, in the {{ checklist.phase.lifecycle }}.
    %if checklist.phase.objective
    **Objective.** {{ checklist.phase.objective }}
    %endif
    {{ checklist.summary }}
    # 3. Key Tasks Under Way
    The key tasks under way, each with its objective and the party that leads it:
    [[ 0.6 2.0 2.4 1.5 size=9
    Task ¦ Key task ¦ Objective ¦ Lead
    [for t in checklist.tasks] **{{ t.id }}** ¦ {{ t.name }} ¦ {{ t.objective }} ¦ {{ t.party }} // {{ t.person }}
    ]]
    # 4. Outputs and Where They Stand
    An output generated in this package is ready for review; an existing plan follows the decision of the Plan
      Review Register; an output to produce has no document in this package and is prepared by the party that leads
      the task.
    %for t in checklist.tasks
    ## {{ t.label }}
    %if t.outputs
    [[ 2.5 4.0 size=9
    Output ¦ Where it stands
    [for o in t.outputs] **{{ o.name }}** ¦ {{ o.where }}
    ]]
    %else
    The playbook names no output for this key task; its results are recorded against its activities.
    %endif
    %if t.missing_inputs
    Inputs not yet in hand: {{ t.missing_inputs|join('; ') }}.
    %elif t.inputs
    Every input of this key task is in this package or among the plans on record.
    %endif
    %endfor
    # 5. Completing the Phase
    %if checklist.exit_criteria
    The phase is complete when each criterion is met. The evidence is the documents of this package that show it:
    [[ 2.9 3.6 size=9
    Criterion ¦ Evidence in the package
    [for c in checklist.exit_criteria] **{{ c.text }}** ¦ {{ c.evidence }}
    ]]
    %else
    The life cycle names no exit criteria for this phase; it is complete when the outputs of the key tasks under
      way are in hand and accepted.
    %endif
    %if checklist.also
    {{ checklist.also }}
    %endif
    # 6. Keeping the Checklist
    The project office updates the status of each item as the work moves on and reviews the open items at the PMO
      status meeting. An input not yet in hand is obtained, or its absence accepted, before the task relies on it.
      When the key tasks under way change, they are updated in the answers and the package is built again, so that
      this summary and the workbook follow.
    """,
    )
    return doc
