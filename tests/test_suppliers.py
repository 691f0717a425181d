"""Suppliers and products: company numbers checked by their register, versions linked to
their supplier and product when published, the supplier pages, the supplier filter of the
search, and the similar entries on an entry's page."""

from __future__ import annotations

import csv
import io

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import distinct, func, select

from register import schema, suppliers
from register.extensions import db
from register.models import EntryVersion, Product, Supplier
from register.schema import registries
from register.validation import check_values

from .factories import publishable_values
from .manage_world import WORLD, messages
from .public_entries import withdraw

world = WORLD

TECHNOLOGY = "/manage/entries/AIR-00001/technology"


def _bought(**overrides):
    """Publishable answers for a tool bought from Roadscan Vision Ltd."""
    values = publishable_values(
        built_by="external_supplier",
        supplier_name="Roadscan Vision Ltd",
        supplier_registry="gb_coh",
        supplier_company_number="SC123456",
        product_name="Roadscan Inspector",
    )
    values.update(overrides)
    return values


@pytest.mark.parametrize(
    "scheme, number",
    [
        ("gb_coh", "01234567"),
        ("gb_coh", "SC123456"),
        ("gb_coh", "sc 123456"),
        ("gb_coh", "OC301234"),
        ("gb_coh", "NI012345"),
        ("gb_coh", "R0000123"),
        ("nl_kvk", "12345678"),
        ("nl_kvk", "1234 5678"),
        ("other", "HRB 86891"),
        (None, "12-3456789"),
    ],
)
def test_a_company_number_in_its_register_s_format_is_accepted(scheme, number):
    values = {"supplier_registry": scheme, "supplier_company_number": number}
    assert check_values(schema.all_fields(), values) == {}


@pytest.mark.parametrize(
    "scheme, number, message",
    [
        ("gb_coh", "1234567", "Enter a Companies House number of 8 characters"),
        ("gb_coh", "123456789", "Enter a Companies House number of 8 characters"),
        ("gb_coh", "SC12345", "Enter a Companies House number of 8 characters"),
        ("gb_coh", "S1234567", "Enter a Companies House number of 8 characters"),
        ("nl_kvk", "1234567", "Enter a KVK number of 8 digits"),
        ("nl_kvk", "SC123456", "Enter a KVK number of 8 digits"),
    ],
)
def test_a_company_number_not_in_its_register_s_format_is_refused(scheme, number, message):
    values = {"supplier_registry": scheme, "supplier_company_number": number}
    problems = check_values(schema.all_fields(), values)
    assert list(problems) == ["supplier_company_number"]
    assert problems["supplier_company_number"].startswith(message)


def test_numbers_are_kept_as_their_register_writes_them():
    assert registries.normalised("gb_coh", " sc 123 456 ") == "SC123456"
    assert registries.normalised("nl_kvk", "1234 5678") == "12345678"
    assert registries.normalised("other", " HRB 86891 ") == "HRB 86891"
    # Leading zeros lost in a spreadsheet are not guessed back.
    assert registries.problem("gb_coh", "1234567")


def test_a_wrong_number_is_shown_at_its_field_and_nothing_is_saved(world):
    world.entry()
    lock = world.lock_version("AIR-00001")
    page = world.client("editor").post_page(
        TECHNOLOGY,
        {
            "lock_version": lock,
            "built_by": "external_supplier",
            "supplier_name": "Roadscan Vision Ltd",
            "supplier_registry": "nl_kvk",
            "supplier_company_number": "SC123456",
        },
    )
    assert page.title.get_text().startswith("Error: ")
    assert messages(page) == ["Enter a KVK number of 8 digits, like 12345678"]
    group = page.find(id="supplier_company_number").find_parent(class_="govuk-form-group")
    assert "govuk-form-group--error" in group["class"]
    assert page.select_one("#supplier_company_number")["value"] == "SC123456"
    assert world.lock_version("AIR-00001") == lock
    assert world.draft_values("AIR-00001")["supplier_name"] is None


