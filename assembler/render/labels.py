"""The wording documents share: role and party names, the seed's role duties, the operational processes.

Data, kept apart from the code that lays it out (``context``).
"""

from __future__ import annotations

ROLE_LABELS = {
    "executive_sponsor": "Executive Sponsor",
    "business_owner": "Business Owner",
    "program_manager": "Program Manager",
    "pmo_lead": "PMO Lead",
    "pmo_team": "PMO Team",
    "executive_customer_liaison": "Executive Customer Liaison",
    "customer_services_manager": "Customer Services Manager",
    "ccb_member": "Change Control Board Member",
    "help_desk": "Help Desk",
    "security_officer": "Information Security Officer",
    "qa_ivv": "QA / IV&V",
    "stakeholder": "Stakeholder",
}
PARTY_LABELS = {"customer": "Customer", "provider": "Provider", "shared": "Shared"}
# Roles whose holders act as one body, under the body's name (one RACI column for all of them).
BODY_LABELS = {"ccb_member": "Change Control Board", "pmo_team": "PMO Team"}
# The seed's role tables: each duty and whether the project needs it (answers.role_needs).
ROLE_DUTIES = {
    "executive_customer_liaison": (
        "Ensures the customer is kept informed and involved; the focal point for user and customer "
        "questions and concerns, coordinating activities between the project and the customer.",
        [
            ("stakeholder_communication", "Assist in stakeholder communication and issue resolution"),
            ("represent_user_interests", "Represent user interests to the project"),
            ("communicate_goals", "Communicate high-level project goals to users"),
            ("planning_meetings", "Participate in planning and management meetings"),
        ],
    ),
    "customer_services_manager": (
        "Coordinates all customer support issues and efforts with the provider and project staff, "
        "wherever the system's users work.",
        [
            ("training_and_communication", "Manage user training and communication areas"),
            ("monitor_contractor_services", "Monitor the provider's customer services"),
            ("coordinate_service_issues", "Coordinate customer service issues with the system's users"),
            ("customer_communications", "Manage customer communications"),
            ("customer_service_tasks", "Perform customer service tasks"),
        ],
    ),
}
PROCESSES = (
    ("backup_recovery", "Backup and recovery"),
    ("business_continuity", "Business continuity and recovery"),
    ("batch_processing", "Batch processes and batch processing timelines"),
    ("performance_monitoring", "Performance monitoring and metrics collection"),
    ("performance_modeling", "Performance modeling and analysis"),
    ("equipment_maintenance", "Equipment maintenance processes and schedule"),
)
LEVEL_SCORE = {"High": 3, "Medium": 2, "Low": 1}
