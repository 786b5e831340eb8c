"""The M&O Plan template: its wording and layout, in the markup of ``markup.md``."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from markup import md, new_document


def build() -> DocxDocument:
    doc = new_document(cover_page=True, title="M&O Plan")
    md(
        doc,
        """
    # 1. Purpose
    The Master Project Plan that guided the acquisition of {{ system.name }} ({{ system.acronym }}) is updated here
      and becomes the M&O Plan: how maintenance and operations of the system are managed, tracked and controlled
      {{ 'from ' ~ phase.mo_start|longdate if phase.mo_start is defined else 'after this phase' }} until the system
      is replaced or retired. It follows the M&O strategy agreed during acquisition and the {{ titles.charter }},
      which sets the vision and scope. Who holds each role, with contact details and the RACI chart of
      responsibilities, is in the Resource Management Plan and is not repeated here.
    [if system.go_live is defined and system.go_live <= doc.date] {{ system.acronym }} has been in production since
      {{ system.go_live|longdate }}{{ ' and serves ' ~ system.users if system.users is defined and system.users }}.
    ## 1.1 Scope
    Maintenance and operations under this plan cover:
    [for s in phase.scope] - {{ s }}
    %if phase.out_of_scope is defined and phase.out_of_scope
    Outside the scope of this plan:
    [for s in phase.out_of_scope] - {{ s }}
    %endif
    # 2. M&O Responsibilities
    **{{ contractor.mo.name }}** is the {{ titles.provider }}{{ ' under contract ' ~ contractor.mo.contract_number
      if contractor.mo.contract_number is defined }}{{ ', from ' ~ contractor.mo.start|longdate if
      contractor.mo.start is defined }}{{ ' to ' ~ contractor.mo.end|longdate if contractor.mo.end is defined
      }}{{ ', with ' ~ contractor.mo.manager ~ ' as its manager for this work' if contractor.mo.manager is defined
      }}. The M&O work is divided between {{ agency.short_name }} and the contractor as follows:
    [[ 2.3 4.2
    Area of M&O work ¦ Responsible
    [for r in mo_responsibilities] **{{ r.area }}** ¦ {{ r.who }}
    ]]
    # 3. Transition Activities
    %if contractor_changed
    Responsibility for the system passes from **{{ contractor.development.name }}**, the development
      contractor{{ ', whose contract ends ' ~ contractor.development.end|longdate if contractor.development.end is
      defined }}, to **{{ contractor.mo.name }}**. Each hand-over of a duty is agreed by both contractors and
      {{ agency.short_name }}, and the outgoing contractor answers for it until the hand-over is signed off.
    %elif contractor.development is defined
    {{ contractor.mo.name }} built the system and stays on for M&O, so no hand-over between contractors is needed.
      The transition is one of mindset: from delivering the system to operating it against agreed service levels,
      with every change released through change control and block cycles.
    %else
    {{ contractor.mo.name }} carries out M&O; no development contractor is recorded for the hand-over.
    %endif
    %if milestones
    The transition is tracked in the {{ titles.schedule }}. Its milestones:
    [[ 0.7 2.9 1.6 1.3 align=lllc keep
    WBS ¦ Milestone ¦ Owner ¦ Date
    [for m in milestones] {{ m.wbs }} ¦ **{{ m.name }}** ¦ {{ m.owner or 'to be assigned' }} ¦
      {{ m.finish|longdate }}
    ]]
    %endif
    # 4. Knowledge Transfer
    %if knowledge_transfer.found
    Knowledge transfer is task {{ knowledge_transfer.wbs }} of the {{ titles.schedule }}, "{{ knowledge_transfer.name
      }}"{{ ', led by ' ~ knowledge_transfer.owner if knowledge_transfer.owner }}, from {{
      knowledge_transfer.start|longdate }} to {{ knowledge_transfer.finish|longdate }}: about {{
      knowledge_transfer.months }} months.
    %if knowledge_transfer.fit == 'short'
    That is shorter than the 6 to 12 months generally recommended, the time it takes staff to see a complete year's
      processing with its peaks, quiet periods and year-end work. To make up for it:
    - every peak and year-end procedure is walked through with the people who ran it during development before
      the task ends, and written into the operations procedures;
    - M&O staff carry out each procedure once under observation, and sign that they can run it alone;
    - the first occurrence of each peak and of year-end processing after the task ends is reviewed by the PMO as a
      risk, with the knowledge-transfer owner on call.
    %elif knowledge_transfer.fit == 'within'
    That falls within the 6 to 12 months generally recommended, so staff will see a complete year's processing,
      with its peaks and year-end work, before they run the system alone.
    %else
    That is longer than the 6 to 12 months generally recommended; the length is confirmed against the work still to
      be learned at each status review.
    %endif
    %elif contractor_changed
    The {{ titles.schedule }} holds no knowledge transfer task yet, although {{ contractor.mo.name }} takes over
      from {{ contractor.development.name }}. A task of 6 to 12 months is added where the contracts allow, so that
      M&O staff experience a complete year's processing, including peaks and year-end work, before the outgoing
      contractor leaves.
    %else
    No hand-over between contractors takes place, so the {{ titles.schedule }} plans no contractor knowledge
      transfer. The risk is the reverse: knowledge stays with the contractor. {{ agency.short_name }} staff shadow
      releases and operations so that the agency can direct the work, and so that a later change of contractor
      does not start from nothing.
    %endif
    # 5. Training
    %if staffing is defined and staffing.skill_gaps is defined and staffing.skill_gaps
    Skills missing for M&O, and how each gap is closed:
    [[ 2.2 0.9 1.2 2.2 keep
    Skill ¦ Action ¦ Due ¦ Note
    [for g in staffing.skill_gaps] **{{ g.skill }}** ¦ {{ g.action|capitalize }} ¦ {{ g.due|longdate if g.due is
      defined else 'not set' }} ¦ {{ g.get('note', '') }}
    ]]
    %endif
    %if role_needs is defined and role_needs.customer_services_manager is defined and
      role_needs.customer_services_manager.training_and_communication and people|selectattr('role', 'equalto',
      'customer_services_manager')|list
    User training is managed by the Customer Services Manager, {% for p in people|selectattr('role', 'equalto',
      'customer_services_manager') %}{{ p.name }}{{ ', ' if not loop.last }}{% endfor %}, with the
      {{ titles.provider }} providing the material for each release.
    %endif
    On-the-job training and mentoring are part of every release: the people who will support a change take part in
      building and testing it.
    To complete: the user classes, how many people need training in each, and the kind of training each needs.
    # 6. Change Control
    Change control runs throughout M&O, so that every defect and enhancement is reviewed, analyzed, tracked and
      put in place in a controlled way. Approved change requests become candidates for the next block cycle,
      depending on the time and resources each needs.
    [if people|selectattr('role', 'equalto', 'ccb_member')|list] The Change Control Board: {% for p in
      people|selectattr('role', 'equalto', 'ccb_member') %}{{ p.name }} ({{ p.organization }}){{ ', ' if not
      loop.last }}{% endfor %}.
    Each type of change is handled as follows:
    [[ 1.6 3.2 1.7
    Type of change ¦ How it is handled ¦ Approved by
    [for c in change_methods] **{{ c.type }}** ¦ {{ c.method if c.defined else 'No method agreed yet' }} ¦
      {{ c.approver }}{{ ', ' ~ person[c.approver].title if c.approver in person else '' }}
    ]]
    [if change_methods|rejectattr('defined')|list] No method is agreed yet for {{
      change_methods|rejectattr('defined')|map(attribute='type')|join(', ') }}; the Change Control Board agrees one
      for each before {{ phase.exit|longdate }}.
    [if @CHANGED(decision_makers)] **Change since acquisition:** @NOTE(decision_makers)
    # 7. Block Cycles and Funding
    M&O is funded with {{ funding.text }}{{ '; source: ' ~ contractor.funding.source if contractor.funding.source
      is defined }}. The {{ funding.unit }} allocated to and spent on each change and each block cycle are tracked
      and reported at every status review.
    %if funding.cycles
    The authorization is allocated to block cycles as follows:
    [[ 2.3 1.4 1.4 1.4 align=lllr keep
    Block cycle / release ¦ Start ¦ Finish ¦ Allocated
    [for c in funding.cycles] {{ c.name }} ¦ {{ c.start|longdate }} ¦ {{ c.finish|longdate }} ¦ {{ c.amount_text }}
    = Allocated to block cycles ¦ ¦ ¦ {{ funding.allocated_text }}
    = Not yet allocated ¦ ¦ ¦ {{ funding.unallocated_text }}
    ]]
    %else
    No block cycles are scheduled yet; the whole authorization remains unallocated.
    %endif
    [if funding.unallocated < 0] **Attention:** the block cycles exceed the authorization; reduce them or request
      more funding.
    Funding for large requests, or for more Project Office resources, is requested {{ 'through the IAPD/IAPDU and
      budget change proposal processes' if agency.level == 'state' else 'through the agency budget process' }}.
    # 8. Day-to-Day Operations
    > Day-to-day operations rest on the processes below. Problems found in operation go to the help desk (section 10)
      and are resolved through its escalation path.
    [[ 1.75 0.8 1.55 2.4 align=lc keep
    Process ¦ In place ¦ Owner ¦ Notes
    [for p in processes] {{ p.label }} ¦ {{ p.in_place|yesno if p.given else 'Not reported' }} ¦
      {{ p.owner or '—' }} ¦ {{ p.note }}
    ]]
    [if processes|rejectattr('in_place')|list] Not in place or not reported: {{
      processes|rejectattr('in_place')|map(attribute='label')|join('; ') }}. Each is to be established and verified
      before {{ phase.exit|longdate }}.
    # 9. Maintenance
    Corrective, adaptive and perfective maintenance is carried out by {{ contractor.mo.name }} and delivered in the
      block cycles of section 7; an emergency fix follows the emergency route of section 6.
    %if operations is defined and operations.equipment_maintenance is defined
    Equipment is maintained under the equipment maintenance process and schedule of section 8{{ ', which is not
      yet in place' if not operations.equipment_maintenance.in_place }}.
    %endif
    Users are told of planned maintenance in advance by {{ 'the Customer Services Manager' if
      people|selectattr('role', 'equalto', 'customer_services_manager')|list else 'the help desk' }}, and of the
      result when the work is done.
    To complete: the notice users receive before planned maintenance.
    # 10. Help Desk Procedures
    %if help_desk is defined
    [[ 2.0 4.5 keep
    Item ¦ Arrangement
    [if help_desk.operated_by is defined] **Operated by** ¦ {{ help_desk_operator }}
    [if help_desk.hours is defined] **Available** ¦ {{ help_desk.hours }}
    [if help_desk.response_time is defined] **Response time** ¦ {{ help_desk.response_time }}
    ]]
    %if help_desk.escalation is defined and help_desk.escalation
    A problem that cannot be solved at one level moves to the next within the time shown:
    [[ 2.2 2.6 1.7 keep
    Escalation level ¦ Contact ¦ Escalate within
    [for e in help_desk.escalation] {{ loop.index }}. {{ e.level }} ¦ **{{ e.contact }}**{{ ', ' ~
      person[e.contact].title if e.contact in person else '' }} ¦ {{ e.get('within', '') }}
    ]]
    A problem is closed by the level that solved it, once the user who reported it confirms the fix; the
      {{ 'Customer Services Manager' if people|selectattr('role', 'equalto', 'customer_services_manager')|list else
      'PMO' }} reviews closed and open problems every month.
    %else
    No escalation path is recorded yet for the help desk; one is to be agreed, from the first level of support up to
      the {{ agency.short_name }} decision maker, before {{ phase.exit|longdate }}.
    %endif
    %else
    The help desk arrangements have not been recorded: who operates it, its hours, the response times and the
      escalation path are agreed before {{ phase.exit|longdate }}.
    %endif
    # 11. Tracking and Control
    - **Schedule.** The {{ titles.schedule }} is updated weekly{{ '; its ' ~ milestones|length ~ ' milestone' ~
      ('s are' if milestones|length != 1 else ' is') ~ ' listed in section 3' if milestones }}.
    - **Status.** Progress, {{ funding.unit }} spent, open problems and risks are reviewed at a weekly status meeting
      led by the PMO, with the {{ titles.provider }}.
    - **Staffing.** {% if staffing_totals.needed %}{{ staffing_totals.filled }} of {{ staffing_totals.needed }}
      positions are filled{{ '; the ' ~ staffing_totals.gap ~ ' open position' ~ ('s are' if staffing_totals.gap
      != 1 else ' is') ~ ' tracked until filled' if staffing_totals.gap }}.{% else %}No positions are recorded
      yet.{% endif %}
    - **Issues, actions and documents.** M&O items are kept in their own area of the issue and action tracking,
      risk tracking and document management systems.
    %if risk_rows
    > Risks are managed under the Risk Management Plan and listed in the {{ titles.risk_register }}. {{ 'The
      highest-rated risks:' if risk_rows|length > 1 else 'The risk recorded so far:' }}
    [[ 0.6 3.4 0.8 1.7 align=lll keep
    ID ¦ Risk ¦ Rating ¦ Owner
    for r in risk_rows[:3]
    {{ r.id }} ¦ {{ r.title }} ¦ {{ r.rating }} ¦ {{ r.owner }}
    endfor
    ]]
    %endif
    [if plan_register|selectattr('action', 'in', ('Create', 'Update'))|list] Plans this phase creates or updates:
      {{ plan_register|selectattr('action', 'in', ('Create', 'Update'))|map(attribute='title')|join(', ') }}. The
      Plan Review Register gives the reason for each.
    # 12. Approval
    By signing, the undersigned approve this plan as the basis for managing the maintenance and operations of
      {{ system.acronym }}:
    @SIGN(LEADERS)
    """,
    )
    return doc
