"""The Quality Assurance Surveillance Plan template, in the markup of ``markup.md``."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from markup import md, new_document

CUSTOMER_PMS = "people|selectattr('role', 'equalto', 'program_manager')|selectattr('party', 'equalto', 'customer')"


def build() -> DocxDocument:
    doc = new_document(cover_page=True, title="Quality Assurance Surveillance Plan")
    md(
        doc,
        """
    # 1. Purpose
    This Quality Assurance Surveillance Plan (QASP) sets out how {{ agency.short_name }} monitors the performance of
      **{{ contractor.mo.name }}**{{ ' under ' ~ contractor.mo.contract_number if contractor.mo.contract_number is
      defined else '' }} during the {{ titles.phase }} phase of {{ system.name }} ({{ system.acronym }}): what is
      measured, the standard expected, how and how often it is checked, who on the customer side is responsible,
      and what happens when performance falls short.
    Surveillance makes the customer's oversight systematic and the provider's obligations visible. It checks
      results; how the provider achieves them remains the provider's to decide.
    # 2. Roles
    %if {CUSTOMER_PMS}|list
    - **Surveillance lead:** {% for p in {CUSTOMER_PMS} %}{{ p.name }}, {{ p.title }}{{ '; ' if not loop.last }}{%
      endfor %}, accountable for surveillance as a whole and for acting on its results.
    %else
    - **Surveillance lead:** not named yet; the customer program manager, once named, takes this role.
    %endif
    - **Measure leads:** the customer person named against each measure in section 3 collects the evidence, judges it
      against the standard and records the result.
    [if contractor.mo.manager is defined] - **Provider counterpart:** {{ contractor.mo.manager }}{{ ', ' ~
      person[contractor.mo.manager].title if contractor.mo.manager in person else '' }}, who receives the results
      and answers for corrective action.
    - **Contracting officer or agreement manager:** to be named; receives the surveillance results and decides any
      remedy under the agreement.
    # 3. Performance Measures
    Each measure below is watched by the customer person responsible, by the method and at the frequency shown:
    [[ 1.1 2.0 1.5 0.75 1.15 size=9
    Measure ¦ Performance standard ¦ Surveillance method ¦ Frequency ¦ Customer lead
    [for s in surveillance] **{{ s.measure }}** ¦ {{ s.standard }} ¦ {{ s.method }} ¦ {{ s.frequency }} ¦
      {% if s.responsible %}**{{ s.responsible }}** // {{ s.title }}{% else %}To be named{% endif %}
    ]]
    [if surveillance|rejectattr('responsible')|list] No customer person holds the role that leads {{
      surveillance|rejectattr('responsible')|map(attribute='measure')|join(', ') }}; the surveillance lead assigns
      {{ 'it' if surveillance|rejectattr('responsible')|list|length == 1 else 'them' }} before the first review.
    The measures follow from the agreement and the program's plans. Service levels agreed later in the phase are
      added to this table as they are signed.
    # 4. Surveillance Methods
    - **Review of provider reports.** Status, expenditure, staffing and service reports are checked against their
      sources, not taken at face value.
    - **Sampling.** Where a measure covers many items (tickets, tasks, invoices), a sample is traced end to end; a
      failed sample widens the check.
    - **Inspection.** Deliverables and records are inspected against their acceptance criteria.
    - **User feedback.** Complaints and compliments about the provider's service are logged and confirmed before
      they count.
    # 5. Acceptable Performance and Corrective Action
    Performance is acceptable when it meets the standard of the measure. When it does not:
    + The measure lead records the shortfall with its evidence and tells the provider counterpart in writing.
    + The provider answers with a corrective action plan within ten business days, unless the agreement sets
      another period.
    + The measure lead checks the correction at the next surveillance of that measure and closes the record when
      the standard is met again.
    + A shortfall repeated, or not corrected, goes to the program managers and then to the executive sponsors.
    [if @CHANGED(escalation)] **Escalation since acquisition:** @NOTE(escalation)
    # 6. Records and Reporting
    - Every surveillance result is recorded, met or not, with the evidence it rests on.
    - The surveillance lead reports the results to both program managers every month, and to governance when a
      measure is repeatedly missed.
    - The measures themselves are reviewed each quarter, and when the agreement changes, so that they still measure
      what matters.
    # 7. Approval
    Signed by the program managers:
    @SIGN(PMS)
    """.replace("{CUSTOMER_PMS}", CUSTOMER_PMS),
    )
    return doc
