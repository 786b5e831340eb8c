"""The charter template: its wording and layout, in the markup of ``markup.md``."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from markup import md, new_document


def build() -> DocxDocument:
    doc = new_document(cover_page=True, title="Charter")
    md(
        doc,
        """
    # 1. Purpose and Vision
    This {{ doc.title }} sets the direction for {{ system.name }} ({{ system.acronym }}) during the
      {{ titles.phase }} phase. It states what the system must achieve, which work is included and which is not,
      who takes part and who decides, how changes are controlled and how the authorized funding is divided among
      releases. Every plan revised during the phase is expected to agree with it.
    ## 1.1 Vision
    {{ phase.vision }}
    # 2. Background
    {{ system.description }}
    [[ 2.0 4.5 keep
    Item ¦ Detail
    **System** ¦ {{ system.name }} ({{ system.acronym }})
    **Owning agency** ¦ {{ agency.name }}
    [if system.go_live is defined] **In production since** ¦ {{ system.go_live|longdate }}
    [if system.users is defined and system.users] **Users** ¦ {{ system.users }}
    **Phase** ¦ {{ titles.phase }}: {{ phase.start|longdate }} to {{ phase.exit|longdate }}
    [if phase.mo_start is defined] **M&O service begins** ¦ {{ phase.mo_start|longdate }}
    **{{ titles.provider }}** ¦ {{ contractor.mo.name }}{{ ', contract ' ~ contractor.mo.contract_number
      if contractor.mo.contract_number is defined else '' }}
    [if contractor.development is defined] **Development contractor** ¦ {{ contractor.development.name }}
    ]]
    %if contractor_changed
    Responsibility for the system passes from {{ contractor.development.name }} to {{ contractor.mo.name }}.
      Knowledge transfer, acceptance of the inherited documentation and the reassignment of plan roles are
      therefore priorities of this phase.
    %elif contractor.development is defined
    {{ contractor.development.name }} built the system and stays on under the new arrangement. The main challenge
      is to move the team from a development footing to steady, service-level-driven operations.
    %endif
    # 3. Scope
    ## 3.1 In Scope
    [for s in phase.scope] - {{ s }}
    ## 3.2 Out of Scope
    %if phase.out_of_scope is defined and phase.out_of_scope
    [for s in phase.out_of_scope] - {{ s }}
    %else
    No exclusions have been recorded. Work not listed in section 3.1 needs an approved change request.
    %endif
    # 4. Plan for the Phase
    ## 4.1 Short-Term Plan
    To be achieved by the end of the phase on {{ phase.exit|longdate }}:
    [for s in phase.short_term_plan] - {{ s }}
    ## 4.2 Long-Term Plan
    Goals that guide decisions beyond this phase:
    [for s in phase.long_term_plan] - {{ s }}
    # 5. Participants
    The people below take part in the phase, each shown with the party they represent:
    [[ 1.3 1.6 1.4 1.4 0.8
    Name ¦ Title ¦ Organization ¦ Role ¦ Party
    [for p in people] **{{ p.name }}** ¦ {{ p.title }} ¦ {{ p.organization }} ¦ {{ role_label[p.role] }} ¦
      {{ party_label[p.party] }}
    ]]
    # 6. Governance and Decision Makers
    ## 6.1 Leadership
    The Executive Sponsor owns the vision and the funding, the Business Owner speaks for the program and its users,
      and the Program Managers run the phase day to day and escalate what they cannot resolve:
    %if roles|selectattr('key', 'in', @LEADERS)|list
    [[ 1.6 1.5 2.0 1.4 keep
    Role ¦ Name ¦ Title ¦ Organization
    [for r in roles if r.key in @LEADERS][for p in r.people] {{ r.label }} ¦ **{{ p.name }}** ¦ {{ p.title }} ¦
      {{ p.organization }}
    ]]
    %else
    No executive sponsor, business owner or program manager has been named yet; they must be named before this
      charter can be approved.
    %endif
    ## 6.2 Authorized Decision Makers
    %if change_methods|selectattr('defined')|list
    One person is authorized to approve each type of change, including new block-cycle releases and emergency
      fixes:
    [[ 3.0 3.5 keep
    Type of change to approve ¦ Authorized decision maker
    [for c in change_methods if c.defined] {{ c.type }} ¦ {{ c.approver or 'not yet named' }}
    ]]
    %else
    No one has been authorized yet to approve any type of change; the Governance Plan must name them.
    %endif
    [if @CHANGED(decision_makers)] **Change since acquisition:** @NOTE(decision_makers)
    %if @CHANGED(escalation)
    **Escalation:** the escalation process changed since acquisition. @NOTE(escalation)
    %else
    **Escalation:** the escalation process and roles of the acquisition phase are re-affirmed in the Governance
      Plan.
    %endif
    # 7. Change Control
    Every defect and enhancement is logged, analyzed, decided and tracked to release under the Change Control
      Process. Approved requests become candidates for the next block cycle, depending on the effort and funding
      they need.{% if phase.kind == 'mo_pre_initiation' %} Now that the system is in production, users have a
      larger voice on the board than during its acquisition.{% endif %}
    ## 7.1 Change Control Board
    %if people|selectattr('role', 'equalto', 'ccb_member')|list
    [for p in people if p.role == 'ccb_member'] - **{{ p.name }}**, {{ p.title }}, {{ p.organization }}
    %else
    No Change Control Board members have been named yet.
    %endif
    ## 7.2 Handling of Each Type of Change
    [[ 1.9 3.2 1.4 keep
    Type of change ¦ Handling method ¦ Approver
    [for c in change_methods] **{{ c.type }}** ¦ {{ c.method if c.defined else 'No method defined yet' }} ¦
      {{ c.approver if c.defined and c.approver else '—' }}
    ]]
    [if change_methods|rejectattr('defined')|list] A handling method is still missing for
      {{ change_methods|rejectattr('defined')|list|length }} of the {{ change_methods|length }} types of change;
      the Change Control Board agrees them before {{ phase.exit|longdate }}.
    # 8. Funding and Block Cycles
    The phase is funded with {{ funding.text }}{{ '; source: ' ~ contractor.funding.source if
      contractor.funding.source is defined else '' }}. Hours or dollars are tracked for every change and every
      block cycle, so that the remaining authorization is always known.
    %if contractor.block_cycles is defined and contractor.block_cycles
    The authorization is allocated to block cycles as follows:
    [[ 2.3 1.4 1.4 1.4 align=lccr keep
    Block cycle / release ¦ Start ¦ Finish ¦ Allocated {{ funding.unit }}
    [for c in contractor.block_cycles] {{ c.name }} ¦ {{ c.start|longdate }} ¦ {{ c.finish|longdate }} ¦ @AMOUNT
    = Allocated to block cycles ¦ ¦ ¦ @TOTAL(allocated)
    = Not yet allocated ¦ ¦ ¦ @TOTAL(unallocated)
    ]]
    %else
    No block cycles have been scheduled yet; the whole authorization remains unallocated.
    %endif
    [if funding.unallocated < 0] **Attention:** the block cycles exceed the authorization; reduce them or request
      more funding.
    # 9. Approvals
    By signing, the undersigned agree to the vision, scope, participants, decision rights and change control
      arrangements set out in this charter:
    @SIGN(LEADERS)
    """,
    )
    return doc
