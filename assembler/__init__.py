"""assembler: from interview answers to a professional, deterministic deliverable package."""

__version__ = "0.1.0"
