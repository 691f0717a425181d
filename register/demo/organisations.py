"""Fictional public bodies for the demo register: every organisation type, unique names.

Places and regions are invented so that no real body appears to use a tool it does not.
Web sites and mailboxes use the reserved `.example` top-level domain.
"""

from __future__ import annotations

import functools
import math
import random
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..accounts import slugify
from ..schema.vocabularies import ORGANISATION_TYPE

MAX_ORGANISATIONS = 300


@dataclass(frozen=True)
class Kind:
    """A kind of public body: its type code, its family and how its bodies are named."""

    type: str
    family: str
    names: tuple[str, ...]  # patterns with {place}, {place2} or {region}, or fixed names
    weight: float = 1.0


KINDS: dict[str, Kind] = {
    "county_council": Kind("local_government", "council", ("{region} County Council",), 4),
    "district_council": Kind(
        "local_government",
        "council",
        ("{place} District Council", "{place} Borough Council"),
        8,
    ),
    "unitary_council": Kind(
        "local_government",
        "council",
        ("{place} City Council", "{place} Council", "{place} Metropolitan Borough Council"),
        9,
    ),
    "police_force": Kind("police", "police", ("{region} Police", "{region} Constabulary"), 7),
    "fire_service": Kind("fire_rescue", "fire", ("{region} Fire and Rescue Service",), 4),
    "hospital_trust": Kind(
        "health",
        "nhs",
        (
            "{place} Hospitals NHS Foundation Trust",
            "{place} and {place2} Hospitals NHS Trust",
            "{place} Teaching Hospitals NHS Trust",
        ),
        8,
    ),
    "mental_health_trust": Kind(
        "health",
        "nhs",
        (
            "{region} Mental Health NHS Foundation Trust",
            "{region} Healthcare Partnership NHS Trust",
        ),
        2,
    ),
    "ambulance_trust": Kind("health", "nhs", ("{region} Ambulance Service NHS Trust",), 2),
    "care_board": Kind("health", "nhs", ("NHS {region} Integrated Care Board",), 3),
    "university": Kind("education", "education", ("University of {place}",), 3),
    "college": Kind("education", "education", ("{place} College",), 3),
    "academy_trust": Kind(
        "education", "education", ("{place} Learning Trust", "{region} Academies Trust"), 3
    ),
    "dept_welfare": Kind("central_government", "department", ("Department for Work and Welfare",)),
    "dept_justice": Kind("central_government", "department", ("Department for Justice",)),
    "dept_defence": Kind("central_government", "department", ("Department for Defence Support",)),
    "dept_transport": Kind(
        "central_government", "department", ("Department for Transport and Infrastructure",)
    ),
    "dept_environment": Kind(
        "central_government", "department", ("Department for Environment and Farming",)
    ),
    "dept_education": Kind("central_government", "department", ("Department for Schools",)),
    "dept_health": Kind("central_government", "department", ("Department for Health and Care",)),
    "dept_home": Kind("central_government", "department", ("Department for Home Affairs",)),
    "dept_business": Kind(
        "central_government", "department", ("Department for Enterprise and Trade",)
    ),
    "agency_welfare": Kind(
        "arms_length_body", "agency", ("Jobs and Benefits Agency", "Child Maintenance Service")
    ),
    "agency_revenue": Kind("arms_length_body", "agency", ("National Revenue Service",)),
    "agency_identity": Kind("arms_length_body", "agency", ("Passport and Identity Office",)),
    "agency_transport": Kind(
        "arms_length_body", "agency", ("Driver and Vehicle Licensing Office",)
    ),
    "agency_environment": Kind(
        "arms_length_body", "agency", ("Environment and Flood Agency", "Rural Payments Office")
    ),
    "agency_justice": Kind(
        "arms_length_body", "agency", ("Courts and Tribunals Service", "Probation Service")
    ),
    "agency_education": Kind("arms_length_body", "agency", ("Student Finance Service",)),
    "devolved": Kind(
        "devolved_government", "devolved", ("{region} Government", "{region} Executive"), 2
    ),
    "regulator_care": Kind("regulator", "regulator", ("Care Standards Inspectorate",)),
    "regulator_schools": Kind("regulator", "regulator", ("Schools Inspectorate",)),
    "regulator_food": Kind("regulator", "regulator", ("Food Standards Authority",)),
    "regulator_utilities": Kind("regulator", "regulator", ("Water and Energy Regulator",)),
    "regulator_money": Kind("regulator", "regulator", ("Pensions and Savings Regulator",)),
    "national_park": Kind("other", "other", ("{region} National Park Authority",), 2),
    "transport_authority": Kind(
        "other", "other", ("{region} Transport Authority", "{region} Combined Authority"), 2
    ),
    "library_trust": Kind(
        "other", "other", ("{place} Libraries Trust", "{region} Museums and Libraries Trust"), 2
    ),
}

# The kind that stands for its type among the first organisations, when one kind does all
# that its type does: a unitary council runs every council service.
FIRST_OF_TYPE = {"local_government": "unitary_council"}

