"""The M&O Charter template: its wording and layout, in the markup of ``markup.md``.

It covers what the M&O Pre-Initiation page asks of an M&O Charter: the vision and scope of continued
operations, the short- and long-term plan, the key participants, the activities and key decisions of
the phase (authorized decision makers, escalation) and the phase's risks. Every participant is listed
in the Resource Management Plan, to which the charter refers.
"""

from __future__ import annotations

from docx.document import Document as DocxDocument
from markup import md, new_document

LEADERS = "('executive_sponsor', 'business_owner', 'program_manager', 'pmo_lead')"


def note(change: str) -> str:
    """The note of a change since acquisition, read by name so that a changed note regenerates the charter."""
    at = f"changes_since_acquisition.{change}.note"
    return f"{{{{ {at} if {at} is defined else '' }}}}"


def named(names: str) -> str:
    """A list of names joined as a sentence does: "A", "A and B", "A, B and C"."""
    names = f"({names})"
    return f"{{{{ {names}[:-1]|join(', ') ~ ' and ' ~ {names}[-1] if {names}|length > 1 else {names}|join('') }}}}"


CYCLES = "contractor.block_cycles is defined and contractor.block_cycles"
EMERGENCY = "change_methods|selectattr('type', 'equalto', 'Emergency Repairs/Fixes')|selectattr('defined')|list"


