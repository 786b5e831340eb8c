"""The resource plan template: its wording and layout, in the markup of ``markup.md``.

Its sections follow the resource management plans program offices use (purpose, audience, strategy,
onboarding and attrition, organization, roles, approvals, references, terms); it is the one home of
the people table (5.1) and the RACI matrix (5.2), which the other documents refer to.
"""

from __future__ import annotations

import re

from docx.document import Document as DocxDocument
from markup import md, new_document, raci

# Each role's chief responsibilities and the experience it calls for, in the order of ``roles``.
PROFILES = {
    "executive_sponsor": (
        "Sets the direction of the phase, secures its funding and staff, and settles the issues escalated to "
        "the sponsors; signs the charter.",
        "Executive authority over the program's budget and staff; experience sponsoring a system in production.",
    ),
    "business_owner": (
        "Speaks for the business programs the system serves: sets the priority of changes and accepts the results.",
        "Management of the business program, its policy and the way its users work.",
    ),
    "program_manager": (
        "Runs the phase day to day for their side: plans, schedule, staff, risks and the decisions of this plan.",
        "Management of an information technology program of similar size, and of a contract or agreement.",
    ),
    "pmo_lead": (
        "Leads the program office: plans, registers and tracking systems, status reporting, and the upkeep of "
        "this plan.",
        "Program office methods (schedule, risk, issue and change tracking), facilitation and reporting.",
    ),
    "pmo_team": (
        "Keeps the schedule, the registers and the reports current and supports the program office's meetings.",
        "Scheduling and tracking tools; document control.",
    ),
    "executive_customer_liaison": (
        "Keeps users and the customer informed and involved; the focal point for their questions and concerns.",
        "Standing with the user community; stakeholder communication.",
    ),
    "customer_services_manager": (
        "Coordinates customer support with the provider and project staff; manages user training and communication.",
        "Service management and user support; planning and coordinating training.",
    ),
    "ccb_member": (
        "Reviews, ranks and approves or rejects the changes brought before the Change Control Board.",
        "Knowledge of the system and of the business or technical area the member represents.",
    ),
    "help_desk": (
        "Takes users' calls, logs and resolves problems, and passes the rest up the escalation path.",
        "Service desk operation and the system's common problems.",
    ),
    "security_officer": (
        "Approves system access, oversees the security controls and reviews changes for their security impact.",
        "Information security management; the agency's security policy and controls.",
    ),
    "qa_ivv": (
        "Verifies and validates plans, changes and releases independently and reports the findings to the customer.",
        "Independent verification and validation, or quality assurance, of information systems.",
    ),
    "stakeholder": (
        "Is kept informed of, and consulted on, the changes that affect their area.",
        "Knowledge of their own area's work and needs.",
    ),
}
SUPPORT = "('pmo_team', 'ccb_member', 'help_desk', 'stakeholder')"
LEADERS = "('executive_sponsor', 'business_owner', 'program_manager', 'pmo_lead')"
HELD = "roles|map(attribute='key')|list"
VACANT = f"[for k in role_label if k in {LEADERS} and k not in {HELD}]"
NAMES = "r.people|selectattr('party', 'equalto', 'SIDE')|map(attribute='name')|join(', ')"


def _md(doc: DocxDocument, text: str) -> None:
    """``md`` with this module's pieces filled in (written ``@@NAME``): Jinja's braces stay readable."""
    pieces = {
        "NAMES_CUSTOMER": NAMES.replace("SIDE", "customer"),
        "NAMES_PROVIDER": NAMES.replace("SIDE", "provider"),
        "LEADERS": LEADERS,
        "VACANT": VACANT,
        "SUPPORT": SUPPORT,
        "PROFILES": _profiles(),
    }
    md(doc, re.sub(r"@@([A-Z_]+)", lambda m: pieces[m[1]], text))


def _profiles() -> str:
    row = "[if '{0}' in {1}] **{{{{ role_label['{0}'] }}}}** ¦ {2} ¦ {3}"
    # Indented like the markup around it, so that dedent still finds the common margin.
    return "\n    ".join(row.format(key, HELD, duty, need) for key, (duty, need) in PROFILES.items())