_PLACE_START = (
    "Alder Ash Bark Bram Brack Carr Cold Dun Elder Fen Fern Glas Gorse Hal Hazel Holm Kes "
    "Lark Lind Marl Mere Nether Oak Pen Quarr Raven Rush Sedge Stan Thorn Wex Whin Wil Wold Yew"
).split()
_PLACE_END = (
    "borough bridge bury by caster combe dale den field ford gate ham hurst ley mere minster "
    "mouth stead stoke thorpe ton wick worth"
).split()
_REGION_END = ("shire", "vale", "moor", "land", "dale", "fell", "marsh", "wold", "downs")
_STREETS = (
    "High Street",
    "Station Road",
    "Market Street",
    "Church Lane",
    "Park Road",
    "Castle Street",
    "Queen Street",
    "Mill Lane",
    "Victoria Road",
    "Bridge Street",
)
_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters the last part of a postcode may use
# The building an organisation's address starts with, by kind or family; none for the
# national bodies, whose offices are known by street number alone.
BUILDINGS: dict[str, tuple[str, ...]] = {
    "county_council": ("County Hall",),
    "council": ("Town Hall", "Civic Centre", "Council Offices"),
    "police": ("Police Headquarters",),
    "fire": ("Fire and Rescue Headquarters",),
    "nhs": ("Trust Headquarters", "Headquarters"),
    "education": ("Main Building", "Administration Building"),
    "devolved": ("Government Buildings",),
    "other": ("Head Office",),
}


@dataclass(frozen=True)
class DemoOrganisation:
    """An organisation the demo entries belong to, new or already in the register."""

    id: int
    name: str
    slug: str
    kind: str
    domain: str
    is_new: bool
    town: str = ""  # the place its name gives, if any

    @property
    def tags(self) -> tuple[str, str]:
        return self.kind, KINDS[self.kind].family

    @functools.cached_property
    def postal_address(self) -> str:
        """A made-up address, the same every time for the same name: in the town the name
        gives, or one drawn from the name, with a postcode in the unused area "XX"."""
        seed = zlib.crc32(self.slug.encode())
        rng = random.Random(seed)  # noqa: S311 - repeatable demo content, not a secret  # nosec B311
        buildings = BUILDINGS.get(self.kind) or BUILDINGS.get(KINDS[self.kind].family)
        lines = [rng.choice(buildings)] if buildings else []
        lines.append(f"{rng.randint(1, 120)} {rng.choice(_STREETS)}")
        postcode = (
            f"XX{rng.randint(1, 20)} {rng.randint(1, 9)}{''.join(rng.choices(_LETTERS, k=2))}"
        )
        lines.append(f"{self.town or _place(rng)} {postcode}")
        return ", ".join(lines)

    def row(self, created_at: object, allows_self_publishing: bool) -> dict[str, object]:
        """The organisation's row, for a bulk insert."""
        return {
            "id": self.id,
            "name": self.name,
            "slug": self.slug,
            "type": KINDS[self.kind].type,
            "website": f"https://www.{self.domain}",
            "contact_email": f"enquiries@{self.domain}",
            "allows_self_publishing": allows_self_publishing,
            "created_at": created_at,
        }


def organisation_count(entries: int) -> int:
    """How many organisations `entries` entries are spread over: more for bigger loads."""
    return min(MAX_ORGANISATIONS, max(min(entries, 20), round(1.2 * math.sqrt(entries))))


def _place(rng: random.Random) -> str:
    return rng.choice(_PLACE_START) + rng.choice(_PLACE_END)


def _region(rng: random.Random) -> str:
    start = rng.choice(_PLACE_START)
    end = rng.choice(_REGION_END)
    return f"{start} {end.title()}" if end == "downs" else start + end


def _name(rng: random.Random, kind: Kind) -> tuple[str, str]:
    """A name for a body of `kind`, and the town it names ("" if it names none)."""
    pattern = rng.choice(kind.names)
    place, place2 = _place(rng), _place(rng)
    name = pattern.format(place=place, place2=place2, region=_region(rng))
    return name, place if "{place}" in pattern else ""


def domain_for(slug: str) -> str:
    """A short `.example` domain for an organisation: whole words of its slug."""
    words, length = [], 0
    for word in slug.split("-"):
        if length + len(word) > 40:
            break
        words.append(word)
        length += len(word) + 1
    return "-".join(words or [slug[:40]]) + ".example"


def choose(
    rng: random.Random,
    count: int,
    existing: Iterable[tuple[int, str, str, str]],
    new_id: Callable[[], int],
) -> list[DemoOrganisation]:
    """`count` organisations with unique names and slugs, every type among the first ten.

    `existing` holds (id, name, slug, type) of organisations already in the register: a
    candidate with the same name and type is reused; one whose name or slug is taken by a
    different body is skipped.
    """
    by_name = {name.lower(): (org_id, name, slug, type_) for org_id, name, slug, type_ in existing}
    taken_slugs = {slug for _, _, slug, _ in by_name.values()}
    kinds_by_type: dict[str, list[str]] = {}
    for code, kind in KINDS.items():
        kinds_by_type.setdefault(kind.type, []).append(code)
    codes = list(KINDS)
    weights = [KINDS[code].weight for code in codes]
    chosen: list[DemoOrganisation] = []
    seen: set[str] = set()
    attempts = 0
    while len(chosen) < count:
        attempts += 1
        if attempts > 200 * count + 1000:
            raise RuntimeError("Could not find enough unused organisation names.")
        if len(chosen) < len(ORGANISATION_TYPE.codes):
            type_code = ORGANISATION_TYPE.codes[len(chosen)]
            kind_code = FIRST_OF_TYPE.get(type_code) or rng.choice(kinds_by_type[type_code])
        else:
            kind_code = rng.choices(codes, weights)[0]
        name, town = _name(rng, KINDS[kind_code])
        slug = slugify(name)
        if name.lower() in seen or slug in seen:
            continue
        found = by_name.get(name.lower())
        if found is not None:
            org_id, old_name, old_slug, type_ = found
            if type_ != KINDS[kind_code].type:
                continue
            chosen.append(
                DemoOrganisation(
                    org_id, old_name, old_slug, kind_code, domain_for(old_slug), False, town
                )
            )
        elif slug in taken_slugs:
            continue
        else:
            chosen.append(
                DemoOrganisation(new_id(), name, slug, kind_code, domain_for(slug), True, town)
            )
        seen.update((name.lower(), slug))
    return chosen