def test_a_number_is_saved_as_its_register_writes_it(world):
    world.entry()
    world.client("editor").post(
        TECHNOLOGY,
        {
            "lock_version": world.lock_version("AIR-00001"),
            "built_by": "external_supplier",
            "supplier_name": "Roadscan Vision Ltd",
            "product_name": "Roadscan Inspector",
            "supplier_registry": "gb_coh",
            "supplier_company_number": "sc 123456",
        },
        302,
    )
    values = world.draft_values("AIR-00001")
    assert values["supplier_company_number"] == "SC123456"
    assert values["product_name"] == "Roadscan Inspector"


def _links(world, reference):
    with world.app.app_context():
        version = world.load(reference).current_version
        supplier = version.supplier
        product = version.product
        return (
            supplier.slug if supplier else None,
            supplier.registry_number if supplier else None,
            product.name if product else None,
        )


def test_publishing_links_a_version_to_one_supplier_per_number_and_per_name(world):
    first = world.entry("published", values=_bought())
    # The same number under another spelling of the name: the same supplier.
    second = world.entry(
        "published",
        values=_bought(supplier_name="ROADSCAN VISION LIMITED", supplier_company_number="sc123456"),
        organisation="Southvale Police",
        author="outside_editor",
    )
    # No number: found by its name, without the legal form.
    third = world.entry(
        "published",
        values=_bought(
            supplier_name="Quillbright",
            supplier_registry=None,
            supplier_company_number=None,
            product_name=None,
        ),
    )
    fourth = world.entry(
        "published",
        values=_bought(
            supplier_name="Quillbright Ltd.",
            supplier_registry=None,
            supplier_company_number=None,
            product_name="Quill Assist",
        ),
    )
    in_house = world.entry("published")
    world.entry(
        "draft", values=_bought(supplier_name="Draftonly Ltd", supplier_company_number="01234567")
    )

    assert _links(world, first) == ("roadscan-vision-ltd", "SC123456", "Roadscan Inspector")
    assert _links(world, second) == ("roadscan-vision-ltd", "SC123456", "Roadscan Inspector")
    assert _links(world, third) == ("quillbright", None, None)
    assert _links(world, fourth) == ("quillbright", None, "Quill Assist")
    assert _links(world, in_house) == (None, None, None)
    with world.app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Supplier)) == 2
        assert db.session.scalar(select(func.count()).select_from(Product)) == 2


def test_an_entry_that_leaves_out_the_number_joins_the_supplier_that_gave_it(world):
    numbered = world.entry("published", values=_bought())
    unnumbered = world.entry(
        "published",
        values=_bought(
            supplier_name="Roadscan Vision", supplier_registry=None, supplier_company_number=None
        ),
        organisation="Southvale Police",
        author="outside_editor",
    )
    assert _links(world, numbered)[:2] == ("roadscan-vision-ltd", "SC123456")
    assert _links(world, unnumbered)[:2] == ("roadscan-vision-ltd", "SC123456")


def test_a_number_given_later_is_kept_on_the_supplier_known_by_name(world):
    unnumbered = world.entry(
        "published", values=_bought(supplier_registry=None, supplier_company_number=None)
    )
    numbered = world.entry(
        "published", values=_bought(), organisation="Southvale Police", author="outside_editor"
    )
    assert _links(world, unnumbered)[:2] == ("roadscan-vision-ltd", "SC123456")
    assert _links(world, numbered)[:2] == ("roadscan-vision-ltd", "SC123456")
    with world.app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Supplier)) == 1


