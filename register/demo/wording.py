"""Shared wording for demo entries: suppliers and the text of the longer answers.

Templates name their blanks in braces; `entries.py` fills them from the use case and the
organisation: {org}, {title}, {subject}, {output}, {staff}, {Staff}, {team},
{owner}, {maker}, {Maker}, {email}, {ombudsman}, {year}, {years}, {period}, {months}, {agree},
{test_n}, {sample}, {error}, {rules}, {team_size} and {keep}.
"""

from __future__ import annotations

# Fictional suppliers by speciality. The numbers have the form of a company number but lie
# above the range yet issued, so they belong to no real company.
SUPPLIERS: dict[str, tuple[tuple[str, str], ...]] = {
    "speech": (
        ("Clearline Speech Technologies Ltd", "99104217"),
        ("Voxbridge Analytics Ltd", "99231876"),
        ("Talkwell Systems Ltd", "99318420"),
    ),
    "vision": (
        ("Sightline Imaging Ltd", "99402219"),
        ("Roadscan Vision Ltd", "99457731"),
        ("Pixelmoor Analytics Ltd", "99513064"),
    ),
    "language": (
        ("Quillbright Ltd", "99620458"),
        ("Parlance Labs Ltd", "99688102"),
        ("Lexica Public Services Ltd", "99714539"),
        ("Wordhoard AI Ltd", "99760281"),
        ("Sprachwerk Systeme GmbH", "HRB 186420"),
    ),
    "analytics": (
        ("Civic Insight Analytics Ltd", "99805517"),
        ("Brightfield Data Ltd", "99842306"),
        ("Stratum Risk Systems Ltd", "99871194"),
        ("Datalaan Analytics B.V.", "68750110"),
    ),
    "optimisation": (
        ("Routewise Software Ltd", "99902745"),
        ("Optima Civic Ltd", "99933018"),
    ),
    "forecasting": (
        ("Tidewater Forecasting Ltd", "99950482"),
        ("Foresight Modelling Ltd", "99967150"),
    ),
    "imaging": (
        ("Mediscan Diagnostics Ltd", "99120663"),
        ("Clarity Radiology AI Ltd", "99147825"),
    ),
    "clinical": (("Wardflow Clinical Systems Ltd", "99173390"),),
    "casework": (
        ("Keystone Case Systems Ltd", "99205914"),
        ("Ledgerline Software Ltd", "99266047"),
    ),
    "geospatial": (("Fieldview Earth Observation Ltd", "99290738"),),
}

# The register that gave each supplier's number: Companies House unless said here.
SUPPLIER_REGISTRIES: dict[str, str] = {
    "Sprachwerk Systeme GmbH": "other",
    "Datalaan Analytics B.V.": "nl_kvk",
}

# Each supplier's products: entries of the same kind of tool name the same product, so
# organisations that buy from the same supplier are seen to share it.
PRODUCTS: dict[str, tuple[str, ...]] = {
    name: (f"{name.split()[0]} {first}", f"{name.split()[0]} {second}")
    for (name, _), first, second in zip(
        (supplier for suppliers in SUPPLIERS.values() for supplier in suppliers),
        ("Assist", "Insight", "Triage", "Scan", "Route", "Forecast") * 5,
        ("Cloud", "Studio", "Connect", "Analyst", "Planner", "Review") * 5,
        strict=False,
    )
}


def product_of(supplier: str, subject: str) -> str:
    """The product of `supplier` an entry about `subject` uses: always the same one."""
    products = PRODUCTS[supplier]
    return products[len(subject) % len(products)]


IN_HOUSE_TEAMS = ("data science team", "digital team", "analytics team", "software team")
MAILBOXES = ("ai-register", "transparency", "data-protection", "digital", "feedback")

# Product-style names some organisations give their tools: "RoadSense: ...".
BRAND_STARTS = ("Clear", "Bright", "Civic", "True", "Swift", "Wise", "Open", "Fair", "Keen")
BRAND_ENDS = ("Path", "Sense", "Lens", "Scribe", "Assist", "Flow", "Guide", "Compass", "Link")

ALTERNATIVES = (
    "We considered carrying on as before, with {staff} doing the work by hand. With current "
    "staffing that could not keep up with demand.",
    "Recruiting more {staff} was considered. It would have cost more and still left the work "
    "done by hand, so we chose to try the tool alongside existing staff first.",
    "Simpler methods were tried first, such as fixed rules in the existing system, but they "
    "were much less accurate in testing than experienced {staff}.",
    "Not using a tool was compared with the tool during a pilot. The pilot showed clear "
    "benefits, and the {team} agreed the risks could be managed.",
    "We compared products from three suppliers and an in-house prototype against cost, "
    "accuracy on our own {subject}, accessibility and data protection.",
)

OUTPUT_ENDINGS = (
    " It is shown to {staff} in the case management system and is not sent to anyone else.",
    " Outputs are kept with the record so they can be checked later.",
    " The tool itself sends nothing to the people affected.",
    "",
)