def build() -> DocxDocument:
    doc = new_document(cover_page=True, title="M&O Charter")
    md(
        doc,
        f"""
    # 1. Purpose and Vision
    This {{{{ doc.title }}}} sets the vision and scope for the continued operation of {{{{ system.name }}}}
      ({{{{ system.acronym }}}}){{% if phase.mo_start is defined %}}, whose maintenance and operations service begins
      on {{{{ phase.mo_start|longdate }}}}{{% endif %}}. It states the short- and long-term plan for the system, names
      the key participants and the people authorized to decide, and sets out the activities and key decisions of
      the {{{{ titles.phase }}}} phase, change control, funding and the risks to manage. Every plan revised during
      the phase is expected to agree with it.
    ## 1.1 Vision
    {{{{ phase.vision }}}}
    # 2. Background
    {{{{ system.description }}}}
    [[ 2.0 4.5 keep
    Item ¦ Detail
    **System** ¦ {{{{ system.name }}}} ({{{{ system.acronym }}}})
    **Owning agency** ¦ {{{{ agency.name }}}}
    [if system.go_live is defined] **In production since** ¦ {{{{ system.go_live|longdate }}}}
    [if system.users is defined and system.users] **Users** ¦ {{{{ system.users }}}}
    **Phase** ¦ {{{{ titles.phase }}}}: {{{{ phase.start|longdate }}}} to {{{{ phase.exit|longdate }}}}
    [if phase.mo_start is defined] **M&O service begins** ¦ {{{{ phase.mo_start|longdate }}}}
    **{{{{ titles.provider }}}}** ¦ {{{{ contractor.mo.name }}}}{{{{ ', contract ' ~ contractor.mo.contract_number
      if contractor.mo.contract_number is defined else '' }}}}
    [if contractor.development is defined] **Development contractor** ¦ {{{{ contractor.development.name }}}}
    ]]
    %if contractor_changed
    Responsibility for the system passes from {{{{ contractor.development.name }}}} to {{{{ contractor.mo.name }}}}.
      Knowledge transfer, acceptance of the inherited documentation and the reassignment of plan roles are
      therefore priorities of this phase.
    %elif contractor.development is defined
    {{{{ contractor.development.name }}}} built the system and stays on for maintenance and operations. The team
      must now move from a development mindset to steady, service-level-driven operations; section 10 treats this
      as a risk of the phase.
    %endif
    # 3. Scope
    ## 3.1 In Scope
    [for s in phase.scope] - {{{{ s }}}}
    ## 3.2 Out of Scope
    %if phase.out_of_scope is defined and phase.out_of_scope
    [for s in phase.out_of_scope] - {{{{ s }}}}
    %else
    No exclusions have been recorded. Work not listed in section 3.1 needs an approved change request.
    %endif
    # 4. Plan for the System
    ## 4.1 Short-Term Plan
    To be achieved by the end of the phase on {{{{ phase.exit|longdate }}}}:
    [for s in phase.short_term_plan] - {{{{ s }}}}
    ## 4.2 Long-Term Plan
    Goals that guide decisions beyond this phase:
    [for s in phase.long_term_plan] - {{{{ s }}}}
    [if schedule] The tasks, owners and dates of the phase are in the
      {{{{ titles.schedule }}}}.
    ## 4.3 Milestones of the Phase
    %if timeline.count
    The milestones of the schedule, month by month from the start of the phase to its exit on
      {{{{ phase.exit|longdate }}}}:
    !timeline 1
    %else
    No milestones have been set in the schedule yet; the phase exits on {{{{ phase.exit|longdate }}}}.
    %endif
    # 5. Key Participants
    %set orgs = people|map(attribute='organization')|unique|list
    %set managers = people|selectattr('role', 'equalto', 'program_manager')|list
    The phase brings together {{{{ people|length }}}} {{{{ 'person' if people|length == 1 else 'people' }}}} from
      {named("orgs")}. The Executive Sponsor owns the vision and the funding, the Business Owner speaks for the
      business program and its users, {{{{ 'the Program Managers run' if managers|length > 1 else 'the Program
      Manager runs' }}}} the phase day to day and the PMO Lead keeps its plans, schedule and registers.
    %if roles|selectattr('key', 'in', {LEADERS})|list
    > The leadership of the phase:
    [[ 1.6 1.5 2.0 1.4 keep
    Role ¦ Name ¦ Title ¦ Organization
    [for r in roles if r.key in {LEADERS}][for p in r.people] {{{{ r.label }}}} ¦ **{{{{ p.name }}}}** ¦
      {{{{ p.title }}}} ¦ {{{{ p.organization }}}}
    ]]
    %else
    No executive sponsor, business owner, program manager or PMO lead has been named yet; they must be named before
      this charter can be approved.
    %endif
    %set liaisons = people|selectattr('role', 'in', ('executive_customer_liaison', 'customer_services_manager'))|list
    %if liaisons
    Users are represented by {{% for p in liaisons %}}**{{{{ p.name }}}}** ({{{{ role_label[p.role] }}}}){{{{ ', ' if
      loop.revindex > 2 else ' and ' if loop.revindex == 2 else '' }}}}{{% endfor %}}.{{% if staffing is defined and
      staffing.customer_support_group %}} A customer support group is in place.{{% endif %}}
    %elif staffing is defined and staffing.customer_support_group
    No customer liaison has been named yet; a customer support group is in place.
    %else
    No customer liaison or customer support group has been named yet; M&O Pre-Initiation calls for at least one.
    %endif
    [if people] For all participants, with their roles and responsibilities, see
      the Resource Management Plan, section 5.
    # 6. Decision Makers and Escalation
    ## 6.1 Authorized Decision Makers
    %if ({CYCLES}) or change_methods|selectattr('defined')|list
    The people authorized to take each decision:
    [[ 3.3 3.2 keep
    Decision ¦ Authorized decision maker
    [if {CYCLES}][for c in contractor.block_cycles] Start of the {{{{ c.name }}}} block cycle ¦ {{{{ c.approver if
      c.approver is defined and c.approver else 'not yet named' }}}}
    [for c in change_methods if c.defined] {{{{ c.type }}}} ¦ {{{{ c.approver or 'not yet named' }}}}
    ]]
    %endif
    %if {CYCLES}
    %set cycle_approvers = contractor.block_cycles|selectattr('approver', 'defined')|list
    %if not cycle_approvers
    No one is named yet to authorize the start of a block cycle; the Executive Sponsor names that person before
      {{{{ (contractor.block_cycles|map(attribute='start')|min)|longdate }}}}.
    %endif
    %endif
    %set emergency = ({EMERGENCY})[0].approver if {EMERGENCY} else ''
    %if emergency
    Emergency fixes are authorized by **{{{{ emergency }}}}**{{{{ ', ' ~ person[emergency].title if emergency in person
      else '' }}}}.
    %else
    No one is named yet to authorize emergency fixes; the Governance Plan must name that person before
      {{{{ phase.exit|longdate }}}}.
    %endif
    [if @CHANGED(decision_makers)] **Change since acquisition:** {note("decision_makers")}
    ## 6.2 Escalation
    %if @CHANGED(escalation)
    The escalation process changed since acquisition: {note("escalation")}
    %elif changes_since_acquisition is defined and changes_since_acquisition.escalation is defined
    The escalation process and roles are unchanged since acquisition; this charter re-affirms them.
    %else
    The escalation process and roles have not yet been reviewed; they are to be re-affirmed before
      {{{{ phase.exit|longdate }}}}.
    %endif
    %if help_desk is defined and help_desk.escalation is defined and help_desk.escalation
    Operational problems move up level by level until one can solve them:
    [[ 2.4 2.4 1.7 keep
    Level ¦ Contact ¦ Escalate within
    [for e in help_desk.escalation] {{{{ loop.index }}}}. {{{{ e.level }}}} ¦ {{{{ e.contact }}}} ¦
      {{{{ e.within if e.within is defined and e.within else '—' }}}}
    ]]
    %endif
    The review of the Governance Plan, where the decision makers and the escalation process are kept, is recorded
      in the Plan Review Register.
    # 7. Activities and Key Decisions of the Phase
    [[ 2.6 3.9
    Activity or decision ¦ Where it stands
    Phase launch meeting, to review lessons learned and the new processes ¦ {{% if launch_meeting is defined
      %}}Planned for {{{{ launch_meeting.date|longdate }}}}; see the Launch Meeting Agenda{{% else %}}Not yet
      scheduled{{% endif %}}
    Update the authorized decision makers, for block cycles and emergency fixes ¦ {{% set missing =
      change_methods|selectattr('defined')|rejectattr('approver')|map(attribute='type')|list %}}{{% if
      change_methods|selectattr('defined')|list %}}{{{{ 'An approver is named for each type of change with a
      handling method' if not missing else 'No approver yet for: ' ~ missing|join(', ') }}}}{{% else %}}No type of
      change has a handling method yet{{% endif %}}{{% if {CYCLES} %}}; {{{{ 'every block cycle has an approver' if
      contractor.block_cycles|rejectattr('approver', 'defined')|list|length == 0 else 'not yet for starting a block
      cycle' }}}}{{% endif %}}
    Review and re-affirm the escalation process and roles ¦ {{% if @CHANGED(escalation) %}}Changed: {note("escalation")}
      {{% elif changes_since_acquisition is defined and changes_since_acquisition.escalation is defined
      %}}Unchanged; re-affirmed by this charter{{% else %}}Due by {{{{ phase.exit|longdate }}}}{{% endif %}}
    Review the system documentation and the inventory of assets, warranties and licenses ¦ Due by
      {{{{ phase.exit|longdate }}}}
    Review the tools of the acquisition phase and decide on new ones ¦ {{% if @CHANGED(tools) %}}Changed:
      {note("tools")}{{% elif changes_since_acquisition is defined and changes_since_acquisition.tools is defined
      %}}No change since acquisition{{% else %}}Due by {{{{ phase.exit|longdate }}}}{{% endif %}}
    Verify the help desk and the problem escalation process ¦ {{% if help_desk is defined and help_desk.operated_by
      is defined %}}Run by {{{{ help_desk_operator }}}}{{{{ ', ' ~ help_desk.hours if
      help_desk.hours is defined else '' }}}}{{% else %}}No help desk recorded yet{{% endif %}}
    Verify the operational processes for monitoring the system ¦ {{% set ready =
      processes|selectattr('in_place')|map(attribute='label')|list %}}{{% set open =
      processes|rejectattr('in_place')|map(attribute='label')|list %}}{{{{ 'In place: ' ~ ready|join(', ') if ready
      else 'None in place yet' }}}}{{{{ '. Not yet in place or not recorded: ' ~ open|join(', ') if open else '' }}}}
    ]]
    # 8. Change Control
    Under this charter every defect and enhancement is logged, analyzed, decided and tracked to release through the
      Change Control Process. Approved requests become candidates for the next {{{{ 'block cycle' if {CYCLES} else
      'release' }}}}, depending on the effort and funding they need.
    ## 8.1 Change Control Board
    %set board = people|selectattr('role', 'equalto', 'ccb_member')|list
    %set outside = board|rejectattr('organization', 'in', (agency.short_name, agency.name))|list
    %if board
    [for p in board] - **{{{{ p.name }}}}**, {{{{ p.title }}}}, {{{{ p.organization }}}}
    %if outside
    > Members from outside {{{{ agency.short_name }}}}: {{% for p in outside %}}{{{{ p.name }}}}
      ({{{{ p.organization }}}}){{{{ '; ' if not loop.last else '' }}}}{{% endfor %}}.
    %elif board|length == 1
    > The board has a single member so far.
    %else
    > All members of the board come from {{{{ agency.short_name }}}}.
    %endif
    Maintenance and operations call for more user involvement on the board than the acquisition did, so the board
      should confirm that the users are represented on it.
    %else
    No Change Control Board members have been named yet; they should include representatives of the users.
    %endif
    ## 8.2 Handling of Each Type of Change
    %if change_methods|selectattr('defined')|list
    [[ 1.9 3.2 1.4 keep
    Type of change ¦ Handling method ¦ Approver
    [for c in change_methods if c.defined] **{{{{ c.type }}}}** ¦ {{{{ c.method }}}} ¦ {{{{ c.approver or '—' }}}}
    ]]
    %endif
    %set undefined = change_methods|rejectattr('defined')|map(attribute='type')|list
    %if undefined
    A handling method is still to be agreed for {named("undefined")}; the Change Control Board agrees
      {{{{ 'it' if undefined|length == 1 else 'them' }}}} before {{{{ phase.exit|longdate }}}}.
    %else
    Each of the seven types of change has a handling method.
    %endif
    # 9. Funding and Block Cycles
    The phase is funded with {{{{ funding.text }}}}{{{{ '; source: ' ~ contractor.funding.source if
      contractor.funding.source is defined else '' }}}}. The {{{{ funding.unit }}}} spent on each change and each
      {{{{ 'block cycle' if {CYCLES} else 'release' }}}} are tracked against the authorization, so that the
      remaining {{{{ funding.unit }}}} are always known.
    %if {CYCLES}
    The authorization is allocated to block cycles as follows:
    [[ 2.3 1.4 1.4 1.4 align=lccr keep
    Block cycle / release ¦ Start ¦ Finish ¦ Allocated {{{{ funding.unit }}}}
    [for c in contractor.block_cycles] {{{{ c.name }}}} ¦ {{{{ c.start|longdate }}}} ¦ {{{{ c.finish|longdate }}}} ¦
      @AMOUNT
    = Allocated to block cycles ¦ ¦ ¦ @TOTAL(allocated)
    = Not yet allocated ¦ ¦ ¦ @TOTAL(unallocated)
    ]]
    %else
    No block cycles have been scheduled yet; the whole authorization remains unallocated.
    %endif
    [if funding.unallocated < 0] **Attention:** the block cycles exceed the authorization; reduce them or request
      more funding.
    # 10. Risks
    ## 10.1 Risks of the Phase
    %if risk_rows
    The risk assessment of the phase rates each risk by likelihood and impact:
    [[ 0.55 2.05 1.0 1.2 1.7 size=9 keep
    ID ¦ Risk ¦ Rating (likelihood / impact) ¦ Owner ¦ Mitigation
    [for r in risk_rows] {{{{ r.id }}}} ¦ {{{{ r.title }}}} ¦ **{{{{ r.rating }}}}** ({{{{ r.likelihood }}}} /
      {{{{ r.impact }}}}) ¦ {{{{ r.owner }}}} ¦ {{{{ r.mitigation }}}}
    ]]
    %else
    No risks have been recorded for the phase yet; the risk assessment is due before {{{{ phase.exit|longdate }}}}.
    %endif
    ## 10.2 Common M&O Risks
    The common risks of M&O serve as the starting list for the risk assessment. A common risk is addressed when a
      risk in section 10.1 names it:
    [[ 5.0 1.5 size=9
    Common risk ¦ Addressed by
    for g in starting_risks
    = {{{{ g.group }}}} ¦
    [for r in g.risks] {{{{ r.text }}}} ¦ {{{{ r.covered_by if r.covered else 'Not yet assessed' }}}}
    endfor
    ]]
    %set open_risks = starting_risks|map(attribute='risks')|sum(start=[])|rejectattr('covered')|list
    [if open_risks] The risk assessment should consider the common risks not yet assessed, with an owner for each,
      before {{{{ phase.exit|longdate }}}}.
    # 11. Approvals
    By signing, the undersigned agree to the vision, scope, key participants, decision makers, change control,
      funding and risks set out in this charter:
    %if roles|selectattr('key', 'in', @LEADERS)|list
    @SIGN(LEADERS)
    %else
    No executive sponsor, business owner or program manager has been named yet to sign this charter.
    %endif
    """,
    )
    return doc
