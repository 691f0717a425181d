"""Wording for the repeating rows of demo entries: risks, impact assessments, data sources.

Blanks are the same as in `wording.py`.
"""

from __future__ import annotations

# For each risk category: (name, description, mitigation) the organisation might record.
RISKS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "bias_discrimination": (
        (
            "Unequal accuracy for some groups",
            "The tool may be less accurate for some groups of people, so they could be "
            "treated less favourably.",
            "We compare accuracy across groups every {period} and review the tool if the gap "
            "grows beyond an agreed limit.",
        ),
        (
            "Bias learned from past decisions",
            "The tool learns from past {subject}, which may reflect past unfairness.",
            "Features that stand in for protected characteristics were removed, and outcomes "
            "are monitored by group.",
        ),
    ),
    "privacy_data_protection": (
        (
            "Personal data seen by people who do not need it",
            "Personal details in {subject} could be seen by people who do not need them.",
            "Access is limited to named {staff}; data is encrypted and access is logged.",
        ),
        (
            "Data kept too long",
            "Copies of {subject} held by the tool could be kept longer than our retention "
            "schedule allows.",
            "Automatic deletion runs every night and is checked in the annual audit.",
        ),
    ),
    "accuracy_reliability": (
        (
            "Wrong output not spotted",
            "The tool could get one of the {subject} wrong, and a busy member of staff might "
            "not notice.",
            "Staff can change any output, and a sample of outputs is checked every week.",
        ),
        (
            "Performance drifting over time",
            "Accuracy may fall as {subject} change over time, for example with the seasons "
            "or after a change in how they are recorded.",
            "Accuracy is measured every {period}; the tool is retrained or paused if it drops.",
        ),
    ),
    "security": (
        (
            "Attack on the tool or its data",
            "Someone could try to get into the tool or its data, or trick it into producing "
            "misleading outputs.",
            "The tool passed an IT health check, runs in a secure environment and is patched "
            "every month.",
        ),
        (
            "Supplier access to systems",
            "The supplier's support staff can reach the system.",
            "Supplier access is logged, time-limited and approved case by case.",
        ),
    ),
    "transparency": (
        (
            "People not knowing the tool is used",
            "People affected may not know the tool is used, or what part it plays.",
            "This entry, our privacy notice and our letters explain the tool's role in plain "
            "English.",
        ),
        (
            "Outputs hard to explain",
            "Staff may not be able to explain why the tool gave a particular output.",
            "The tool shows the main reasons for each output, and staff are trained to explain "
            "them.",
        ),
    ),
    "accountability": (
        (
            "Over-reliance on the tool",
            "Busy {staff} may accept the tool's output without checking it.",
            "Managers review how often staff change outputs; a rate near zero triggers a review.",
        ),
        (
            "Unclear responsibility for errors",
            "It may be unclear who is responsible when the tool gets something wrong.",
            "The {owner} is accountable for the tool, and responsibilities are written into "
            "the service's procedures.",
        ),
    ),
    "human_rights": (
        (
            "Interference with private life",
            "Using personal data in this way interferes with people's right to respect for "
            "private and family life.",
            "The use was assessed as necessary and proportionate, and only the data needed is "
            "used.",
        ),
        (
            "Delay in getting help",
            "A wrong output could delay someone getting help or a service they are entitled to.",
            "No one is refused anything because of the tool alone; a person decides.",
        ),
    ),
    "environment": (
        (
            "Energy use",
            "Running and retraining the model uses electricity and data-centre capacity.",
            "The tool runs in a data centre powered by renewable energy and is retrained only "
            "when needed.",
        ),
        (
            "Hardware waste",
            "Devices and sensors used by the tool will need replacing.",
            "Devices are reused or recycled through our approved contractor.",
        ),
    ),
    "other": (
        (
            "Dependence on one supplier",
            "If {maker} stopped supporting the tool, the service would have to go back to the "
            "manual process.",
            "A tested fallback process is in place and the contract includes an exit plan.",
        ),
        (
            "Loss of staff skills",
            "Staff may lose the skills needed to do the work without the tool.",
            "Staff handle a share of cases without the tool each month.",
        ),
    ),
}

# The accuracy risk of tools that generate text.
GENERATED_TEXT_RISK = (
    "Made-up or misleading content",
    "Generated text can contain statements that sound right but are not.",
    "A person reads and corrects every output before it is used or sent.",
)

# For each kind of impact assessment: (title, summary) pairs.
ASSESSMENTS: dict[str, tuple[tuple[str, str], ...]] = {
    "data_protection": (
        (
            "Data protection impact assessment",
            "Assessed the lawful basis, data minimisation, security and retention of the data "
            "used. Approved by the Data Protection Officer, with all actions completed.",
        ),
        (
            "Data protection impact assessment (updated)",
            "Updated after a change of supplier. No new high risks were found.",
        ),
    ),
    "equality": (
        (
            "Equality impact assessment",
            "Looked at the effect on people with protected characteristics. No unlawful "
            "discrimination was found; outcomes are monitored by age, sex and ethnicity.",
        ),
        (
            "Equality and inclusion impact assessment",
            "Identified that some people may find the service harder to use because of the "
            "tool, and added another way to get help.",
        ),
    ),
    "fundamental_rights": (
        (
            "Fundamental rights impact assessment",
            "Considered privacy, non-discrimination, good administration and the right to an "
            "effective remedy, as Article 27 of the EU AI Act describes.",
        ),
    ),
    "algorithmic": (
        (
            "Algorithmic impact assessment",
            "A structured review of the tool's purpose, data, accuracy and oversight, reviewed "
            "by our data ethics panel.",
        ),
        (
            "Algorithmic transparency and risk review",
            "Reviewed how the tool's outputs are explained to {staff} and to the public.",
        ),
    ),
    "other": (
        ("Security risk assessment", "Assessed threats to the tool and its data before use."),
        (
            "Children's rights impact assessment",
            "Considered the effect on children's rights and how children can be heard.",
        ),
    ),
}

# An "other" assessment that health bodies carry out.
CLINICAL_SAFETY = ("Clinical safety case", "Clinical risk assessment under the DCB0160 standard.")

# Data sources many tools have besides their own.
COMMON_SOURCES = (
    ("Staff corrections", "Changes staff make to the tool's outputs, used to check it.", False),
    ("Test set", "Past {subject} checked by experienced {staff}, used to test the tool.", True),
)

COLLECTION = (
    "Given to us by people when they use the service, online or by phone.",
    "Recorded by {staff} as part of their work.",
    "Received from another public body under a data-sharing agreement.",
    "Collected automatically by our systems.",
)
COLLECTION_OPEN = (
    "Published open data.",
    "Collected automatically by sensors and devices we own.",
    "Produced by our own teams from operational records.",
)

SHARING = (
    "Only {staff} and the {team} can see the data. It is not shared outside {org} and is kept "
    "for {keep} years.",
    "Held in the UK by {maker} under contract, and deleted after {keep} years.",
    "Access is limited by role and logged. Data is kept for {keep} years, then deleted.",
)
SHARING_OPEN = (
    "Open data, available to anyone under the Open Government Licence.",
    "Shared with partner organisations without restriction.",
)

CHANGE_NOTES = {
    "pilot_ended": "The pilot ended and the tool is now in use across the service.",
    "risk_added": "Added a risk found at the annual review, with its mitigation.",
    "assessment_added": "Added an impact assessment that is now complete.",
    "scale_updated": "Updated the figures on scale after a year of use.",
    "contact_changed": "Changed the public contact address.",
}