PEOPLE_ENDINGS = (
    " Staff who use the tool are also affected, because it changes how their work is done.",
    " The tool does not contact anyone directly.",
    "",
)

SCALE_ENDINGS = (
    ". Use rises in winter and falls in August.",
    ". The figure has grown every year since the tool started.",
    ", across the whole area we serve.",
    ".",
)

# How the model is described, by the main technique of the tool.
MODELS: dict[str, tuple[str, ...]] = {
    "rule_based": (
        "A set of about {rules} rules written with {staff} and kept in a version-controlled "
        "decision table. It does not learn from data.",
        "Business rules configured in a product supplied by {maker}. Each rule is documented "
        "and signed off by the {owner}.",
    ),
    "classical_ml": (
        "A gradient-boosted decision tree model trained on {years} years of past {subject}, "
        "built by {maker}.",
        "A logistic regression model, chosen because the weight of each factor can be explained "
        "to {staff}. Trained on {years} years of data by {maker}.",
        "A random forest model retrained every {period} on recent {subject}, built by {maker}.",
    ),
    "deep_learning": (
        "A convolutional neural network trained on {test_n} labelled examples, supplied by "
        "{maker} and fine-tuned on our own data.",
        "A neural network model from {maker}, trained on data from several organisations and "
        "tested on our own {subject} before use.",
    ),
    "computer_vision": (
        "An image recognition model from {maker}, trained on labelled images and checked "
        "against {test_n} of our own images.",
        "An object detection model that marks where in an image each finding is, supplied by "
        "{maker}.",
    ),
    "generative_ai": (
        "A large language model provided by {maker} through a private cloud service. Our "
        "prompts limit it to our own material, and our data is not used to train it.",
        "An open-weight large language model hosted in our own cloud environment, with "
        "prompts and guardrails written by the {team}.",
    ),
    "nlp": (
        "A text classifier built on a fine-tuned language model, supplied by {maker}, with a "
        "keyword list maintained by {staff}.",
        "Named-entity recognition and text classification models from {maker}, trained on "
        "{test_n} annotated examples.",
    ),
    "speech": (
        "A speech-to-text model from {maker}, tuned for regional accents and the vocabulary "
        "used in {subject}, followed by a language model that picks out key details.",
    ),
    "forecasting": (
        "A time-series model combining seasonal patterns with a gradient-boosted model of "
        "recent trends, built by {maker}.",
        "An ensemble of statistical forecasting models, retrained every {period} by {maker}.",
    ),
    "optimisation": (
        "A mathematical optimisation solver from {maker} that searches for the best plan "
        "within rules set by {staff}.",
        "A vehicle routing and scheduling engine supplied by {maker}, configured with our own "
        "constraints.",
    ),
    "agentic_ai": (
        "An agent built on a large language model from {maker}. It can look things up and "
        "fill in forms, but cannot submit or decide anything without a person's approval.",
    ),
    "other": (
        "A probabilistic matching method that weighs how well names, dates and addresses "
        "agree, tuned by {maker}.",
        "A simulation model that tests many scenarios, built by {maker}.",
    ),
}

# How well it works, by what the tool produces.
PERFORMANCE: dict[str, tuple[str, ...]] = {
    "judgement": (
        "Tested on {test_n} past {subject}, the tool agreed with experienced {staff} in "
        "{agree}% of cases.",
        "In a {months}-month pilot, {agree}% of the tool's outputs were accepted by {staff} "
        "without change.",
        "Accuracy is {agree}% on a held-back test set of {test_n} {subject}; it is lower for "
        "rare cases, which are always checked by a person.",
    ),
    "forecast": (
        "Forecasts were within {error}% of the actual figures on average over the last "
        "{months} months.",
        "Over the last year forecasts were within {error}% of what happened on nine days in ten.",
    ),
    "text": (
        "Each {period} {sample} outputs are checked by {staff}; in the last check {agree}% "
        "needed no more than minor edits.",
        "In testing, {agree}% of drafts were rated accurate and complete by {staff}.",
    ),
    "plan": (
        "Compared with the plans made by hand, the tool's plans used {error}% fewer resources "
        "while meeting every rule.",
    ),
}

PERFORMANCE_ENDINGS = (
    " Performance is checked again every {period}.",
    " Results are reported to the {owner} every {period}.",
    "",
)

# Why the code is not published, when a supplier owns it and when it is our own.
WITHHELD_BY_SUPPLIER = (
    "The code belongs to {maker} and is licensed to us; the licence does not allow us to "
    "publish it.",
    "The code is part of a commercial product. This entry describes how it works instead.",
)
WITHHELD_IN_HOUSE = (
    "We plan to publish the code once it has had a security review.",
    "The code includes details of how our systems are secured, so it is shared with auditors "
    "on request rather than published.",
    "The code is tied to internal systems and would not run elsewhere; we publish a "
    "description of the method instead.",
)