def build() -> DocxDocument:
    doc = new_document(cover_page=True, title="Resource Management Plan")
    _md(
        doc,
        """
    # 1. Purpose of the Plan
    This Resource Management Plan sets out how {{ system.name }} ({{ system.acronym }}) is staffed during
      the {{ titles.phase }} phase. It:
    - describes the resource management strategy: where the staff come from and how the {{ titles.provider }}
      ({{ contractor.mo.name }}) and {{ agency.short_name }} staff work together;
    - shows the organizational structure and the leadership team;
    - names each role and its holder, with the role's responsibilities and the experience it needs, and shows in a
      RACI matrix who does what;
    - lists the positions and support staff, with the resource and skill gaps still open and when each closes;
    - sets out how people join the team and how the team copes when people leave.
    The plan is revised whenever a role changes hands; its approvers are listed in section 8.
    # 2. Plan Audience
    The plan is written for the {{ titles.organization }} leadership team, for the team members of
      {{ agency.short_name }} and of {{ contractor.mo.name }}, and for the stakeholders who support the
      phase or are affected by it. Everyone named in section 5.1 should know its content for their own role.
    # 3. Resource Management Strategy
    ## 3.1 Sources of Staff
    Of the {{ people|length }} people named in this plan, {{ people|selectattr('party', 'equalto',
      'customer')|list|length }} are {{ agency.short_name }} staff and {{ people|selectattr('party', 'equalto',
      'provider')|list|length }} work{{ 's' if people|selectattr('party', 'equalto', 'provider')|list|length == 1
      else '' }} for the {{ titles.provider }}{% set both = people|selectattr('party', 'equalto',
      'shared')|list|length %}{{ '; the other works for both sides' if both == 1 else '; the others work for both
      sides' if both else '' }}.
      {{ contractor.mo.name }} provides the {{ titles.provider }}'s staff{{ ', led by ' ~ contractor.mo.manager if
      contractor.mo.manager is defined and contractor.mo.manager else '' }}, under {{ 'agreement ' ~
      contractor.mo.contract_number if contractor.mo.contract_number is defined and contractor.mo.contract_number
      else 'its agreement with ' ~ agency.short_name }}{{ ' until ' ~ contractor.mo.end|longdate if contractor.mo.end
      is defined else '' }}. Its work is funded with {{ funding.text }}{{ '; funding source: ' ~
      contractor.funding.source if contractor.funding.source is defined and contractor.funding.source else '' }}.
    %if staffing is defined and staffing.positions is defined and staffing.positions
    The phase needs {{ staffing_totals.needed }} staff in {{ staffing.positions|length }} positions (section
      6.1), {{ staffing_totals.filled }} of them filled.
    %endif
    [if @CHANGED(staffing)] **{{ 'Change since acquisition' if stage.lifecycle == 'hhsdc_mo' else 'Staffing
      change' }}:** @NOTE(staffing)
    ## 3.2 How Staff Are Assigned and Released
    Each person is assigned to a role for the phase, from {{ phase.start|longdate }} to its exit on
      {{ phase.exit|longdate }}. The staffing review (an activity of the RACI matrix, section 5.2) confirms the
      assignments and the open positions; a person who changes role or leaves is recorded as a revision of this plan,
      and the open position is filled or its work reassigned as section 6.2 records.
    %if timeline.count
    The milestones of the phase, around which staff are assigned and released:
    !timeline 1
    %endif
    ## 3.3 Provider Staff and Agency Staff Working Together
    %if raci.customer_lead
    Each provider-side person has a customer lead at {{ agency.short_name }}, who agrees their priorities and
      accepts their work. The customer lead is the holder of the same role on the customer side or, where there is
      none, the customer's program manager:
    [for n, lead in raci.customer_lead|dictsort] - {{ n }} ({{ person[n].title }}) works with {{ lead }}
      ({{ person[lead].title }}).
    %else
    No provider-side person is paired with a customer lead yet: either none is named, or no customer program manager
      is named to take the role.
    %endif
    [if raci.split] Where both sides hold a role, both holders appear in the RACI matrix (section 5.2), which says
      which of them answers for each activity.
    # 4. Organizational Structure
    ## 4.1 Leadership Team and Reporting Lines
    The leadership team, by side. Program office staff report through the PMO Lead to the program managers, and
      issues the program managers cannot settle between them go to the executive sponsors:
    [[ 2.0 2.25 2.25 keep
    Role ¦ Customer ({{ agency.short_name }}) ¦ {{ titles.provider }}
    [for r in roles if r.key in @@LEADERS] **{{ r.label }}** ¦ {{ @@NAMES_CUSTOMER }}
      ¦ {{ @@NAMES_PROVIDER }}
    @@VACANT **{{ role_label[k] }}** ¦ Vacant ¦ Vacant
    ]]
    ## 4.2 Program Office Areas and Staff Numbers
    %if staffing is defined and staffing.positions is defined and staffing.positions
    Staff needed and filled, by side, from the positions in section 6.1:
    [[ 2.5 1.3 1.3 1.4 align=lccc keep
    Side ¦ Positions ¦ Staff needed ¦ Staff filled
    [for side in party_label][if staffing.positions|selectattr('party', 'equalto', side)|list]
      {{ party_label[side] }} ¦ {{ staffing.positions|selectattr('party', 'equalto', side)|list|length }} ¦
      {{ staffing.positions|selectattr('party', 'equalto', side)|sum(attribute='needed') }} ¦
      {{ staffing.positions|selectattr('party', 'equalto', side)|sum(attribute='filled') }}
    = Total ¦ {{ staffing.positions|length }} ¦ {{ staffing_totals.needed }} ¦ {{ staffing_totals.filled }}
    ]]
    %else
    No positions have been recorded yet, so the staff numbers of the program office are not known.
    %endif
    **To complete:** if the program office is organized in areas (for example project control, functional,
      technical and change management), name each area's lead and give its staff numbers, customer and provider.
    # 5. Roles and Responsibilities
    ## 5.1 People and Roles
    Everyone who takes part in the phase, with their role. Leadership roles are marked Lead; program office team
      members, board members, help desk staff and other stakeholders are marked Support. Provider staff are shown
      with their customer lead:
    [[ 1.15 1.7 0.7 0.85 0.75 0.5 0.85 size=9 keep
    Role ¦ Name, title and organization ¦ Side ¦ Lead or support ¦ Status ¦ Time ¦ Customer lead
    [for r in roles][for p in r.people] **{{ r.label }}** ¦ **{{ p.name }}** // {{ p.title }},
      {{ p.organization }} ¦ {{ party_label[p.party] }} ¦ {{ 'Support' if r.key in @@SUPPORT else 'Lead'
      }}{{ ': ' ~ p.specialty if p.get('specialty') else '' }} ¦ {{ p.appointment|capitalize if
      p.get('appointment') else 'Filled' }} ¦ {{ p.allocation ~ '%' if p.get('allocation') is not none else '' }} ¦
      {{ raci.customer_lead[p.name] if p.name in raci.customer_lead else '' }}
    @@VACANT **{{ role_label[k] }}** ¦ Not yet named ¦ ¦ Lead ¦ Vacant ¦ ¦
    ]]
    Status is Permanent or Acting where the appointment was recorded, otherwise Filled; Time is the share of working
      time committed to the project, where recorded.
    %if people|rejectattr('allocation', 'defined')|list
    **To complete:** the time commitment of {{ 'each person above' if not people|selectattr('allocation',
      'defined')|list else people|rejectattr('allocation', 'defined')|map(attribute='name')|unique|join(', ') }}.
    %endif
    ## 5.2 RACI Matrix
    The matrix gives each activity of the phase to the people who take part in it. Each column is one person, or
      one body acting together, named in the key below; the lead party shows whether the customer, the provider or
      both together drive the activity:
    """,
    )
    raci(doc, heat=True, figure=2)
    _md(
        doc,
        """
    **R** Responsible: does the work. **A** Accountable: answers for the result and signs it off; each activity has
      exactly one. **C** Consulted: gives input before the work is done. **I** Informed: told of the outcome. The
      columns:
    [for c in raci.columns] - **{{ c.key }}**: {{ c.label }}, {{ c.names }}
    [if raci.split] Where a role is held on both sides ({{ raci.split|join(', ') }}), each holder has a column of
      their own. When the role answers for an activity, the holder on the lead party's side is accountable (the
      customer's when both parties lead) and the other holder is responsible.
    [for b in raci.bodies] The {{ b.label }} ({{ b.names }}) acts as one body: its letter applies to every
      member, and a member who also holds another role carries it in the column of that role.
    %if raci.gaps
    Roles the activities need that no one holds yet:
    [for g in raci.gaps] - **{{ g.role }}**: not yet named.{{ ' Until it is, its part waits in: ' ~ g.does|join('; ')
      ~ '.' if g.does else '' }}{{ ' Until it is, ' ~ g.by ~ ' answers for: ' ~ g.answers|join('; ') ~ '.' if
      g.answers else '' }}
    %else
    Every role the activities call for is held by someone named in section 5.1.
    %endif
    ## 5.3 Responsibilities and Required Experience
    The chief responsibilities of each role held in this phase, and the experience or skills its holder needs. A
      holder who must still build a skill has it listed, with its training or hiring date, in section 6.2:
    [[ 1.5 2.7 2.3 size=9
    Role ¦ Major responsibilities ¦ Required experience and skills
    @@PROFILES
    ]]
    ## 5.4 Customer Liaison and Support Roles
    %if role_needs is defined or people|selectattr('role', 'in', @LIAISONS)|list
    The customer-facing roles below keep users informed and coordinate support with the provider. An X shows
      whether the project needs each duty; a duty with no mark has not been assessed yet.
    %for t in role_tables
    > **{{ t.role }}.** {{ t.summary }} Role holder: **{{ t.holder }}**. The duties, and whether the
      project needs each:
    [[ 0.4 4.1 1.0 1.0 align=clcc keep
    # ¦ Duty ¦ Needed: Yes ¦ Needed: No
    [for d in t.duties] {{ d.n }} ¦ {{ d.text }} ¦ {{ d.yes }} ¦ {{ d.no }}
    ]]
    %endfor
    %else
    No one holds the Executive Customer Liaison or Customer Services Manager role, and the duties of these roles
      have not been assessed for this phase. If users need a single point of contact, name the holders and record
      which duties apply in the next revision of this plan.
    %endif
    # 6. Staffing and Skills
    ## 6.1 Positions
    %if staffing is defined and staffing.positions is defined and staffing.positions
    The positions the phase needs, how many staff each needs and whether they have been acquired:
    [[ 1.6 0.75 0.65 0.6 0.9 2.0 align=llcccl keep size=9
    Position ¦ Side ¦ Needed ¦ Filled ¦ Acquired ¦ Key skills
    [for p in staffing.positions] {{ p.title }} ¦ {{ party_label[p.party] }} ¦ {{ p.needed }} ¦
      {{ p.filled }} ¦ {{ 'Yes' if p.filled >= p.needed else 'No' if p.filled == 0 else 'In part' }} ¦
      {{ p.get('skills', '') }}
    = Total ¦ ¦ {{ staffing_totals.needed }} ¦ {{ staffing_totals.filled }} ¦ {{ 'Yes' if not
      staffing_totals.gap else staffing_totals.gap ~ ' open' }} ¦
    ]]
    %else
    No positions have been recorded yet; the staffing review of the phase must list them, with the number of staff
      each needs.
    %endif
    ## 6.2 Resource and Skill Gaps
    %if staffing is defined and staffing.positions is defined and staffing_totals.gap
    Open positions: {{ staffing_totals.gap }} staff still to be found:
    [for p in staffing.positions if p.needed > p.filled] - {{ p.title }}: {{ p.needed - p.filled }} of
      {{ p.needed }} open.
    **To complete:** the target date to fill each open position.
    %endif
    %if staffing is defined and staffing.skill_gaps is defined and staffing.skill_gaps
    Skills that are missing, how each gap will be closed and by when:
    [[ 2.0 0.9 1.3 2.3 keep
    Skill ¦ Action ¦ Target date ¦ Note
    [for g in staffing.skill_gaps] {{ g.skill }} ¦ {{ g.action|capitalize }} ¦ {{ g.due|longdate if g.due is
      defined else 'not set' }} ¦ {{ g.get('note', '') }}
    ]]
    %else
    No skill gaps were identified.
    %endif
    ## 6.3 Customer Support Group
    %if staffing is defined and staffing.customer_support_group is defined
    A customer support group is in place: **{{ staffing.customer_support_group|yesno }}**.
      {{ 'It works with the Customer Services Manager on user questions and training.'
      if staffing.customer_support_group else 'Until one is formed, the Executive Customer Liaison carries user
      concerns to the project.' }}
    %else
    Whether a customer support group exists has not been recorded yet.
    %endif
    ## 6.4 Help Desk Staffing
    %if help_desk is defined and help_desk
    [if help_desk.operated_by is defined] The help desk is operated by the {{ party_label[help_desk.operated_by]|lower
      }} side{{ ' (' ~ contractor.mo.name ~ ')' if help_desk.operated_by == 'provider' else '' }}.
    [if help_desk.hours is defined] Hours: {{ help_desk.hours }}.
    [if help_desk.response_time is defined] Response time: {{ help_desk.response_time }}.
    [if people|selectattr('role', 'equalto', 'help_desk')|list] Help desk staff named in this plan: {{
      people|selectattr('role', 'equalto', 'help_desk')|map(attribute='name')|join(', ') }}.
    %if help_desk.escalation is defined and help_desk.escalation
    Problems not resolved at one level go to the next:
    [[ 0.5 2.2 2.3 1.5 align=c keep
    # ¦ Level ¦ Contact ¦ Within
    [for e in help_desk.escalation] {{ loop.index }} ¦ {{ e.level }} ¦ {{ e.contact }} ¦ {{ e.get('within', '')
      }}
    ]]
    %endif
    %else
    No help desk arrangements have been recorded; the RACI matrix includes setting them up.
    %endif
    # 7. Onboarding and Attrition Management
    ## 7.1 Onboarding
    A person joining the team receives this plan, with their row of the RACI matrix, and the other documents of this
      package: {{ deliverables|selectattr('action', 'equalto', 'generate')|map(attribute='title')|reject('equalto',
      'Resource Management Plan')|join(', ') }}. Onboarding follows these steps:
    + Their program manager confirms the role, the time commitment and, for provider staff, the customer lead.
    + {{ people|selectattr('role', 'equalto', 'security_officer')|map(attribute='name')|first ~ ', the Information
      Security Officer, approves their system access.' if people|selectattr('role', 'equalto', 'security_officer')|list
      else 'System access is requested and approved before work starts.' }}
    + The PMO Lead walks them through the schedule, the registers and the tracking systems, and records them in
      section 5.1 of this plan.
    + Within their first weeks they meet the people their role works with most, as the RACI matrix shows.
    [if not people|selectattr('role', 'equalto', 'security_officer')|list] **To complete:** who approves system access
      for new team members.
    ## 7.2 Attrition and Turnover
    When a person leaves a role, or is about to:
    - their program manager tells the PMO Lead, who marks the role Acting or Vacant in section 5.1 and names who
      covers it;
    - the person hands over their open work and what they know, in writing, to their successor or the cover;
    - their system access is withdrawn on their last day, and the RACI matrix and this plan are revised.
    Provider staff are replaced under the provider's own agreement; the customer lead accepts the replacement.
      Agency staff stay under {{ agency.short_name }}'s own human resources and performance management processes.
    [if contractor.mo.end is defined] The agreement with {{ contractor.mo.name }} runs to {{
      contractor.mo.end|longdate }}; the handover to whoever follows must be planned well before that date.
    [if contractor_changed and contractor.development.end is defined] {{ contractor.development.name }}'s work
      ends on {{ contractor.development.end|longdate }}; {{ 'the knowledge transfer to ' ~ contractor.mo.name ~ ' is
      an activity of the RACI matrix' if stage.lifecycle == 'hhsdc_mo' else 'what its staff know of the system
      must be handed over to ' ~ contractor.mo.name ~ ' before then' }}.
    **To complete:** the measures that keep key staff on the team (for example cross-training, backups for each key
      role and recognition), agreed by both program managers.
    # 8. Management Certification and Approvals
    Each approver below has reviewed this Resource Management Plan for {{ system.name }} and marks one of:
      ☐ accepted; ☐ accepted once the changes noted are made; ☐ not accepted. By signing, the approver accepts the
      content of the plan and the tasks it assigns:
    @SIGN(PMS)
    # Appendix A: Key References
    The documents this plan refers to:
    [[ 2.0 2.7 1.8 size=9
    Document ¦ Description ¦ Location
    [for d in deliverables if d.action == 'generate' and d.title != 'Resource Management Plan']
      {{ titles.charter if d.title == 'Charter' else titles.schedule if d.title == 'Master Schedule' else d.title }}
      ¦ {{ d.reason[:1]|upper ~ d.reason[1:] }} ¦ This package
    [for r in plan_register] {{ r.title }} ¦ {{ 'New plan' if r.action == 'Create' else 'Existing plan' }}; owner
      {{ r.owner }}; decision: {{ r.action }} ¦
      {{ (existing_plans.get(r.id) or {}).get('location') or 'To complete' if existing_plans is defined else
      'To complete' }}
    ]]
    # Appendix B: Key Terms
    [[ 1.4 5.1 size=9 keep
    Term ¦ Meaning in this plan
    **RACI** ¦ Responsible, Accountable, Consulted, Informed: the part each person plays in an activity (section 5.2)
    **Customer lead** ¦ The {{ agency.short_name }} person a provider-side team member works with and reports to
    **Lead or support** ¦ Whether a role leads part of the program or supports those who do
    **PMO** ¦ Program Management Office: {{ 'the ' ~ titles.organization if stage.lifecycle == 'm3' else
      'the ' ~ agency.short_name ~ ' project office that runs the phase' }}
    **SME** ¦ Subject matter expert: support staff whose specialty the program relies on
    [if stage.lifecycle == 'hhsdc_mo'] **M&O** ¦ Maintenance and Operations: running and changing a system in
      production
    [if people|selectattr('role', 'equalto', 'ccb_member')|list] **Change Control Board** ¦ The body that reviews and
      approves changes to the system
    [if people|selectattr('role', 'equalto', 'qa_ivv')|list or (existing_plans is defined and existing_plans.qa_ivv is
      defined)] **IV&V** ¦ Independent verification and validation: review of the work by a party independent of those
      doing it
    ]]
    """,
    )
    return doc
