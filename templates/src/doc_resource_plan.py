"""The resource plan template: its wording and layout, in the markup of ``markup.md``."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from markup import md, new_document, raci


def build() -> DocxDocument:
    doc = new_document(cover_page=True, title="Resource Management Plan")
    md(
        doc,
        """
    # 1. Purpose
    This Resource Management Plan records how {{ system.acronym }} is staffed during the {{ titles.phase }} phase:
      the roles and the people who hold them, how each activity is shared between the customer and the
      {{ titles.provider }} ({{ contractor.mo.name }}), the customer-facing duties the project needs, and where
      staffing or skills fall short. The customer and provider program managers approve it, and it is revised
      whenever a role changes hands.
    # 2. Roles and Responsibilities
    Each role is held by the people listed; a person changing role or leaving is an update to this plan:
    [[ 1.5 1.3 1.6 1.3 0.8
    Role ¦ Name ¦ Title ¦ Organization ¦ Party
    [for r in roles][for p in r.people] **{{ r.label }}** ¦ {{ p.name }} ¦ {{ p.title }} ¦ {{ p.organization }} ¦
      {{ party_label[p.party] }}
    ]]
    [if @CHANGED(staffing)] **Change since acquisition:** @NOTE(staffing)
    # 3. RACI Matrix
    The matrix assigns each activity of the phase to the roles that carry it out. The lead party shows whether the
      customer, the provider or both together drive the activity:
    """,
    )
    raci(doc)
    md(
        doc,
        """
    **R** Responsible: does the work. **A** Accountable: answers for the result and signs it off; one per
      activity. **C** Consulted: gives input before the work is done. **I** Informed: told of the outcome. The
      columns stand for:
    [for c in raci.columns] - **{{ c.key }}**: {{ c.label }} ({{ c.names }})
    # 4. Customer Liaison and Support Roles
    %if role_needs is defined or people|selectattr('role', 'in', @LIAISONS)|list
    The customer-facing roles below keep users informed and coordinate support with the provider. An X shows
      whether the project needs each duty; a duty with no mark has not been assessed yet.
    %for t in role_tables
    ## 4.{{ loop.index }} {{ t.role }}
    > {{ t.summary }}
    Role holder: **{{ t.holder }}**. The duties, and whether the project needs each:
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
    # 5. Staffing
    ## 5.1 Positions
    %if staffing is defined and staffing.positions is defined and staffing.positions
    Positions needed for the phase and how many are filled:
    [[ 1.7 0.8 0.7 0.7 0.6 2.0 align=llcccl keep
    Position ¦ Party ¦ Needed ¦ Filled ¦ Gap ¦ Key skills
    [for p in staffing.positions] {{ p.title }} ¦ {{ party_label[p.party] }} ¦ {{ p.needed }} ¦ {{ p.filled }} ¦
      {{ p.needed - p.filled if p.needed > p.filled else 0 }} ¦ {{ p.get('skills', '') }}
    = Total ¦ ¦ {{ staffing_totals.needed }} ¦ {{ staffing_totals.filled }} ¦ {{ staffing_totals.gap }} ¦
    ]]
    %else
    No positions have been recorded yet; the staffing review of the phase must list them.
    %endif
    ## 5.2 Skill Gaps
    %if staffing is defined and staffing.skill_gaps is defined and staffing.skill_gaps
    Skills that are missing and how each gap will be closed:
    [[ 2.0 0.9 1.3 2.3 keep
    Skill ¦ Action ¦ Due ¦ Note
    [for g in staffing.skill_gaps] {{ g.skill }} ¦ {{ g.action|capitalize }} ¦ {{ g.due|longdate if g.due is
      defined else 'not set' }} ¦ {{ g.get('note', '') }}
    ]]
    %else
    No skill gaps were identified.
    %endif
    ## 5.3 Customer Support Group
    %if staffing is defined and staffing.customer_support_group is defined
    A customer support group is in place: **{{ staffing.customer_support_group|yesno }}**.
      {{ 'It works with the Customer Services Manager on user questions and training.'
      if staffing.customer_support_group else 'Until one is formed, the Executive Customer Liaison carries user
      concerns to the project.' }}
    %else
    Whether a customer support group exists has not been recorded yet.
    %endif
    # 6. Approvals
    The customer and provider program managers approve this plan:
    @SIGN(PMS)
    """,
    )
    return doc
