"""The launch agenda template: its wording and layout, in the markup of ``markup.md``.

With no meeting in the answers the agenda is a draft: the date, time and place are to be set and
the attendees, taken from the participants, to be confirmed. The plans' reasons stay in the Plan
Review Register; the agenda lists each revised plan with its revision date.
"""

from __future__ import annotations

from docx.document import Document as DocxDocument
from markup import md, new_document


def build() -> DocxDocument:
    doc = new_document(cover_page=False, title="Launch Meeting Agenda")
    md(
        doc,
        """
    %if meeting.draft
    > **Draft.** No {{ meeting.name }} is scheduled yet. The date, time and place are set when it is, and the
      attendees below, the participants of the phase, are confirmed when the invitation goes out.
    %endif
    # 1. Meeting Details
    [[ 1.6 4.9 keep
    Item ¦ Detail
    **Meeting** ¦ {{ 'Kickoff of the ' ~ titles.organization if meeting.name == 'kickoff meeting' else titles.phase ~
      ' launch meeting' }}
    **Date** ¦ {{ meeting.date|longdate if meeting.date else ('To be set, after the last plan revision on ' ~
      meeting.window|longdate ~ ' and before the phase exit on ' ~ phase.exit|longdate) if meeting.window else
      'To be set, before the phase exit on ' ~ phase.exit|longdate }}
    **Time** ¦ {{ agenda[0].start ~ ' to ' ~ agenda[-1].end if agenda[0].start else 'To be set; the agenda runs ' ~
      agenda|sum(attribute='minutes') ~ ' minutes' }}
    **Location** ¦ {{ meeting.location or 'To be set' }}
    **Phase** ¦ {{ titles.phase }}: {{ phase.start|longdate }} to {{ phase.exit|longdate }}
    ]]
    # 2. Purpose
    %if meeting.name == 'kickoff meeting'
    The kickoff brings the customer and provider teams of the {{ titles.organization }} together to agree how they
      will work as one office: who is responsible for what, how the {{ titles.schedule }} is kept and reported, how
      changes are decided, and which plans are revised for the program.
    %else
    The meeting brings staff and stakeholders together to agree on what is expected of each of them in M&O, walk
      through the revised plans and processes (above all the Change Control Process) and explain how
      {{ 'block cycles and system releases will run' if contractor.block_cycles is defined and contractor.block_cycles
      else 'system releases will be scheduled' }}.{{ ' It also reviews the lessons learned so far, so that they carry
      into the new phase.' if 'lesson' in agenda|map(attribute='topic')|join(' ')|lower else '' }}
    %endif
    # 3. Attendees
    %if meeting.confirm and not meeting.draft
    Taken from the participants of the phase; each is confirmed when the invitation goes out:
    %endif
    [[ 2.0 2.6 1.9 keep
    Name ¦ Title ¦ Organization
    [for n in meeting.attendees] **{{ n }}** ¦ {{ person[n].title if n in person else '' }} ¦
      {{ person[n].organization if n in person else '' }}
    ]]
    # 4. Agenda
    %if agenda[0].start
    [[ 1.1 3.8 1.6
    Time ¦ Topic ¦ Lead
    [for a in agenda] {{ a.start }}–{{ a.end }} ¦ {{ a.topic }} ¦ {{ a.lead }}
    ]]
    %else
    The times follow once the meeting is set; each topic shows the time it needs:
    [[ 1.1 3.8 1.6
    Minutes ¦ Topic ¦ Lead
    [for a in agenda] {{ a.minutes }} ¦ {{ a.topic }} ¦ {{ a.lead }}
    ]]
    %endif
    # 5. Revised Plans to Present
    %if plan_register|selectattr('revised')|list
    > The meeting walks through each plan created or updated for the phase and the date its revision is due. The
      Plan Review Register gives the reasons for each decision{{ ' and lists the plans reviewed without revision' if
      plan_register|rejectattr('revised')|list else '' }}.
    [[ 2.3 0.9 1.3 2.0 size=9 keep
    Plan ¦ Decision ¦ Due ¦ Owner
    [for p in plan_register|selectattr('revised')|sort(attribute='due')] **{{ p.title }}** ¦ {{ p.action }} ¦
      {{ p.due|longdate }} ¦ {{ p.owner }}
    ]]
    %else
    No plan needs to be created or updated; the Plan Review Register records the review of each.
    %endif
    # 6. Change Control{{ ' and Block Cycles' if contractor.block_cycles is defined and contractor.block_cycles }}
    {% set agreed = change_methods|selectattr('defined')|list|length %}{{ 'A handling method is agreed for each of the
      ' ~ change_methods|length ~ ' types of change.' if agreed == change_methods|length else 'No handling method is
      agreed yet for any of the ' ~ change_methods|length ~ ' types of change; the meeting sets out how each is to
      be handled.' if agreed == 0 else 'Handling methods are agreed for ' ~ agreed ~ ' of the ' ~
      change_methods|length ~ ' types of change; the meeting sets out how the others are to be handled.' }} The phase
      is funded with {{ funding.text }}.
    %if contractor.block_cycles is defined and contractor.block_cycles
    Releases are planned in these block cycles:
    [for c in contractor.block_cycles] - **{{ c.name }}**: {{ c.start|longdate }} to {{ c.finish|longdate }}
    %elif stage.lifecycle == 'hhsdc_mo'
    The release calendar is agreed at the meeting.
    %endif
    # 7. Action Items
    Recorded during the meeting:
    [[ 0.4 3.3 1.2 0.8 0.8 align=c keep tall=0.32
    # ¦ Action item ¦ Owner ¦ Due ¦ Status
    1 ¦ ¦ ¦ ¦
    2 ¦ ¦ ¦ ¦
    3 ¦ ¦ ¦ ¦
    4 ¦ ¦ ¦ ¦
    5 ¦ ¦ ¦ ¦
    6 ¦ ¦ ¦ ¦
    ]]
    """,
    )
    return doc
