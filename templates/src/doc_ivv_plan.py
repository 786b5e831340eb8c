"""The Independent Verification and Validation Plan template, in the markup of ``markup.md``."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from markup import md, new_document

SPONSORS = "people|selectattr('role', 'equalto', 'executive_sponsor')"
# "executive sponsor" or "executive sponsors", as many as are named (plural when none is named yet).
SPONSOR_WORD = "executive sponsor{{ '' if {SPONSORS}|list|length == 1 else 's' }}"
# The plan review's decision on the customer's QA and IV&V plan, as the end of a sentence.
VERB = (
    "{{ {'Create': 'is to be written', 'Update': 'is to be updated', 'Review': 'is to be reviewed'}.get(r.action, "
    "'needs no change') }}"
)
QA_IVV = "plan_register|selectattr('id', 'equalto', 'qa_ivv')"


def build() -> DocxDocument:
    doc = new_document(cover_page=True, title="Independent Verification and Validation Plan")
    md(
        doc,
        """
    # 1. Purpose
    Independent verification and validation (IV&V) gives the sponsors of {{ system.name }} ({{ system.acronym }}) a
      view of the program that does not depend on the people delivering it. Verification asks whether the program's
      plans, processes and products are built as agreed; validation asks whether they meet the business need. Both
      aim to find risks early enough to act on them.
    This plan reviews the customer's IV&V arrangements against the provider's delivery by {{ contractor.mo.name }}
      and sets the scope of IV&V, its independence, what it does and when, how it reports, and how its findings are
      resolved.
    ## 1.1 The Existing Customer Plan
    %if existing_plans is defined and existing_plans.qa_ivv is defined
    The customer's QA and IV&V Plan is owned by {{ existing_plans.qa_ivv.owner }}{{ ', last updated ' ~
      existing_plans.qa_ivv.last_updated|longdate if existing_plans.qa_ivv.last_updated is defined else ''
      }}{{ ', and kept at ' ~ existing_plans.qa_ivv.location if existing_plans.qa_ivv.location is defined else ''
      }}. This plan takes its place for the phase once approved.
    [for r in {QA_IVV}] The plan review decided that it @VERB, because:
    [for x in {QA_IVV}|map(attribute='reasons')|first|default(())] - {{ x[:1]|upper }}{{ x[1:]|trim('.') }}.
    %else
    No customer IV&V plan is on record; this plan is the first.
    %endif
    # 2. IV&V Lead and Independence
    %if ivv_leads
    [for p in ivv_leads] IV&V is led by **{{ p.name }}**, {{ p.title }}, {{ p.organization }}.{%
      if p.party == 'customer' %} The lead works for the customer, not for {{ contractor.mo.name }}, whose
      delivery IV&V assesses.{% endif %}
    [for p in ivv_leads if p.party != 'customer'] **Independence gap:** {{ p.name }} is recorded on the {{
      party_label[p.party]|lower }} side. IV&V must not report to the organization whose work it assesses: the
      @SPONSOR_WORD must either confirm in writing how {{ p.name }} is kept apart from the provider's delivery, or
      name a lead independent of {{ contractor.mo.name }}, before {{ phase.exit|longdate }}.
    %else
    **Gap:** no IV&V lead is named for the phase. {% if {SPONSORS}|list %}The Executive Sponsor ({{
      {SPONSORS}|map(attribute='name')|join(' and ') }}){% else %}The Executive Sponsor{% endif %} appoints one,
      independent of {{ contractor.mo.name }}, before {{ phase.exit|longdate }}. Until then the program managers
      cannot rely on an independent view of the phase's readiness decisions.
    %endif
    Independence is kept in three ways:
    - **Technical.** IV&V staff do not design, build or test what they assess, and choose their own methods and
      samples.
    - **Managerial.** The lead reports to the @SPONSOR_WORD, not to the program office whose work is reviewed;
      findings are not edited by those they concern.
    - **Financial.** IV&V is funded and contracted by the customer, separately from the provider's agreement.
    # 3. Scope
    IV&V looks at the program's scope for the phase:
    [for s in phase.scope] - {{ s }}
    Within it, these areas are verified and validated:
    [[ 2.0 4.5
    Area ¦ What IV&V checks
    **Program management** ¦ The Program Management Plan is followed; status reports and the {{ titles.schedule }}
      match the work actually done.
    **Schedule and milestones** ¦ Each milestone's entry criteria are met before it is declared{{ ' (' ~
      milestones|length ~ ' milestone' ~ ('s' if milestones|length != 1 else '') ~ ' in the ' ~ titles.schedule ~ ')'
      if milestones else '' }}.
    **Risks and issues** ¦ Risks are identified, rated and mitigated{{ '; ' ~ risk_rows|length ~ ' risk' ~ ('s are' if
      risk_rows|length != 1 else ' is') ~ ' in the ' ~ titles.risk_register if risk_rows else '' }}.
    **Provider plans and deliverables** ¦ Plans and deliverables of {{ contractor.mo.name }} are complete, follow the
      program's standards and are accepted on evidence.
    [if 'qasp' in made] **Quality surveillance** ¦ The customer's surveillance of the provider is carried out as
      planned and acts on its results.
    **Testing and readiness** ¦ Test results support each readiness decision; open defects and their risks are
      known to those who decide.
    ]]
    # 4. Activities and Timing
    - IV&V attends the weekly status meeting as an observer and reviews the {{ titles.schedule }} each month.
    - A written IV&V report goes to the @SPONSOR_WORD and the program managers every month.
    %if milestones
    Before each milestone IV&V gives an assessment of readiness:
    [[ 0.7 2.9 1.0 1.9 align=lllc keep
    WBS ¦ Milestone ¦ Date ¦ IV&V assessment due
    [for m in milestones] {{ m.wbs }} ¦ **{{ m.name }}** ¦ {{ m.finish|shortdate }} ¦ Five business days before
    ]]
    %endif
    # 5. Reporting Structure
    IV&V reports to the @SPONSOR_WORD{% if {SPONSORS}|list %} ({{ {SPONSORS}|map(attribute='name')|join(' and ')
      }}){% endif %}, with copies to both program managers. A finding that puts a milestone, the budget or the
      business at risk is reported to them at once, not held for the monthly report. IV&V findings are an item of
      the governance meetings, so that they are decided where the program is governed.
    [if @CHANGED(escalation)] **Recorded change to escalation:** @NOTE(escalation)
    # 6. Findings and Their Resolution
    + IV&V records each finding, with its evidence and a rating, in the program's risks, actions, issues and
      decisions log.
    + The program managers assign an owner, who answers with a corrective action and a date.
    + IV&V verifies the action on evidence and closes the finding; a finding left open past its date is escalated.
    To complete: the number of business days within which the program answers a finding.
    # 7. Risks Under Watch
    %if risk_rows
    IV&V follows these risks in particular, the highest first:
    [[ 0.6 3.3 0.8 1.8 align=lll keep
    ID ¦ Risk ¦ Rating ¦ Owner
    [for r in risk_rows] {{ r.id }} ¦ {{ r.title }} ¦ {{ r.rating }} ¦ {{ r.owner }}
    ]]
    %else
    No risks are recorded yet; IV&V reviews the first risk assessment of the phase.
    %endif
    # 8. Approval
    Signed by the program's leadership:
    @SIGN(LEADERS)
    """.replace("@SPONSOR_WORD", SPONSOR_WORD)
        .replace("@VERB", VERB)
        .replace("{QA_IVV}", QA_IVV)
        .replace("{SPONSORS}", SPONSORS),
    )
    return doc
