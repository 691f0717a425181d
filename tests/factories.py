"""A complete, publishable record for tests that need one."""

from __future__ import annotations

from typing import Any


def publishable_values(**overrides: Any) -> dict[str, Any]:
    values = {
        "title": "Pothole report triage",
        "summary": "Sorts reports of potholes by how urgent the repair is.",
        "policy_area": "economic_affairs",
        "status": "in_use",
        "in_use_from": "2024-05",
        "contact_email": "highways@northshire.example",
        "purpose": "Reports arrive faster than inspectors can read them.",
        "benefits": "Dangerous potholes are repaired sooner.",
        "decision_role": "recommends",
        "techniques": ["classical_ml", "computer_vision"],
        "built_by": "in_house",
        "uses_personal_data": False,
        "risk_level": "low",
        "oversight_model": "human_in_the_loop",
        "oversight_description": "An inspector checks every ranking before work is ordered.",
        "appeal_process": "Anyone can ask the highways team to look at a report again.",
    }
    values.update(overrides)
    return values