OVERSIGHT: dict[str, tuple[str, ...]] = {
    "human_in_the_loop": (
        "Every output is checked by one of our {staff} before anything happens. They see the "
        "original information as well as the tool's output, can change or ignore it, and "
        "record why when they disagree.",
        "Nothing the tool produces is used until a member of the {team} has approved it. Staff "
        "are told to treat the output as a suggestion.",
    ),
    "human_on_the_loop": (
        "The tool runs on its own and {staff} watch its outputs on a dashboard. They check a "
        "random sample every week and can pause the tool at any time.",
        "{Staff} are alerted to unusual outputs and can overrule them. A supervisor reviews "
        "a sample of outputs every {period}.",
    ),
    "human_in_command": (
        "{Staff} decide when the tool is used and for what. Its outputs are one source of "
        "information among several, and the {team} can switch it off without affecting the "
        "service.",
        "The {owner} decides where and how the tool is used, and reviews this every {period}.",
    ),
    "none": (
        "No person checks individual outputs before they are used. The {team} reviews a sample "
        "every {period}, and anyone affected can ask for a person to look again.",
    ),
}

# Oversight models that fit each role in decisions, likeliest first.
OVERSIGHT_FOR_DECISION: dict[str, tuple[str, ...]] = {
    "no_decisions": ("human_in_command", "human_on_the_loop", "none"),
    "informs": ("human_in_the_loop", "human_in_command"),
    "recommends": ("human_in_the_loop",),
    "decides_with_review": ("human_on_the_loop", "human_in_the_loop"),
    "decides_automatically": ("human_on_the_loop", "none", "human_in_command"),
}

TRAINING = (
    "All {staff} who use the tool complete a one-hour course on what it does, its limits and "
    "when not to rely on it, and refresh it every year.",
    "Training is part of induction for new {staff}, with a short guide and a recorded "
    "demonstration.",
    "{Maker} trained a group of champions in the {team}, who train colleagues and collect "
    "feedback.",
)

APPEAL: dict[str, tuple[str, ...]] = {
    "no_decisions": (
        "The tool does not make decisions about people. If you are concerned about how {org} "
        "uses it, write to {email} and we will reply within 20 working days.",
    ),
    "person_decides": (
        "Decisions are made by {staff}, not by the tool, and you can challenge them in the usual "
        "way. Write to {email} to ask for a review; someone who was not involved will look at "
        "your case again.",
        "You can ask for any decision to be reviewed by writing to {email}. If you are still "
        "unhappy, you can complain to the {ombudsman}.",
    ),
    "tool_decides": (
        "You can ask for any decision to be looked at again by a person. Write to {email} "
        "within one month; we aim to reply within 15 working days. If you are still unhappy, "
        "you can complain to the {ombudsman}.",
    ),
}

OMBUDSMAN = {
    "council": "Local Government and Social Care Ombudsman",
    "nhs": "Parliamentary and Health Service Ombudsman",
    "police": "Independent Office for Police Conduct",
    "department": "Parliamentary and Health Service Ombudsman",
    "agency": "Parliamentary and Health Service Ombudsman",
}

MONITORING = (
    "The {team} reviews accuracy, complaints and any differences between groups every "
    "{period}, and reports to the {owner}.",
    "A monthly dashboard shows how often staff change the tool's outputs. A sudden change "
    "triggers a review.",
    "An independent review is planned after the first year of use.",
    "{Maker} reports accuracy every {period}, and the {team} checks it against its own sample.",
)

ENGAGEMENT = (
    "We tested the wording of letters and of this entry with a panel of people affected by "
    "the tool.",
    "We talked to groups representing the people affected before the pilot, and changed how "
    "the tool's outputs are explained in response.",
    "No public engagement has taken place yet. We plan to ask the people affected for their "
    "views before the next review.",
    "The tool was discussed at a public meeting before it was approved.",
)

RETIREMENT = (
    "The supplier withdrew the product and we did not find a replacement that met our needs.",
    "An evaluation found the tool saved less time than expected, so we stopped using it at "
    "the end of the contract.",
    "The service the tool supported was redesigned and the tool was no longer needed.",
    "Accuracy fell after a change to how {subject} are recorded, and retraining was not good "
    "value for money.",
)
RETIREMENT_PROHIBITED = (
    "A review against the EU AI Act found that this use could fall within a prohibited "
    "practice, so the tool was switched off and its data deleted."
)

PUBLIC_TASK = " Personal data is processed under Article 6(1)(e) of the UK GDPR (public task)."
SPECIAL_CATEGORY = (
    " Special category data is processed under Article 9(2)(g) of the UK GDPR, with an "
    "appropriate policy document in place."
)

FEATURES_NONE = (
    "No demographic features are used.",
    "The tool does not use age, sex, ethnicity or postcode.",
)

SUMMARY_BY_STATUS: dict[str, tuple[str, ...]] = {
    "planned": ("We plan to start using it in {year}.", "It is planned and not yet built."),
    "in_development": ("It is being built and tested and is not yet used on real cases.",),
    "pilot": ("It is being piloted in part of the service.", "A pilot runs until {year}."),
    "in_use": ("", "It has been used since {year}."),
    "retired": ("It is no longer used.", "It was retired in {year}."),
}
