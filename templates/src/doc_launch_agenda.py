"""The launch agenda template: its wording and layout, in the markup of ``markup.md``."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from markup import md, new_document


def build() -> DocxDocument:
    doc = new_document(cover_page=False, title="Launch Meeting Agenda")
    md(
        doc,
        """
    %if launch_meeting is defined and launch_meeting
    # 1. Meeting Details
    [[ 1.6 4.9 keep
    Item ¦ Detail
    **Date** ¦ {{ launch_meeting.date|longdate }}
    **Time** ¦ {{ agenda[0].start }} to {{ agenda[-1].end }}
    **Location** ¦ {{ launch_meeting.location }}
    **Phase** ¦ {{ titles.phase }}: {{ phase.start|longdate }} to {{ phase.exit|longdate }}
    ]]
    # 2. Purpose
    The meeting brings staff and stakeholders together at the start of the phase to agree on expectations, walk
      through the revised plans and processes (above all the Change Control Process) and explain how block cycles
      and system releases will run. It is also the moment to carry forward the lessons of the previous phase.
    # 3. Attendees
    %set names = launch_meeting.attendees if launch_meeting.attendees is defined
      else people|map(attribute='name')|list
    [[ 2.0 2.6 1.9
    Name ¦ Title ¦ Organization
    [for n in names] **{{ n }}** ¦ {{ person[n].title if n in person else '' }} ¦ {{ person[n].organization if n
      in person else '' }}
    ]]
    # 4. Agenda
    [[ 1.1 3.8 1.6
    Time ¦ Topic ¦ Lead
    [for a in agenda] {{ a.start }}–{{ a.end }} ¦ {{ a.topic }} ¦ {{ a.lead }}
    ]]
    # 5. Revised Plans to Present
    %if plan_register|selectattr('action', 'in', ('Create', 'Update'))|list
    These plans are created or updated for the phase and are presented at the meeting:
    [[ 1.9 0.9 3.7 size=9
    Plan ¦ Decision ¦ Why
    [for p in plan_register if p.action in ('Create', 'Update')] **{{ p.title }}** ¦ {{ p.action }} ¦
      • {% for r in p.reasons %}@UPPER(r){{ '\\a' if not loop.last }}{% endfor %}
    ]]
    %else
    No plan needs to be created or updated; each is confirmed by review only.
    %endif
    # 6. Change Control and Block Cycles
    Handling methods are agreed for {{ change_methods|selectattr('defined')|list|length }} of the
      {{ change_methods|length }} types of change. The phase is funded with {{ funding.text }}.
    %if contractor.block_cycles is defined and contractor.block_cycles
    Releases are planned in these block cycles:
    [for c in contractor.block_cycles] - **{{ c.name }}**: {{ c.start|longdate }} to {{ c.finish|longdate }}
    %else
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
    %else
    No launch meeting is planned in the answers, so no agenda is issued.
    %endif
    """,
    )
    return doc