def test_the_supplier_page_shows_each_organisation_s_entries_by_product(world):
    first = world.entry("published", values=_bought(title="Pothole finder"))
    second = world.entry(
        "published",
        values=_bought(title="Road sign survey", product_name="Roadscan Signs"),
        organisation="Southvale Police",
        author="outside_editor",
    )
    gone = world.entry("published", values=_bought(title="Withdrawn tool"))
    withdraw(world, gone, "Published in error.")
    world.entry("revision", values=_bought(title="Kerb checker"))
    client = world.client(None)

    listing = client.get("/suppliers")
    rows = [
        [cell.get_text(" ", strip=True) for cell in row.select("th, td")]
        for row in listing.select("#suppliers tbody tr")
    ]
    assert rows == [["Roadscan Vision Ltd", "3", "2"]]

    page = client.get("/suppliers/roadscan-vision-ltd")
    assert page.h1.get_text(strip=True) == "Roadscan Vision Ltd"
    number = page.select_one("#supplier-details a")
    assert number["href"].endswith("/company/SC123456")
    assert "SC123456" in number.get_text()
    headings = [h.get_text(strip=True) for h in page.select("h2")]
    assert "Roadscan Inspector" in headings and "Roadscan Signs" in headings
    text = page.get_text(" ", strip=True)
    assert "Pothole finder" in text and "Northshire County Council" in text
    assert "Road sign survey" in text and "Southvale Police" in text
    assert "Kerb checker" in text  # its published version, while a revision is drafted
    assert "Withdrawn tool" not in text
    links = {a["href"] for a in page.select("main a")}
    assert f"/entries/{first}" in links and f"/entries/{second}" in links
    assert "/entries?supplier=roadscan-vision-ltd" in links


def test_the_supplier_page_offers_emails_about_the_supplier_s_entries(world):
    world.entry("published", values=_bought())
    client = world.client(None)
    link = client.get("/suppliers/roadscan-vision-ltd").find(
        "a", string="Get emails about these entries"
    )
    assert link["href"] == "/alerts/subscribe?supplier=roadscan-vision-ltd"
    subscribe = client.get(link["href"])
    rows = {
        row.dt.get_text(strip=True): row.dd.get_text(strip=True)
        for row in subscribe.select(".govuk-summary-list__row")
    }
    assert rows == {"Supplier": "Roadscan Vision Ltd"}


def test_unknown_suppliers_and_suppliers_of_no_public_entry_are_not_found(world):
    gone = world.entry("published", values=_bought())
    withdraw(world, gone, "Published in error.")
    client = world.client(None)
    client.get("/suppliers/no-such-supplier", 404)
    client.get("/suppliers/roadscan-vision-ltd", 404)
    assert "Roadscan" not in client.get("/suppliers").get_text()


def test_the_search_and_the_api_take_a_supplier(world):
    bought = world.entry("published", values=_bought(title="Pothole finder"))
    world.entry("published", values=publishable_values(title="Pothole sorter"))
    client = world.client(None)

    page = client.get("/entries?supplier=roadscan-vision-ltd")
    assert "Pothole finder" in page.get_text() and "Pothole sorter" not in page.get_text()
    # The supplier chosen is shown by name, as a filter that can be removed.
    assert "Roadscan Vision Ltd" in page.get_text()

    api = world.app.test_client()
    listed = api.get("/api/v1/entries?supplier=roadscan-vision-ltd").get_json()
    assert [item["reference"] for item in listed["entries"]] == [bought]
    refused = api.get("/api/v1/entries?supplier=nobody")
    assert refused.status_code == 400
    csv_text = api.get("/entries.csv?supplier=roadscan-vision-ltd").data.decode()
    assert "Pothole finder" in csv_text and "Pothole sorter" not in csv_text


