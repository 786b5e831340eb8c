"""The values the management plans derive: knowledge transfer, milestones, surveillance, IV&V leads.

Pure: answers in, plain dicts out (``context.shared`` adds them). The M&O Plan, the Program
Management Plan, the IV&V Plan and the QASP read them; each fact a row states is computed here
from the answers that make it true, so a template never has to guess.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from assembler.answers import advice
from assembler.templating.sandbox import longdate

from .labels import PROCESSES

# The seed recommends 6 to 12 months of knowledge transfer: a full year's processing cycle. The
# shortest, and which tasks are knowledge transfer, are the warning's (advice.knowledge_transfer).
KT_MOST_MONTHS = 12
DAYS_PER_MONTH = 30.4375
# The answers each name below is computed from (context.DERIVED_FROM).
DERIVED_FROM: dict[str, tuple[str, ...]] = {
    "knowledge_transfer": ("schedule",),
    "help_desk_operator": ("help_desk.operated_by", "agency.short_name", "contractor.mo.name"),
    "milestones": ("schedule",),
    "ivv_leads": ("people",),
    "mo_responsibilities": ("people", "operations", "help_desk", "contractor.mo", "change_types"),
    "surveillance": (
        "people",
        "help_desk",
        "schedule",
        "contractor",
        "staffing.positions",
        "existing_plans",
        "risks",
        "operations",
    ),
}
# The fields of each name (context_fields.DERIVED), for `templates check`.
FIELDS: dict[str, Any] = {
    "knowledge_transfer": dict.fromkeys(["found", "wbs", "name", "owner", "start", "finish", "months", "fit"]),
    "help_desk_operator": None,
    "milestones": dict.fromkeys(["wbs", "name", "owner", "finish"]),
    "ivv_leads": "@people",
    "mo_responsibilities": dict.fromkeys(["area", "who"]),
    "surveillance": dict.fromkeys(["measure", "standard", "method", "frequency", "responsible", "title"]),
}


def build(common: Mapping[str, Any]) -> dict[str, Any]:
    """Every name of ``DERIVED_FROM``, from the answers and the shared values built before them."""
    by_role: dict[str, list[Mapping[str, Any]]] = {}
    for p in common.get("people") or []:
        by_role.setdefault(p["role"], []).append(p)
    plan_titles = {row["id"]: row["title"] for row in common["plan_register"]}
    schedule = sorted(common.get("schedule") or [], key=lambda t: tuple(int(n) for n in t["wbs"].split(".")))
    return {
        "knowledge_transfer": _knowledge_transfer(schedule),
        "help_desk_operator": _operator(common),
        "milestones": [
            {"wbs": t["wbs"], "name": t["name"], "owner": t.get("owner") or "", "finish": t.get("finish")}
            for t in schedule
            if t.get("milestone") and t.get("finish")
        ],
        "ivv_leads": list(by_role.get("qa_ivv") or []),
        "mo_responsibilities": _responsibilities(common, by_role),
        "surveillance": _surveillance(
            common, by_role, common["funding"], plan_titles, schedule, common["titles"]["schedule"]
        ),
    }


def _knowledge_transfer(schedule: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    rule = advice.knowledge_transfer()
    for t in schedule:
        if re.search(rule.match, t["name"]) and t.get("start") and t.get("finish"):
            days = (t["finish"] - t["start"]).days
            months = round(days / DAYS_PER_MONTH, 1)
            fit = "short" if days < rule.min_days else "long" if months > KT_MOST_MONTHS else "within"
            return {
                "found": True,
                "wbs": t["wbs"],
                "name": t["name"],
                "owner": t.get("owner") or "",
                "start": t["start"],
                "finish": t["finish"],
                "months": f"{months:g}",
                "fit": fit,
            }
    return {"found": False, "wbs": "", "name": "", "owner": "", "start": None, "finish": None, "months": "", "fit": ""}


def _operator(data: Mapping[str, Any]) -> str:
    """Who runs the help desk, by name: the agency, the provider, or both; empty when not said."""
    agency, provider = data["agency"]["short_name"], data["contractor"]["mo"]["name"]
    names = {"customer": agency, "provider": provider, "shared": f"{agency} and {provider}"}
    return names.get((data.get("help_desk") or {}).get("operated_by", ""), "")


def _names(people: Sequence[Mapping[str, Any]]) -> str:
    return ", ".join(p["name"] for p in people)


def _responsibilities(data: Mapping[str, Any], by_role: Mapping[str, list[Mapping[str, Any]]]) -> list[dict[str, str]]:
    """Who does what in M&O (the seed's M&O Strategy issues), only where the answers say who."""
    ops = data.get("operations") or {}
    contractor = data["contractor"]["mo"]
    approvers = sorted({c["approver"] for c in data.get("change_types") or [] if c.get("approver")})
    owners = sorted({o["owner"] for o in ops.values() if o and o.get("owner")})
    desk_people = _names(by_role.get("help_desk") or [])
    rows = [
        ("Change analysis and approval", _join("Change Control Board", _names(by_role.get("ccb_member") or []), True)),
        ("Approval of each type of change", ", ".join(approvers)),
        ("Maintenance, fixes and releases", contractor["name"]),
        ("Day-to-day operations", ", ".join(owners)),
        ("Equipment maintenance and its schedule", (ops.get("equipment_maintenance") or {}).get("owner", "")),
        ("Help desk", _join(_operator(data), desk_people)),
        ("Customer support and user training", _names(by_role.get("customer_services_manager") or [])),
        ("Customer liaison", _names(by_role.get("executive_customer_liaison") or [])),
        ("Information security", _names(by_role.get("security_officer") or [])),
        ("QA and IV&V", _names(by_role.get("qa_ivv") or [])),
    ]
    return [{"area": area, "who": who} for area, who in rows if who]


def _join(group: str, names: str, needs_names: bool = False) -> str:
    """``group (names)``; with ``needs_names``, nothing when no one is named."""
    if needs_names and not names:
        return ""
    return f"{group} ({names})" if group and names else group or names


def _customer(by_role: Mapping[str, list[Mapping[str, Any]]], *roles: str) -> Mapping[str, Any]:
    """The first customer person holding one of ``roles``, in that order of preference."""
    for role in roles:
        for p in by_role.get(role) or []:
            if p["party"] == "customer":
                return p
    return {}


def _surveillance(
    data: Mapping[str, Any],
    by_role: Mapping[str, list[Mapping[str, Any]]],
    funding: Mapping[str, Any],
    plan_titles: Mapping[str, str],
    schedule: Sequence[Mapping[str, Any]],
    schedule_title: str,
) -> list[dict[str, str]]:
    """The provider performance measures the customer watches, each made from the answers behind it."""
    people = data.get("people") or []
    provider_names = {p["name"] for p in people if p["party"] == "provider"}
    provider = data["contractor"]["mo"]["name"]
    provider_orgs = {p["organization"].lower() for p in people if p["party"] == "provider"}
    desk = data.get("help_desk") or {}
    service = ("customer_services_manager", "program_manager", "pmo_lead")
    delivery = ("pmo_lead", "program_manager")
    money = ("program_manager", "business_owner")
    quality = ("qa_ivv", "pmo_lead", "program_manager")
    rows: list[tuple[str, str, str, str, Mapping[str, Any]]] = []
    if desk.get("operated_by") not in ("provider", "shared"):
        desk = {}  # a help desk the customer runs is not the provider's performance
    if desk.get("response_time"):
        hours = f"; service hours {desk['hours']}" if desk.get("hours") else ""
        rows.append(
            (
                "Help desk response",
                f"{desk['response_time']}{hours}",
                "Monthly ticket report from the provider; a sample of tickets traced against the response times",
                "Monthly",
                _customer(by_role, *service),
            )
        )
    levels = desk.get("escalation") or []
    if levels:
        rows.append(
            (
                "Problem escalation and closure",
                f"Unresolved problems move up the {len(levels)} escalation levels within the times agreed, "
                "and are closed with the user's confirmation",
                "Review of every escalated problem and its closure record",
                "Monthly",
                _customer(by_role, *service),
            )
        )
    marks = [t for t in schedule if t.get("milestone") and t.get("finish")]
    if marks:
        listed = "; ".join(f"{t['name']}, {longdate(t['finish'])}" for t in marks)
        rows.append(
            (
                "Milestones met",
                f"Each milestone reached on its baseline date: {listed}",
                f"Comparison of the {schedule_title} with its baseline at the status meeting",
                "Weekly",
                _customer(by_role, *delivery),
            )
        )
    tasks = [t for t in schedule if t.get("owner") in provider_names and t.get("finish") and not t.get("milestone")]
    if tasks:
        listed = "; ".join(f"{t['name']} ({t['owner']}), {longdate(t['finish'])}" for t in tasks)
        rows.append(
            (
                "Provider tasks finished on time",
                f"Tasks led by provider staff finish by their planned dates: {listed}",
                "Status report review, with evidence that each task is complete",
                "Weekly",
                _customer(by_role, *delivery),
            )
        )
    cycles = funding.get("cycles") or []
    per_cycle = f", and each of the {len(cycles)} block cycles within its allocation" if cycles else ""
    given = data["contractor"]["funding"]
    amount = f"${funding['total']:,}" if funding["unit"] == "dollars" else f"{funding['total']:,} contractor hours"
    year = f" for {given['fiscal_year']}" if given.get("fiscal_year") else ""
    source = f" (source: {given['source']})" if given.get("source") else ""
    rows.append(
        (
            "Expenditure against funding",
            f"Spending stays within the {amount} authorized{year}{source}{per_cycle}",
            "Expenditure-to-date report from the provider, reconciled against invoices and authorized work",
            "Monthly",
            _customer(by_role, *money),
        )
    )
    positions = [p for p in (data.get("staffing") or {}).get("positions") or [] if p["party"] == "provider"]
    if positions:
        listed = "; ".join(f"{p['title']}: {p['needed']} needed, {p['filled']} filled" for p in positions)
        rows.append(
            (
                "Provider staffing",
                f"Every agreed position filled with qualified staff ({listed})",
                "Provider staffing report checked against the agreed staffing levels",
                "Monthly",
                _customer(by_role, *money),
            )
        )
    plans = [
        f"{plan_titles.get(k, k)} ({v['owner']})"
        for k, v in (data.get("existing_plans") or {}).items()
        if v and v.get("owner") in provider_names and v.get("in_use") is not False
    ]
    if plans:
        rows.append(
            (
                "Provider plans kept current",
                "Plans owned by provider staff are current and accepted by the customer: " + "; ".join(plans),
                "Document review at each update",
                "Quarterly",
                _customer(by_role, *quality),
            )
        )
    risks = [r for r in data.get("risks") or [] if r.get("owner") in provider_names]
    if risks:
        listed = "; ".join(f"{r['title']} ({r['owner']})" for r in risks)
        rows.append(
            (
                "Risk mitigation by the provider",
                f"Mitigation actions carried out as planned: {listed}",
                "Risk review at the status meeting",
                "Bi-weekly",
                _customer(by_role, *delivery),
            )
        )
    ops = data.get("operations") or {}
    run = [
        label
        for key, label in PROCESSES
        if (ops.get(key) or {}).get("in_place")
        and _is_provider((ops.get(key) or {}).get("owner", ""), provider, provider_orgs)
    ]
    if run:
        rows.append(
            (
                "Operational processes",
                "Carried out as documented: " + "; ".join(run),
                "Operations reports and spot checks of logs",
                "Monthly",
                _customer(by_role, "customer_services_manager", "program_manager"),
            )
        )
    return [
        {
            "measure": m,
            "standard": s,
            "method": how,
            "frequency": f,
            "responsible": who.get("name", ""),
            "title": who.get("title", ""),
        }
        for m, s, how, f, who in rows
    ]


def _is_provider(owner: str, provider: str, orgs: set[str]) -> bool:
    owner = owner.strip().lower()
    return bool(owner) and (provider.lower().startswith(owner) or owner in orgs)
