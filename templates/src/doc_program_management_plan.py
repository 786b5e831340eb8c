"""The Program Management Plan template: its wording and layout, in the markup of ``markup.md``."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from markup import md, new_document

# The authorized amount in words a program office uses, whichever way the phase is funded.
AMOUNT = (
    "{{ '$' ~ funding.total|thousands if funding.unit == 'dollars' "
    "else funding.total|thousands ~ ' contractor hours' }}"
)
# What the plan review decided for an existing plan (r, a row of the register), as the end of a sentence.
ACTION = (
    "{{ {'Create': 'is to be written', 'Update': 'is to be updated', 'Review': 'is to be reviewed'}.get(r.action, "
    "'needs no change') }} in this phase"
)
# "Title, organization" of a person named in the answers.
TITLE = "{{ p.title }}, {{ p.organization }}"
SPONSORS = "people|selectattr('role', 'equalto', 'executive_sponsor')|list"
# "executive sponsor" or "executive sponsors", as many as are named (plural when none is named yet).
SPONSOR_WORD = "executive sponsor{{ '' if (@SPONSORS)|length == 1 else 's' }}"


def build() -> DocxDocument:
    doc = new_document(cover_page=True, title="Program Management Plan")
    md(
        doc,
        """
    # 1. Purpose
    This Program Management Plan sets out how {{ agency.short_name }} and {{ contractor.mo.name }} manage
      {{ system.name }} ({{ system.acronym }}) together during the {{ titles.phase }} phase: scope, schedule, risk,
      acquisition, cost, communications and quality. It is one plan for both program offices, so that customer and
      provider work to the same baseline, use the same terms and report the same figures.
    The {{ titles.charter }} sets the program's vision and scope. The Resource Management Plan names the people in
      each role and holds the RACI chart of customer and provider responsibilities; this plan refers to them and
      does not repeat them.
    %if people|selectattr('role', 'equalto', 'program_manager')|list
    The plan is approved, and changed, by the program managers: {% for p in people|selectattr('role', 'equalto',
      'program_manager') %}**{{ p.name }}** ({@TITLE}){{ '; ' if not loop.last }}{% endfor %}.{% if
      people|selectattr('role', 'equalto', 'pmo_lead')|list %} It is maintained by the PMO {{ 'leads' if
      people|selectattr('role', 'equalto', 'pmo_lead')|list|length > 1 else 'lead' }}, {{ people|selectattr('role',
      'equalto', 'pmo_lead')|map(attribute='name')|join(' and ') }}.{% endif %}
    %else
    No program manager is named yet; the Executive Sponsor names the customer and provider program managers, who
      approve this plan.
    %endif
    # 2. Scope Management
    > **Vision.** {{ phase.vision }}
    The program's scope in this phase:
    [for s in phase.scope] - {{ s }}
    %if phase.out_of_scope is defined and phase.out_of_scope
    Outside the scope:
    [for s in phase.out_of_scope] - {{ s }}
    %endif
    A change to scope, schedule or cost is raised as a change request, assessed for its effect on the other two and
      on risk, and decided by the program managers; a change beyond their authority goes to the @SPONSOR_WORD.
      Change requests are reviewed weekly, so that schedule updates and their downstream effects are
      understood before they are accepted.
    [if @CHANGED(decision_makers)] **Recorded change:** @NOTE(decision_makers)
    # 3. Schedule Management
    The {{ titles.schedule }} holds every activity of the phase, from {{ phase.start|longdate }} to
      {{ phase.exit|longdate }}, with its owner and responsible party. Activity owners update activities, dates,
      durations and dependencies every week; the PMO publishes the updated schedule{{ ' and keeps OMB and key
      stakeholders informed of changes to the baseline' if agency.level == 'federal' else ' and tells key
      stakeholders of changes to the baseline' }}.
    %if milestones
    The milestones the program is measured against:
    [[ 0.8 3.3 1.4 1.0 align=lllc keep
    WBS ¦ Milestone ¦ Owner ¦ Date
    [for m in milestones] {{ m.wbs }} ¦ **{{ m.name }}** ¦ {{ m.owner }} ¦ {{ m.finish|shortdate }}
    ]]
    %else
    No milestone is set in the schedule yet; the program managers agree the phase's milestones when the schedule
      is baselined.
    %endif
    # 4. Risk Management
    %if risk_rows
    Risks are kept in the {{ titles.risk_register }}, reviewed at every status meeting and reported to governance
      when their rating rises. The register holds {{ 'one risk' if risk_rows|length == 1 else risk_rows|length ~ '
      risks, the highest first' }}:
    [[ 0.5 2.2 0.7 1.1 2.0 align=lllll size=9
    ID ¦ Risk ¦ Rating ¦ Owner ¦ Mitigation
    [for r in risk_rows] {{ r.id }} ¦ {{ r.title }} ¦ {{ r.rating }} ¦ {{ r.owner }} ¦ {{ r.mitigation }}
    ]]
    %else
    No risks are recorded yet. A joint risk assessment opens the {{ titles.risk_register }} in the first weeks of
      the phase.
    %endif
    [for r in plan_register if r.id == 'risk_management'] The Risk Management Plan (owner: {{ r.owner }}) sets how
      risks are identified, rated, mitigated and escalated; it @ACTION.
    # 5. Acquisition and Contract Management
    The provider is **{{ contractor.mo.name }}**{{ ', under ' ~ contractor.mo.contract_number if
      contractor.mo.contract_number is defined else '' }}{{ ', from ' ~ contractor.mo.start|longdate if
      contractor.mo.start is defined else '' }}{{ ' to ' ~ contractor.mo.end|longdate if contractor.mo.end is defined
      else '' }}{{ '; its manager for this work is ' ~ contractor.mo.manager if contractor.mo.manager is defined else
      '' }}.
    [if contractor.development is defined] {{ contractor.development.name }} is the contractor of the system the
      program replaces{{ ' (' ~ contractor.development.contract_number ~ ')' if
      contractor.development.contract_number is defined else '' }}{{ ', to ' ~ contractor.development.end|longdate
      if contractor.development.end is defined else '' }}.
    Customer and provider roles and responsibilities must be set down in written agreements. The provider's
      performance against the agreement is watched {{ 'through the Quality Assurance Surveillance Plan' if 'qasp' in
      made else 'against the measures the agreement sets' }}.
    [for r in plan_register if r.id == 'contract_management'] The Contract Management Plan (owner: {{ r.owner }})
      @ACTION; the Plan Review Register gives the reasons.
    # 6. Cost Management
    The phase is funded with @AMOUNT{{ ' for ' ~ contractor.funding.fiscal_year if contractor.funding.fiscal_year
      is defined else '' }}{{ '; source: ' ~ contractor.funding.source if contractor.funding.source is defined else
      '' }}. Costs are managed against this budget: the provider reports expenditure to date every month, and the
      customer program manager reconciles it with invoices and authorized work before the status meeting.
    %if funding.cycles
    The funding is allocated as follows:
    [[ 2.3 1.4 1.4 1.4 align=lllr keep
    Release ¦ Start ¦ Finish ¦ Allocated
    [for c in funding.cycles] {{ c.name }} ¦ {{ c.start|longdate }} ¦ {{ c.finish|longdate }} ¦ {{ c.amount_text }}
    = Allocated ¦ ¦ ¦ {{ funding.allocated_text }}
    = Not yet allocated ¦ ¦ ¦ {{ funding.unallocated_text }}
    ]]
    %endif
    [if funding.unallocated < 0] **Attention:** the allocations exceed the funding; reduce them or request more.
    # 7. Communications and Stakeholder Management
    [for r in plan_register if r.id == 'communications'] The Communications Plan (owner: {{ r.owner }}) sets the
      audiences, channels and timing of program communications; it @ACTION. Beyond it:
    - **Status.** A weekly status meeting of both program offices tracks milestones, issues, risks and decisions; a
      status report goes to the @SPONSOR_WORD after it.
    - **Executive briefings.** Leadership and oversight bodies are briefed at each milestone and whenever an issue
      is escalated.
    - **Shared terms.** Customer and provider agree the terms they use for phases, deliverables and decisions early
      on, and keep them in one glossary.
    [if launch_meeting is defined] - **Launch.** The phase opens with the launch meeting on
      {{ launch_meeting.date|longdate }} ({{ launch_meeting.location }}).
    [if launch_meeting is not defined and stage.opening_meeting] - **Launch.** The phase opens with a joint kickoff
      of both program offices; its date and place are still to be set.
    [if @CHANGED(stakeholders)] **Recorded change:** @NOTE(stakeholders)
    # 8. Quality Management
    Quality is assured in two ways. The customer watches the provider's delivery against agreed measures, each with
      a customer person responsible{{ ', in the Quality Assurance Surveillance Plan' if 'qasp' in made else '' }}; an
      independent assessment of the program as a whole is set out in the Independent Verification and Validation
      Plan.
    [if ivv_leads] IV&V is led by {{ ivv_leads|map(attribute='name')|join(' and ') }}{% for r in plan_register if
      r.id == 'qa_ivv' %}{% if r.owner in ivv_leads|map(attribute='name')|list %}, who owns the QA and IV&V Plan; it
      @ACTION{% else %}. The QA and IV&V Plan (owner: {{ r.owner }}) @ACTION{% endif %}{% endfor %}.
    [if not ivv_leads] No IV&V lead is named yet; the IV&V Plan records the gap and when it is closed.{% for r in
      plan_register if r.id == 'qa_ivv' %} The QA and IV&V Plan (owner: {{ r.owner }}) @ACTION.{% endfor %}
    # 9. Governance and Escalation
    Decisions the program managers cannot take go to the @SPONSOR_WORD{% if @SPONSORS %} ({{
      @SPONSORS|map(attribute='name')|join(' and ') }}){% endif %}, who decide{{ 's' if (@SPONSORS)|length == 1 else ''
      }} through the governance structure both program offices sit in.
    [if @CHANGED(escalation)] **Recorded change to escalation:** @NOTE(escalation)
    [for r in plan_register if r.id == 'governance'] The Governance Plan (owner: {{ r.owner }}) records the
      governance structure and decision makers; it @ACTION.
    # 10. Keeping the Plan Current
    The PMO updates this plan when a significant change occurs (a baseline change, a new provider role, a change
      in funding) and reviews it in full before the phase closes on {{ phase.exit|longdate }}.
    # 11. Approval
    Signed by the program managers:
    @SIGN(PMS)
    """.replace("@AMOUNT", AMOUNT)
        .replace("@ACTION", ACTION)
        .replace("{@TITLE}", TITLE)
        .replace("@SPONSOR_WORD", SPONSOR_WORD)
        .replace("@SPONSORS", SPONSORS),
    )
    return doc
