"""The Program Charter template: its wording and layout, in the markup of ``markup.md``.

Written for a migration program whose customer agency and provider integrate their program management
offices (GSA M3 Playbook, key task 3.1, with the governance and monitoring tasks 3.2 and 3.3 beside
it): purpose and objectives, scope, the two organizations and their responsibilities, governance and
decision rights, the integrated PMO, milestones, funding and reporting, risks, assumptions and
constraints, approvals. Every participant is listed in the Resource Management Plan.
"""

from __future__ import annotations

from docx.document import Document as DocxDocument
from markup import md, new_document

LEADS = "('executive_sponsor', 'business_owner', 'program_manager', 'pmo_lead')"
# The people of one side (SIDE) in role k, as "Name, Title"; "not yet named" when there are none, except that
# the business owner is the customer's role alone, so an empty provider cell is a dash, not a gap to fill.
SIDE = (
    "{{% set who = people|selectattr('role', 'equalto', k)|selectattr('party', 'equalto', '{0}')|list %}}"
    "{{% for p in who %}}**{{{{ p.name }}}}**, {{{{ p.title }}}}{{{{ '; ' if not loop.last else '' }}}}{{% endfor %}}"
    "{{{{ ('—' if '{0}' == 'provider' and k == 'business_owner' else 'not yet named') if not who else '' }}}}"
)
# Key task 3.1's activities, each with its lead party.
ACTIVITIES = (
    ("Onboard the provider PMO", "Provider"),
    ("Keep this charter current with the program's scope and timeline", "Shared"),
    ("Agree the PMO's role and the shared responsibilities of customer and provider", "Shared"),
    ("Document roles and responsibilities in the RACI chart and the Resource Management Plan", "Shared"),
    ("Review the customer's IV&V plan and update it as needed", "Shared"),
    (
        "Establish the Program Management Plan, for schedule, scope, risk, contracts, cost, communications and quality",
        "Shared",
    ),
    ("Develop the Quality Assurance Surveillance Plan (QASP) to monitor delivery and service metrics", "Customer"),
    ("Agree the Integrated Master Schedule and refine it through the phase", "Shared"),
    ("Manage the schedule by the agreed procedures and keep key stakeholders informed", "Shared"),
)
AMOUNT = (
    "{{ '$' ~ funding.total|thousands if funding.unit == 'dollars' else funding.total|thousands ~ ' provider hours' }}"
)


def _activities() -> str:
    return "\n    ".join(f"{text} ¦ {party}" for text, party in ACTIVITIES)