def test_similar_entries_are_the_same_product_first_then_a_similar_purpose(world):
    this = world.entry("published", values=_bought(title="Pothole finder"))
    same_product = world.entry(
        "published",
        values=_bought(title="Street defect camera", summary="Finds cracks in pavements."),
        organisation="Southvale Police",
        author="outside_editor",
    )
    same_supplier = world.entry(
        "published",
        values=_bought(
            title="Kerb survey", summary="Measures kerbs.", product_name="Roadscan Kerbs"
        ),
    )
    like_purpose = world.entry(
        "published",
        values=publishable_values(
            title="Pothole urgency ranking", summary="Ranks potholes reports by urgency."
        ),
    )
    world.entry("draft", values=publishable_values(title="Pothole draft triage"))
    unrelated = world.entry(
        "published",
        values=publishable_values(
            title="Library book suggestions",
            summary="Suggests books to borrowers.",
            purpose="Borrowers ask for new titles.",
            benefits="More loans.",
        ),
    )
    page = world.client(None).get(f"/entries/{this}")
    section = page.select_one("#similar-entries")
    items = [(li.a["href"], li.get_text(" ", strip=True)) for li in section.select("li")]
    hrefs = [href for href, _ in items]
    assert hrefs[0] == f"/entries/{same_product}"
    assert "Uses the same product: Roadscan Inspector" in items[0][1]
    assert hrefs[1] == f"/entries/{same_supplier}"
    assert "Uses the same supplier: Roadscan Vision Ltd" in items[1][1]
    assert f"/entries/{like_purpose}" in hrefs
    assert "Similar purpose" in dict(items)[f"/entries/{like_purpose}"]
    assert f"/entries/{this}" not in hrefs
    assert f"/entries/{unrelated}" not in hrefs
    assert all("draft" not in text for _, text in items)
    assert section.select_one("a[href='/suppliers/roadscan-vision-ltd']")


def test_the_migration_links_every_version_published_before_it(app, world):
    # Published first, with no number: it joins the supplier of its name that has one.
    unnumbered = world.entry(
        "published",
        values=_bought(supplier_name="Roadscan Vision", supplier_company_number=None),
    )
    first = world.entry("published", values=_bought(supplier_registry=None, product_name=None))
    second = world.entry(
        "published",
        values=_bought(supplier_name="Roadscan Vision Limited", supplier_registry=None),
        organisation="Southvale Police",
        author="outside_editor",
    )
    named = world.entry(
        "published",
        values=_bought(
            supplier_name="Quillbright Ltd", supplier_registry=None, supplier_company_number=None
        ),
    )
    world.entry("draft", values={"title": "Draft", "supplier_name": "Draftonly Ltd"})
    with app.app_context():
        downgrade(revision="0024")
        upgrade()
        db.engine.dispose()
        made = db.session.execute(
            select(Supplier.slug, Supplier.registry_number).order_by(Supplier.slug)
        ).all()
    # One supplier per number however its name was written; one per name without one; none
    # for drafts.
    assert made == [("quillbright-ltd", None), ("roadscan-vision-ltd", "SC123456")]
    assert _links(world, first)[:2] == ("roadscan-vision-ltd", "SC123456")
    assert _links(world, second)[:2] == ("roadscan-vision-ltd", "SC123456")
    assert _links(world, named)[:2] == ("quillbright-ltd", None)
    assert _links(world, unnumbered)[:2] == ("roadscan-vision-ltd", "SC123456")


