"""The continuity plan template: its wording and layout, in the markup of ``markup.md``.

Its sections follow the seed's description of a Business Continuity Plan: who has the authority
to initiate it, which operations continue, how each is re-established, and how project emergencies
differ from declared ones. Each statement rests on an answer; "To complete:" marks only what the
interview does not ask, so that no answer could have filled it.
"""

from __future__ import annotations

from docx.document import Document as DocxDocument
from markup import md, new_document

OPS = "continuity is defined and continuity.critical_operations is defined and continuity.critical_operations"


def build() -> DocxDocument:
    doc = new_document(cover_page=True, title="Business Continuity Plan Outline")
    md(
        doc,
        """
    # 1. Purpose
    This outline sets out how the critical business of {{ system.name }} ({{ system.acronym }}) keeps going when a
      disaster or a facility problem interrupts normal operation: who has the authority to initiate the plan,
      which operations must continue, and how each one is re-established.
    It complements the Disaster Recovery Plan without replacing it. Disaster recovery restores facilities and the
      underlying infrastructure; business continuity looks at the impact on the business and on the people it
      serves{{ ': ' ~ system.users if system.users is defined and system.users }}.
    %if operations is defined and operations.business_continuity is defined
    %set bc = operations.business_continuity
    [if bc.in_place] A business continuity process is in place{{ ' (owner: ' ~ bc.get('owner') ~ ')' if
      bc.get('owner') }}; this outline brings it up to date{{ ' for the changed infrastructure' if
      @CHANGED(infrastructure) }}.
    [if not bc.in_place] The business continuity process is not yet in place.{{ ' ' ~ bc.get('note').rstrip('.') ~
      '.' if bc.get('note') else '' }}
    %endif
    # 2. Authority to Initiate the Plan
    %if (@HOLDS(authority)) or (@HOLDS(alternate_authority))
    Only the people below may declare the plan in effect. The alternate acts when the primary cannot be reached:
    [[ 1.6 2.0 2.9 keep
    Authority ¦ Name ¦ Title
    [if @HOLDS(authority)] Primary ¦ **{{ continuity.authority }}** ¦ @TITLE(authority)
    [if @HOLDS(alternate_authority)] Alternate ¦ **{{ continuity.alternate_authority }}** ¦
      @TITLE(alternate_authority)
    ]]
    [if not (@HOLDS(alternate_authority))] No alternate is named yet: one is needed for when the primary cannot be
      reached.
    %else
    No one is named yet with the authority to initiate this plan. A primary and an alternate are named before the
      phase exit on {{ phase.exit|longdate }}{% for p in people if p.role == 'executive_sponsor' %}{{ ', by ' if
      loop.first }}{{ p.name }}{{ ' or ' if not loop.last else ' as Executive Sponsor' if loop.length == 1 else
      ' as Executive Sponsors' }}{% endfor %}.
    %endif
    **To complete:** how the authority is reached out of hours, and how the declaration is announced to staff and
      users.
    # 3. Operations to Continue
    %if @OPS
    These are the operations the business cannot do without, each with the longest outage it can bear:
    [[ 4.3 2.2 keep
    Operation ¦ Longest outage it can bear
    [for o in continuity.critical_operations] **{{ o.name }}** ¦ {{ o.max_outage }}
    ]]
    %else
    No critical operations are recorded yet. For each, the plan needs the longest outage the business can bear and
      how the operation is re-established or worked around.
    %endif
    # 4. How Operations Are Re-established
    %if @OPS
    How each operation is restored, or worked around until it is:
    [for o in continuity.critical_operations] - **{{ o.name }}**: {{ o.recovery }}
    %endif
    %if operations is defined and operations
    Re-establishing the operations relies on these operational processes, as reported at the start of the phase:
    [[ 2.0 0.9 1.5 2.1 align=lc keep
    Process ¦ In place ¦ Owner ¦ Notes
    [for p in processes if p.given] {{ p.label }} ¦ {{ p.in_place|yesno }} ¦ {{ p.owner or '—' }} ¦ {{ p.note }}
    ]]
    [if processes|selectattr('given')|rejectattr('in_place')|list] The processes not in place are established and
      verified before the phase exit on {{ phase.exit|longdate }}.
    [if processes|rejectattr('given')|list] No status is reported for: {{ processes|rejectattr('given')|
      map(attribute='label')|map('lower')|join(', ') }}.
    %else
    No operational process (backup and recovery, batch processing, monitoring, maintenance) is reported yet; each
      one the recovery depends on is verified before the plan is relied upon.
    %endif
    **To complete:** the alternate work location and equipment, the vital records each operation needs, and the steps
      for returning to normal operation once the outage is over.
    # 5. Project Emergencies and Declared Emergencies
    A declared emergency is a natural disaster, a war, or a man-made disaster such as civil unrest. When one
      occurs, emergency laws and {{ 'federal' if agency.level is defined and agency.level == 'federal' else 'state' }}
      regulations take effect and the agency follows its emergency procedures;
      this plan supports them but does not govern them.
    A project emergency falls short of that definition yet still threatens the business: a prolonged outage, a
      failed release, the loss of a key data feed or of key staff. It must still be handled, and this plan is
      where it is handled:
    + Detect the problem and assess its impact on the operations in section 3.
    + Notify the authority in section 2, who decides whether to initiate the plan.
    + Start the workaround or recovery for each affected operation and tell users what to expect.
    + Restore normal operation, then record what happened and what will change.
    # 6. Help Desk and Escalation
    %if help_desk is defined and help_desk
    How users reach support and how problems move up when they cannot be solved:
    [[ 2.0 4.5 keep
    Item ¦ Detail
    [if help_desk.operated_by is defined] **Operated by** ¦ {{ contractor.mo.name ~ ' (' ~ titles.provider ~ ')' if
      help_desk.operated_by == 'provider' else party_label[help_desk.operated_by] ~ ' side' }}
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
    %else
    No escalation levels are recorded yet; the plan needs them before it can be exercised.
    %endif
    %else
    The help desk arrangements and the escalation path are not recorded yet; they are verified before the plan can
      be exercised.
    %endif
    # 7. Contacts
    The people to reach when the plan is initiated:
    [[ 1.3 1.6 1.4 2.2 size=9
    Name ¦ Title ¦ Organization ¦ Email / phone
    [for p in people|unique(attribute='name')] **{{ p.name }}** ¦ {{ p.title }} ¦ {{ p.organization }} ¦
      {{ [p.get('email'), p.get('phone')]|select|join(' / ') or '—' }}
    ]]
    # 8. Plan Maintenance and Testing
    [[ 1.6 4.9 keep
    Activity ¦ When and how
    **Review of the plan** ¦ At least once a year, after every release that changes the infrastructure or a
      critical operation, and each time the plan is initiated.
    **Recovery exercise** ¦ At least once a year the authority, the help desk and the {{ titles.provider }} walk
      through the recovery of one critical operation; findings are tracked to closure.
    **Contact details** ¦ Confirmed every quarter and whenever a participant changes.
    ]]
    """.replace("@OPS", OPS),
    )
    return doc