def build() -> DocxDocument:
    doc = new_document(cover_page=True, title="Program Charter")
    md(
        doc,
        f"""
    # 1. Purpose and Objectives
    This {{{{ doc.title }}}} sets the purpose, objectives and scope of the {{{{ system.name }}}}
      ({{{{ system.acronym }}}}) program as the customer agency, {{{{ agency.name }}}}, and the provider,
      {{{{ contractor.mo.name }}}}, integrate their program management offices. It names the leaders of both
      organizations and what each is responsible for, the decision rights and escalation path, the milestones,
      the funding and its reporting, and the risks, assumptions and constraints of the program. It is updated
      whenever the program's scope or timeline changes, and the plans of the program are expected to agree with it.
    ## 1.1 Background
    {{{{ system.description }}}}
    [[ 2.0 4.5 keep
    Item ¦ Detail
    **Program** ¦ {{{{ system.name }}}} ({{{{ system.acronym }}}})
    **Customer agency** ¦ {{{{ agency.name }}}}{{{{ ', ' ~ agency.division if agency.division is defined and
      agency.division else '' }}}}
    **Provider** ¦ {{{{ contractor.mo.name }}}}
    [if contractor.mo.contract_number is defined] **Provider agreement** ¦ {{{{ contractor.mo.contract_number }}}}
    [if system.users is defined and system.users] **Users** ¦ {{{{ system.users }}}}
    **Phase** ¦ {{{{ titles.phase }}}}: {{{{ phase.start|longdate }}}} to {{{{ phase.exit|longdate }}}}
    ]]
    ## 1.2 Vision
    {{{{ phase.vision }}}}
    ## 1.3 Objectives
    To be met by the end of the phase on {{{{ phase.exit|longdate }}}}:
    [for s in phase.short_term_plan] - {{{{ s }}}}
    For the program as a whole:
    [for s in phase.long_term_plan] - {{{{ s }}}}
    # 2. Scope
    ## 2.1 In Scope
    [for s in phase.scope] - {{{{ s }}}}
    ## 2.2 Out of Scope
    %if phase.out_of_scope is defined and phase.out_of_scope
    [for s in phase.out_of_scope] - {{{{ s }}}}
    %else
    No exclusions have been recorded.
    %endif
    Work not listed in section 2.1 needs an approved change request.
    # 3. Customer and Provider Organizations
    The customer agency, {{{{ agency.name }}}}, owns the program's objectives, funding and acceptance and oversees
      the provider's delivery. The provider, {{{{ contractor.mo.name }}}}, delivers the migration and the service and
      reports progress and expenditure to the customer.
    ## 3.1 Responsibilities
    The responsibilities of integrating the two program management offices, each with its lead party:
    [[ 5.0 1.5 keep
    Responsibility ¦ Lead party
    {_activities()}
    ]]
    [if people] For all participants, with their roles and the RACI chart of who
      does what, see the Resource Management Plan, section 5.
    # 4. Governance and Decision Rights
    ## 4.1 Leadership
    The leaders of each side, who decide for their organization:
    [[ 1.5 2.5 2.5 keep
    Role ¦ Customer ¦ Provider
    [for k in role_label if k in {LEADS}] **{{{{ role_label[k] }}}}** ¦ {SIDE.format("customer")} ¦
      {SIDE.format("provider")}
    ]]
    ## 4.2 Decision Rights and Escalation
    Decisions are taken at the lowest level able to take them. An issue that the program managers cannot settle
      between them, or that is important or contentious, goes to the executive sponsors. Changes to the program's
      scope, schedule or requirements are raised as change requests, recorded in the change request log and decided
      by the program managers, or by the executive sponsors beyond the program managers' authority.
    [if changes_since_acquisition is defined and changes_since_acquisition.decision_makers is defined and
      changes_since_acquisition.decision_makers.changed and changes_since_acquisition.decision_makers.note is defined]
      **Decision rights:** {{{{ changes_since_acquisition.decision_makers.note }}}}
    [if changes_since_acquisition is defined and changes_since_acquisition.escalation is defined and
      changes_since_acquisition.escalation.changed and changes_since_acquisition.escalation.note is defined]
      **Escalation:** {{{{ changes_since_acquisition.escalation.note }}}}
    The governance bodies, their voting members and the escalation thresholds for schedule, cost and scope belong
      in the integrated Governance Plan, whose review is recorded in the Plan Review Register.
    # 5. Integrated Program Management Office
    The customer and provider PMOs work as one office, with one schedule, one log of risks, actions, issues and
      decisions, and one status report.
    %set pmo = people|selectattr('role', 'in', ('pmo_lead', 'qa_ivv'))|list
    %if pmo
    [for p in pmo] - **{{{{ p.name }}}}**, {{{{ p.title }}}}, {{{{ p.organization }}}}, leads {{{{ 'the ' ~
      party_label[p.party]|lower ~ ' PMO' if p.role == 'pmo_lead' else 'independent verification and validation for
      the ' ~ party_label[p.party]|lower }}}}.
    %endif
    %set lead_sides = people|selectattr('role', 'equalto', 'pmo_lead')|map(attribute='party')|list
    %if not lead_sides
    No PMO lead has been named yet; each side names one.
    %elif 'customer' not in lead_sides or 'provider' not in lead_sides
    The {{{{ 'provider' if 'customer' in lead_sides else 'customer' }}}} has not named a PMO lead yet.
    %endif
    %set team = people|selectattr('role', 'equalto', 'pmo_team')|list
    [if team] A PMO team supports the office; its members are listed in the Resource Management Plan.
    The office:
    - keeps the {{{{ titles.schedule }}}}, updated weekly with activities, dates, durations and dependencies;
    - keeps the joint log of risks, actions, issues and decisions, reviewed with every work stream about every two
      weeks;
    - runs change control for schedule, scope and requirements changes;
    - keeps one list of action items for customer and provider;
    - issues the status reports described in section 7.
    # 6. Schedule and Milestones
    The phase runs from {{{{ phase.start|longdate }}}} to {{{{ phase.exit|longdate }}}}{{{{ '; it opens with the
      launch meeting on ' ~ launch_meeting.date|longdate if launch_meeting is defined else '' }}}}.
    %if milestones
    [[ 0.8 3.2 1.3 1.2 align=lllc keep
    WBS ¦ Milestone ¦ Owner ¦ Date
    [for m in milestones] {{{{ m.wbs }}}} ¦ {{{{ m.name }}}} ¦ {{{{ m.owner or 'to be assigned' }}}} ¦
      {{{{ m.finish|longdate }}}}
    ]]
    %else
    No milestones have been set yet; the program managers set them when the schedule is baselined.
    %endif
    %if timeline.count
    The same milestones month by month, from the start of the phase to its exit:
    !timeline 1
    %endif
    [if schedule] Every task, with its owner and dates, is in the {{{{ titles.schedule }}}}.
    # 7. Funding and Reporting
    %if funding.total
    {AMOUNT} {{{{ 'is' if funding.unit == 'dollars' else 'are' }}}} authorized under the provider
      agreement{{{{ ' ' ~ contractor.mo.contract_number if contractor.mo.contract_number is defined else '' }}}}{{{{
      ' for ' ~ contractor.funding.fiscal_year if contractor.funding.fiscal_year is defined else '' }}}}{{{{
      '; source: ' ~ contractor.funding.source if contractor.funding.source is defined else '' }}}}.
    %else
    The authorized funding has not been recorded yet.
    %endif
    [if contractor.mo.start is defined and contractor.mo.end is defined] The agreement runs from
      {{{{ contractor.mo.start|longdate }}}} to {{{{ contractor.mo.end|longdate }}}}.
    The provider reports the {{{{ funding.unit }}}} spent to date against the authorization at a cadence the two
      sides agree, and the PMO includes the figures in the status report.
    Status reports cover schedule, issues, risks and expenditure. They go to the executive
      sponsors{{{{ ', to key stakeholders and, as needed, to OMB' if agency.level == 'federal' else ' and to key
      stakeholders' }}}}.
    # 8. Risks
    ## 8.1 Program Risks
    %if risk_rows
    Each risk of the program, rated by likelihood and impact:
    [[ 0.55 2.05 1.0 1.2 1.7 size=9 keep
    ID ¦ Risk ¦ Rating (likelihood / impact) ¦ Owner ¦ Mitigation
    [for r in risk_rows] {{{{ r.id }}}} ¦ {{{{ r.title }}}} ¦ **{{{{ r.rating }}}}** ({{{{ r.likelihood }}}} /
      {{{{ r.impact }}}}) ¦ {{{{ r.owner }}}} ¦ {{{{ r.mitigation }}}}
    ]]
    %else
    No risks have been recorded yet; the joint risk assessment is due before {{{{ phase.exit|longdate }}}}.
    %endif
    ## 8.2 Common Integration Risks
    The practices the GSA M3 Playbook recommends for integrating two PMOs give the starting list for the joint risk
      assessment: each risk below is what follows when a practice is not kept. A risk is addressed when a risk in
      section 8.1 names it:
    [[ 5.0 1.5 size=9
    Risk ¦ Addressed by
    for g in starting_risks
    = {{{{ g.group }}}} ¦
    [for r in g.risks] {{{{ r.text }}}} ¦ {{{{ r.covered_by if r.covered else 'Not yet assessed' }}}}
    endfor
    ]]
    %set open_risks = starting_risks|map(attribute='risks')|sum(start=[])|rejectattr('covered')|list
    [if open_risks] The joint risk assessment should consider the risks not yet assessed, with an owner for each,
      before {{{{ phase.exit|longdate }}}}.
    # 9. Assumptions and Constraints
    ## 9.1 Assumptions
    - The leaders named in section 4.1 can commit their organizations to the decisions this charter gives them.
    - Customer and provider keep the same key personnel throughout the program.
    - The customer's subject matter experts take part in the Fit-Gap sessions, their participation set down in a
      memorandum of understanding.
    ## 9.2 Constraints
    - The phase ends on {{{{ phase.exit|longdate }}}}.
    - Work is limited to the scope of section 2 and the funding of section 7.
    [if contractor.mo.end is defined] - The provider agreement ends on {{{{ contractor.mo.end|longdate }}}}.
    # 10. Approvals
    By signing, the undersigned agree to the purpose, scope, responsibilities, decision rights, funding and reporting
      set out in this charter:
    %if roles|selectattr('key', 'in', @LEADERS)|list
    @SIGN(LEADERS)
    %else
    No executive sponsor, business owner or program manager has been named yet to sign this charter.
    %endif
    """,
    )
    return doc