def test_demo_entries_share_suppliers_and_products_between_organisations(app, runner):
    result = runner.invoke(args=["register", "demo-data", "--entries", "120"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        used = suppliers.directory()
        unlinked = db.session.scalar(
            select(func.count())
            .select_from(EntryVersion)
            .where(
                EntryVersion.number.is_not(None),
                EntryVersion.supplier_name.is_not(None),
                EntryVersion.supplier_id.is_(None),
            )
        )
        shared_products = db.session.execute(
            select(EntryVersion.product_id)
            .where(EntryVersion.is_current, EntryVersion.product_id.is_not(None))
            .group_by(EntryVersion.product_id)
            .having(func.count(distinct(EntryVersion.organisation_id)) > 1)
        ).all()
    assert unlinked == 0
    assert any(row.organisations > 1 for row in used)
    assert shared_products


def test_the_kept_json_and_csv_of_an_entry_hold_its_product_and_register(world):
    reference = world.entry("published", values=_bought())
    client = world.client(None).client
    record = client.get(f"/entries/{reference}.json").get_json()
    assert record["product_name"] == "Roadscan Inspector"
    assert record["supplier_registry"] == "gb_coh"
    assert record["supplier_company_number"] == "SC123456"
    listed = client.get("/entries.json?supplier=roadscan-vision-ltd").get_json()
    assert [item["product_name"] for item in listed] == ["Roadscan Inspector"]
    header = client.get("/entries.csv").data.decode().splitlines()[0].split(",")
    assert "product_name" in header and "supplier_registry" in header


def test_the_data_package_lists_suppliers_products_and_each_entry_s(world):
    reference = world.entry("published", values=_bought())
    world.entry("published")
    client = world.client(None).client

    def rows(table: str) -> list[dict[str, str]]:
        text = client.get(f"/download/{table}.csv").data.decode()
        return list(csv.DictReader(io.StringIO(text)))

    assert rows("suppliers") == [
        {
            "slug": "roadscan-vision-ltd",
            "name": "Roadscan Vision Ltd",
            "registry": "gb_coh",
            "org_id_scheme": "GB-COH",
            "registry_number": "SC123456",
            "entries": "1",
            "organisations": "1",
        }
    ]
    assert rows("products") == [
        {
            "supplier": "roadscan-vision-ltd",
            "slug": "roadscan-inspector",
            "name": "Roadscan Inspector",
            "entries": "1",
        }
    ]
    assert rows("entry_suppliers") == [
        {"reference": reference, "supplier": "roadscan-vision-ltd", "product": "roadscan-inspector"}
    ]


def test_similar_entries_are_found_again_once_the_register_changes(world):
    this = world.entry("published", values=_bought(title="Pothole finder"))
    client = world.client(None)
    assert client.get(f"/entries/{this}").select_one("#similar-entries li") is None
    other = world.entry("published", values=_bought(title="Street defect camera"))
    items = client.get(f"/entries/{this}").select("#similar-entries li a")
    assert [a["href"] for a in items] == [f"/entries/{other}"]
    withdraw(world, other, "Published in error.")
    assert client.get(f"/entries/{this}").select_one("#similar-entries li") is None


def test_an_administrator_merges_two_records_of_one_supplier(world, runner):
    numbered = world.entry("published", values=_bought(title="Pothole finder"))
    named = world.entry(
        "published",
        values=_bought(
            title="Road sign survey",
            supplier_name="Roadscan",
            supplier_registry=None,
            supplier_company_number=None,
            product_name="Roadscan inspector",
        ),
        organisation="Southvale Police",
        author="outside_editor",
    )
    other = world.entry(
        "published",
        values=_bought(
            title="Kerb survey",
            supplier_name="Roadscan",
            supplier_registry=None,
            supplier_company_number=None,
            product_name="Kerb Counter",
        ),
    )
    refused = runner.invoke(args=["register", "merge-suppliers", "roadscan", "nobody"])
    assert refused.exit_code != 0 and "There is no supplier 'nobody'" in refused.output

    merged = runner.invoke(args=["register", "merge-suppliers", "roadscan", "roadscan-vision-ltd"])

    assert merged.exit_code == 0, merged.output
    assert _links(world, numbered) == ("roadscan-vision-ltd", "SC123456", "Roadscan Inspector")
    assert _links(world, named) == ("roadscan-vision-ltd", "SC123456", "Roadscan Inspector")
    assert _links(world, other) == ("roadscan-vision-ltd", "SC123456", "Kerb Counter")
    client = world.client(None)
    client.get("/suppliers/roadscan", 404)
    page = client.get("/suppliers/roadscan-vision-ltd")
    assert "Road sign survey" in page.get_text() and "Kerb Counter" in page.get_text()
