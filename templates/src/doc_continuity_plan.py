"""The continuity plan template: its wording and layout, in the markup of ``markup.md``."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from markup import md, new_document


def build() -> DocxDocument:
    doc = new_document(cover_page=True, title="Business Continuity Plan Outline")
    md(
        doc,
        """
    # 1. Purpose
    This outline sets out how the critical business of {{ system.name }} ({{ system.acronym }}) keeps going when a
      disaster or a facility problem interrupts normal operation: who may invoke the plan, which operations must
      continue, and how each one is brought back.
    It complements the Disaster Recovery Plan without replacing it. Disaster recovery restores facilities and the
      underlying infrastructure; business continuity looks at the impact on the business and on the people it
      serves: {{ system.users if system.users is defined and system.users else 'the users and clients of the
      system' }}.
    # 2. Authority to Invoke the Plan
    %if (@HOLDS(authority)) or (@HOLDS(alternate_authority))
    Only the people below may declare the plan in effect. The alternate acts when the primary cannot be reached:
    [[ 1.6 2.0 2.9 keep
    Authority ¦ Name ¦ Title
    [if @HOLDS(authority)] Primary ¦ **{{ continuity.authority }}** ¦ @TITLE(authority)
    [if @HOLDS(alternate_authority)] Alternate ¦ **{{ continuity.alternate_authority }}** ¦
      @TITLE(alternate_authority)
    ]]
    %else
    No one has been given authority to invoke this plan yet. The Executive Sponsor names a primary and an
      alternate before {{ phase.exit|longdate }}.
    %endif
    # 3. Critical Operations to Continue
    %if continuity is defined and continuity.critical_operations is defined and continuity.critical_operations
    Each operation below must resume within its maximum outage:
    [[ 2.2 1.3 3.0 keep
    Operation ¦ Maximum outage ¦ How the operation is re-established
    [for o in continuity.critical_operations] **{{ o.name }}** ¦ {{ o.max_outage }} ¦ {{ o.recovery }}
    ]]
    %else
    The critical operations have not been identified yet. For each, record the longest outage the business can
      bear and how the operation is restored or worked around.
    %endif
    # 4. Operational Processes
    Continuity depends on the routine operational processes. Their status at the start of the phase:
    [[ 1.75 0.9 1.55 2.3 align=lc keep
    Process ¦ In place ¦ Owner ¦ Notes
    [for p in processes] {{ p.label }} ¦ {{ p.in_place|yesno if p.given else 'Not reported' }} ¦
      {{ p.owner or '—' }} ¦ {{ p.note }}
    ]]
    [if processes|rejectattr('in_place')|list] Processes not in place, or not reported, are established and
      verified before {{ phase.exit|longdate }}.
    # 5. Project Emergencies and Declared Emergencies
    A declared emergency is a natural disaster, a war, or a man-made disaster such as civil unrest. When one
      occurs, emergency laws and state regulations take effect and the agency follows its emergency procedures;
      this plan supports them but does not govern them.
    A project emergency falls short of that definition yet still threatens the business: a prolonged outage, a
      failed release, the loss of a key data feed or of key staff. It must still be handled, and this plan is
      where it is handled:
    + Detect the problem and assess its impact on the critical operations in section 3.
    + Notify the authority in section 2, who decides whether to invoke the plan.
    + Start the workaround or recovery for each affected operation and tell users what to expect.
    + Restore normal operation, then record what happened and what will change.
    # 6. Help Desk and Escalation
    %if help_desk is defined
    How users reach support and how problems move up when they cannot be solved:
    [[ 2.0 4.5 keep
    Item ¦ Detail
    [if help_desk.operated_by is defined] **Operated by** ¦ {{ party_label[help_desk.operated_by] }}
    [if help_desk.hours is defined] **Hours** ¦ {{ help_desk.hours }}
    [if help_desk.response_time is defined] **Response time** ¦ {{ help_desk.response_time }}
    ]]
    %if help_desk.escalation is defined and help_desk.escalation
    A problem that cannot be solved at one level moves to the next within the time shown:
    [[ 2.0 2.8 1.7 keep
    Escalation level ¦ Contact ¦ Escalate within
    [for e in help_desk.escalation] {{ loop.index }}. {{ e.level }} ¦ **{{ e.contact }}**{{ ', ' ~
      person[e.contact].title if e.contact in person else '' }} ¦ {{ e.get('within', '') }}
    ]]
    %endif
    %else
    The help desk arrangements and the escalation path have not been recorded yet; they are verified before the
      plan can be exercised.
    %endif
    # 7. Contacts
    The people to reach when the plan is invoked:
    [[ 1.3 1.6 1.4 2.2 size=9
    Name ¦ Title ¦ Organization ¦ Email / phone
    [for p in people] **{{ p.name }}** ¦ {{ p.title }} ¦ {{ p.organization }} ¦ {{ [p.get('email'),
      p.get('phone')]|select|join(' / ') }}
    ]]
    # 8. Plan Maintenance and Testing
    - The plan is reviewed at least once a year, after every release that changes the infrastructure or a critical
      operation, and after every invocation.
    - At least once a year the authority, the help desk and the {{ titles.provider }} walk through the recovery of
      one critical operation; findings are tracked to closure.
    - Contact details are confirmed every quarter and whenever a participant changes.
    """,
    )
    return doc
