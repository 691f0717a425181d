"""The pages where entries are recorded, reviewed, published and imported, in Welsh: what a
signed-in person reading /cy/manage/... sees, errors and messages included. The English pages
are checked by the tests of each page (tests/test_manage_*.py and the import tests)."""

from __future__ import annotations

import io
import json

from .factories import publishable_values
from .manage_world import WORLD, banner, form_data, messages
from .pages import check_page
from .test_bulk_actions import page_form
from .test_import import us_row
from .test_import_mapping import (
    SAMPLE,
    cards,
    columns_table,
    mapped,
    preview_of,
)
from .test_import_mapping import city as city  # noqa: F401  # a fixture
from .test_import_upload import csv_bytes
from .test_withheld_groups import A_RISK, _withhold

world = WORLD

ORGANISATION = "northshire-county-council"


def _welsh(browser, path: str):
    """The page at `path` as the person reads it, after checking it says it is in Welsh."""
    page = browser.get(path)
    assert page.find("html")["lang"] == "cy", path
    return page


def _uploaded_in_welsh(world, publisher, rows: list[dict[str, str]]) -> str:
    """Upload `rows` as a US inventory from the Welsh import page; the report's address."""
    with world.app.app_context():
        organisation_id = world.organisation().id
    response = publisher.client.post(
        "/cy/manage/import",
        data={
            "csrf_token": publisher.csrf_token(),
            "file": (io.BytesIO(csv_bytes(rows)), "inventory.csv"),
            "format": "us-2025",
            "organisation": str(organisation_id),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    return response.headers["Location"]


def _buttons(page) -> list[str]:
    return [button.get_text(" ", strip=True) for button in page.select("main .govuk-button")]


def test_the_dashboard_and_starting_an_entry_read_in_welsh(world):
    world.entry("draft")
    editor = world.client("editor")

    page = _welsh(editor, "/cy/manage")
    assert page.h1.get_text(strip=True) == "Eich cofnodion"
    assert page.title.get_text(strip=True).startswith("Eich cofnodion – ")
    assert "Creu cofnod" in _buttons(page)
    draft = page.select_one("#draft")
    assert draft.get_text(strip=True) == "Drafft (1)"
    headings = [th.get_text(strip=True) for th in draft.find_next("table").select("thead th")]
    assert headings == ["Cyfeirnod", "Teitl", "Sefydliad"]

    page = _welsh(editor, "/cy/manage/entries/new")
    assert page.h1.get_text(strip=True) == "Creu cofnod"
    assert page.select_one("label[for=title]").get_text(strip=True) == "Beth yw enw’r offeryn?"
    owner = page.find("strong", string="Northshire County Council").parent
    assert " ".join(owner.get_text().split()) == (
        "Bydd y cofnod yn perthyn i Northshire County Council."
    )
    assert _buttons(page) == ["Cadw a pharhau", "Dod o hyd i gofnodion"]


def test_a_new_entry_without_a_title_is_explained_in_welsh_next_to_the_field(world):
    editor = world.client("editor")
    page = _welsh(editor, "/cy/manage/entries/new")
    data = {**form_data(page), "title": "  "}
    page = editor.post_page("/cy/manage/entries/new", data)
    assert page.find("html")["lang"] == "cy"
    assert page.title.get_text(strip=True).startswith("Gwall: Creu cofnod")
    assert page.select_one(".govuk-error-summary h2").get_text(strip=True) == (
        "Mae problem wedi codi"
    )
    assert messages(page) == ["Rhowch deitl yr offeryn"]
    assert page.select_one("#title-error").get_text(" ", strip=True) == (
        "Gwall: Rhowch deitl yr offeryn"
    )


def test_an_editor_records_and_submits_an_entry_in_welsh(world):
    reference = world.entry("draft")
    editor = world.client("editor")

    page = _welsh(editor, f"/cy/manage/entries/{reference}")
    assert page.select_one(".govuk-caption-l").get_text(strip=True) == (
        f"{reference} · Northshire County Council"
    )
    assert "Cyflwr: Drafft" in page.get_text(" ", strip=True)
    assert page.find("h2", string="Ateb y cwestiynau") is not None
    statuses = {s.get_text(strip=True) for s in page.select(".govuk-task-list__status")}
    assert statuses <= {"Heb ddechrau", "Ar y gweill", "Wedi’i gwblhau"}
    assert "Ar y gweill" in statuses
    assert "Gwirio eich atebion a’u cyflwyno" in _buttons(page)
    assert page.find("a", string="Yn ôl i’ch cofnodion")["href"] == "/cy/manage"

    page = _welsh(editor, f"/cy/manage/entries/{reference}/about")
    assert "Gallwch gadw eich atebion unrhyw bryd" in page.select_one("main").get_text(" ")
    assert page.find("a", string="Yn ôl i’r rhestr tasgau") is not None
    assert "Cadw a pharhau" in _buttons(page)

    # A section with repeating groups: its buttons and empty lists are said in Welsh.
    page = _welsh(editor, f"/cy/manage/entries/{reference}/risks")
    adding = [b for b in _buttons(page) if b.startswith("Ychwanegu ")]
    assert len(adding) == 2
    assert not any(b.startswith("Add ") for b in _buttons(page))
    assert page.find("p", string=lambda text: text and text.startswith("Dim ")) is not None

    page = _welsh(editor, f"/cy/manage/entries/{reference}/check")
    assert page.h1.get_text(strip=True) == "Gwirio eich atebion"
    assert page.find("h2", string="Nawr cyflwynwch y cofnod i’w adolygu") is not None
    assert _buttons(page) == ["Cyflwyno i’w adolygu"]
    assert page.select_one("#completeness").get_text(strip=True).startswith("Atebwyd 1 o ")
    assert page.select_one(".govuk-details__summary-text").get_text(strip=True) == (
        "Pa atebion sydd ar goll"
    )

    # Saving answers from the Welsh page says so in Welsh, and stays in Welsh.
    page = _welsh(editor, f"/cy/manage/entries/{reference}/about")
    response = editor.post(
        f"/cy/manage/entries/{reference}/about", {**form_data(page), "save_as_draft": "y"}, 302
    )
    assert response.headers["Location"].startswith("/cy/manage/")
    page = _welsh(editor, response.headers["Location"])
    assert "Mae eich atebion wedi’u cadw." in banner(page)


def test_a_publisher_reviews_publishes_and_retires_in_welsh(world):
    reference = world.entry("in_review")
    publisher = world.client("publisher")

    page = _welsh(publisher, f"/cy/manage/entries/{reference}/review")
    assert page.h1.get_text(" ", strip=True).startswith("Adolygu ")
    assert page.find("h2", string="Cofnod newydd") is not None
    assert page.find("h2", string="Ei gyhoeddi") is not None
    assert page.find("h2", string="Neu ei anfon yn ôl") is not None
    assert _buttons(page) == ["Cyhoeddi", "Anfon yn ôl"]
    assert page.select_one("label[for=comment]").get_text(strip=True) == "Beth sydd angen ei newid"

    response = publisher.post(
        f"/cy/manage/entries/{reference}/review/publish", {"change_note": ""}, 302
    )
    page = _welsh(publisher, response.headers["Location"])
    assert f"Mae fersiwn 1 o {reference} wedi’i chyhoeddi." in banner(page)
    assert "Cyflwr: Cyhoeddwyd" in page.get_text(" ", strip=True)

    page = _welsh(publisher, f"/cy/manage/entries/{reference}/retire")
    assert page.h1.get_text(" ", strip=True).startswith("Ymddeol ")
    assert _buttons(page) == ["Parhau"]
    data = {"retirement_reason": "", "retired_on": "", "check": "y"}
    page = publisher.post_page(f"/cy/manage/entries/{reference}/retire", data)
    assert messages(page) == ["Rhowch y rheswm pam yr ymddeolwyd yr offeryn"]
    assert page.select_one("#retirement_reason-error").get_text(" ", strip=True) == (
        "Gwall: Rhowch y rheswm pam yr ymddeolwyd yr offeryn"
    )
    data = {"retirement_reason": "Replaced by a new system.", "retired_on": "", "check": "y"}
    page = publisher.post_page(f"/cy/manage/entries/{reference}/retire", data)
    assert page.h1.get_text(strip=True) == "Gwirio sut y bydd y cofnod wedi ymddeol yn darllen"
    assert page.find("h2", string="Beth fydd y cyhoedd yn ei weld") is not None
    assert _buttons(page) == ["Ymddeol yr offeryn hwn", "Newid eich atebion"]

    page = _welsh(publisher, f"/cy/manage/entries/{reference}/history")
    assert page.h1.get_text(" ", strip=True).startswith("Hanes ")
    headings = [th.get_text(strip=True) for th in page.select("thead th")]
    assert headings == ["Pryd", "Pwy", "Gweithred", "O", "At", "Manylion"]
    actions = [row.select("td")[2].get_text(strip=True) for row in page.select("tbody tr")]
    assert actions[-2:] == ["Cyflwynwyd i’w adolygu", "Cyhoeddwyd"]


def test_withdrawing_asks_for_a_reason_in_welsh(world):
    reference = world.entry("published")
    admin = world.client("admin")
    page = _welsh(admin, f"/cy/manage/entries/{reference}/withdraw")
    assert page.h1.get_text(" ", strip=True).startswith("Tynnu ")
    assert (
        page.select_one(".govuk-warning-text")
        .get_text(" ", strip=True)
        .startswith("! Rhybudd Ni ellir dadwneud tynnu’n ôl.")
    )
    page = admin.post_page(f"/cy/manage/entries/{reference}/withdraw", {"reason": ""})
    assert messages(page) == [
        "Rhowch y rheswm, a fydd yn cael ei ddangos i’r cyhoedd",
        "Cadarnhewch eich bod yn deall na ellir dadwneud tynnu’n ôl",
    ]
    assert page.select_one("#reason-error").get_text(" ", strip=True) == (
        "Gwall: Rhowch y rheswm, a fydd yn cael ei ddangos i’r cyhoedd"
    )


def test_importing_and_api_tokens_read_in_welsh(world):
    publisher = world.client("publisher")

    page = _welsh(publisher, "/cy/manage/import")
    assert page.h1.get_text(strip=True) == "Mewnforio cofnodion o ffeil"
    assert page.select_one("label[for=file]").get_text(strip=True) == "Dewis ffeil"
    assert page.find("a", string="Ei mewnforio drwy fapio ei cholofnau")["href"] == (
        "/cy/manage/import/columns"
    )
    assert _buttons(page) == ["Gwirio’r ffeil"]
    # Sending no file is explained in Welsh, next to the file field.
    page = publisher.post_page("/cy/manage/import", {"format": "atrs"})
    assert page.select_one("#file-error").get_text(" ", strip=True) == (
        "Gwall: Dewiswch ffeil i’w mewnforio"
    )

    page = _welsh(publisher, f"/cy/manage/organisations/{ORGANISATION}/api-tokens")
    assert page.h1.get_text(strip=True) == "Tocynnau API"
    assert page.find("h2", string="Creu tocyn") is not None
    assert "Nid oes gan Northshire County Council docynnau API eto." in page.get_text(" ")
    assert page.select_one("label[for=name]").get_text(strip=True) == "Enw"
    page = publisher.post_page(f"/cy/manage/organisations/{ORGANISATION}/api-tokens", {})
    assert messages(page) == ["Rhowch enw ar gyfer y tocyn, mewn 100 nod neu lai"]


def test_the_session_timeout_dialog_is_given_its_words_in_welsh(world):
    editor = world.client("editor")
    page = _welsh(editor, "/cy/manage")
    box = page.select_one("#session-end")
    texts = json.loads(box["data-texts"])
    assert texts["countdown"] == "Er eich diogelwch, byddwn yn eich allgofnodi ymhen %{time}."
    assert texts["minutes"]["two"] == "%{count} funud"
    assert texts["minutes"]["other"] == "%{count} munud"
    assert texts["signedOut"] == "Rydych wedi cael eich allgofnodi"
    assert box.select_one("[data-close]").get_text(strip=True) == "Mynd yn ôl i’r dudalen"

    texts = json.loads(editor.get("/manage").select_one("#session-end")["data-texts"])
    assert texts["countdown"] == "For your security, we will sign you out in %{time}."
    assert texts["minutes"] == {
        "zero": "%{count} minutes",
        "one": "%{count} minute",
        "two": "%{count} minutes",
        "few": "%{count} minutes",
        "many": "%{count} minutes",
        "other": "%{count} minutes",
    }


def test_an_import_report_reads_in_welsh(world):
    publisher = world.client("publisher")
    rows = [us_row(1), us_row(2, use_case_name=""), us_row(3)]
    report_url = _uploaded_in_welsh(world, publisher, rows)
    assert report_url.startswith("/cy/manage/import/")

    page = _welsh(publisher, report_url)
    assert page.h1.get_text(strip=True) == "Adroddiad mewnforio ar gyfer inventory.csv"
    assert page.select_one("#headline").get_text(strip=True) == (
        "Darllenwyd 3 rhes: 2 gofnod i’w creu, 0 i’w diweddaru, 0 heb newid, "
        "1 rhes gyda phroblemau (fel drafftiau)."
    )
    keys = [key.get_text(strip=True) for key in page.select(".govuk-summary-list__key")]
    assert keys[:4] == [
        "Cofnodion i’w creu",
        "Cofnodion i’w diweddaru",
        "Heb newid",
        "Rhesi gyda phroblemau",
    ]
    assert page.find("h2", string="Problemau") is not None
    assert _buttons(page) == ["Mewnforio’r rhesi heb broblemau", "Peidio â mewnforio dim"]

    response = publisher.post(report_url, {"import_valid": "y"}, 302)
    page = _welsh(publisher, response.headers["Location"])
    assert "Darllenwyd 3 rhes: crëwyd 2 gofnod" in banner(page)


def test_a_publisher_refused_their_own_submission_is_told_why_in_welsh(world):
    reference = world.entry("in_review", author="publisher")
    publisher = world.client("publisher")
    review = f"/cy/manage/entries/{reference}/review"
    own = (
        "Chi a gyflwynodd y cofnod hwn, felly rhaid i gyhoeddwr arall ei adolygu. Nid yw "
        "Northshire County Council yn caniatáu i gyhoeddwyr gymeradwyo eu cofnodion eu hunain."
    )
    assert own in _welsh(publisher, review).main.get_text(" ", strip=True)
    page = publisher.post_page(f"{review}/publish", {}, form_url=review)
    assert page.find("html")["lang"] == "cy"
    assert messages(page) == [own]
    assert world.state(reference) == "in_review"
    # The same refusal on the English page reads as it always has.
    page = publisher.post_page(
        f"/manage/entries/{reference}/review/publish",
        {},
        form_url=f"/manage/entries/{reference}/review",
    )
    assert messages(page) == [
        "You submitted this entry, so another publisher must review it. "
        "Northshire County Council does not allow publishers to approve their own entries."
    ]


def test_a_workflow_step_the_entry_is_not_ready_for_is_refused_in_welsh(world):
    reference = world.entry("published")
    editor = world.client("editor")
    task_list = f"/cy/manage/entries/{reference}"
    editor.post(f"{task_list}/revise", {}, 302, form_url=task_list)
    response = editor.post(f"{task_list}/revise", {}, 302, form_url=task_list)
    assert response.headers["Location"] == task_list
    assert "Dim ond cofnod cyhoeddedig y gellir ei ddiwygio." in banner(_welsh(editor, task_list))


def _bulk_rows(page) -> dict[str, str]:
    """The bulk confirmation page's entries: reference -> why it cannot take the step."""
    found = {}
    for item in page.select("#entries .govuk-checkboxes__item"):
        why = item.select_one(".govuk-error-message")
        text = why.get_text(" ", strip=True) if why else ""
        found[item.select_one("input")["value"]] = text.removeprefix("Gwall: ")
    return found


def test_a_bulk_step_refused_says_why_in_welsh(world):
    incomplete = world.entry("draft", values={"title": "Half done"})
    ready = world.entry("revision")
    publisher = world.client("publisher")
    query = f"action=submit&entries={ready}&entries={incomplete}"
    page = _welsh(publisher, f"/cy/manage/bulk?{query}")
    not_ready = "Nid yw rhai cwestiynau gofynnol wedi’u hateb eto."
    assert _bulk_rows(page) == {ready: "", incomplete: not_ready}
    assert f"{incomplete}: {not_ready}" in messages(page)

    response = publisher.client.post("/cy/manage/bulk", data=page_form(page))
    assert response.status_code == 200
    refused = check_page(response)
    assert refused.find("html")["lang"] == "cy"
    assert _bulk_rows(refused)[incomplete] == not_ready
    assert [world.state(ready), world.state(incomplete)] == ["draft", "draft"]

    # Nothing ticked: said beside the checkboxes, in Welsh.
    own = world.entry("in_review", author="publisher")
    page = _welsh(publisher, f"/cy/manage/bulk?action=publish&entries={own}")
    assert _bulk_rows(page)[own].startswith("Chi a gyflwynodd y cofnod hwn")


def test_an_import_with_bad_rows_names_its_problems_in_welsh(world):
    publisher = world.client("publisher")
    rows = [
        us_row(1),
        us_row(2, use_case_name=""),
        us_row(1, benefits="Different."),
    ]
    page = _welsh(publisher, _uploaded_in_welsh(world, publisher, rows))
    problems = [
        [cell.get_text(" ", strip=True) for cell in row.select("td")]
        for row in page.select_one("#problems").find_next("table").select("tbody tr")
    ]
    assert problems == [
        ["rhes 3", "title", "", "Nid oes gan y rhes deitl (enw) ar gyfer yr offeryn"],
        ["rhes 4", "", "DOT-0001", "Yr un cofnod â rhes 2, gydag atebion gwahanol"],
    ]
    listed = page.select_one("#rows").find_next("table").select("tbody tr")
    assert [row.select_one("td").get_text(strip=True) for row in listed] == [
        "rhes 2",
        "rhes 3",
        "rhes 4",
    ]


def test_the_copy_page_says_what_a_copy_takes_and_leaves_in_welsh(world):
    reference = world.entry("published")
    page = _welsh(world.client("outside_editor"), f"/cy/manage/entries/{reference}/copy")
    copied = {
        row.dt.get_text(strip=True): [li.get_text(strip=True) for li in row.select("li")]
        for row in page.select(".govuk-summary-list__row")
    }
    assert "Asesiadau effaith (heb eu dyddiad)" in copied["Risgiau ac effaith"]
    not_copied = [li.get_text(strip=True) for li in page.select("#not-copied-list li")]
    assert not_copied[0] == "Sefydliad"
    assert not_copied[-5:] == [
        "Dyddiadau asesiadau effaith",
        "Ei adolygiadau a’i ddyddiadau adolygu",
        "Ei hanes: fersiynau cynharach, nodiadau newid a phwy wnaeth beth",
        "O ble y cafodd ei fewnforio",
        "Adborth gan y cyhoedd",
    ]


def test_withholding_a_repeating_group_is_explained_in_welsh(world):
    world.entry(values=publishable_values(), rows={"risks": [A_RISK]})
    editor = world.client("editor")
    risks = "/cy/manage/entries/AIR-00001/risks"
    data = _withhold(form_data(_welsh(editor, risks)), "risks", "personal_data")
    page = editor.post_page(risks, data)
    assert messages(page) == ["Tynnwch bob risg cyn dal y risgiau yn ôl"]

    world.entry(values=publishable_values())
    risks = "/cy/manage/entries/AIR-00002/risks"
    data = _withhold(form_data(_welsh(editor, risks)), "risks", "personal_data")
    editor.post(risks, data, 302)
    notice = _welsh(editor, risks).select_one("#risks-withheld").get_text(" ", strip=True)
    assert notice == (
        "Mae’r ateb hwn yn cael ei ddal yn ôl o’r cofnod cyhoeddus. Mae’r cofnod yn dangos "
        "“Wedi’i ddal yn ôl: Data personol” yn lle ei risgiau. Mae ychwanegu risg yn rhoi’r "
        "gorau i’w dal yn ôl."
    )
    page = editor.get("/manage/entries/AIR-00002/risks")
    assert page.select_one("#risks-withheld").get_text(" ", strip=True) == (
        "This answer is withheld from the public record. The entry shows “Withheld: Personal "
        "data” instead of its risks. Adding a risk stops withholding them."
    )


def test_mapping_columns_names_the_questions_and_previews_the_answers_in_welsh(
    client_request, sign_in, city
):
    sign_in(city["admin"])
    upload = "/cy/manage/import/columns"
    data = {
        "csrf_token": client_request.csrf_token(upload),
        "file": (io.BytesIO(SAMPLE.read_bytes()), "nyc.csv"),
    }
    response = client_request.client.post(upload, data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    columns_url = response.headers["Location"]
    page = _welsh(client_request, columns_url)
    shown = columns_table(page)
    assert shown["tool_name"].hint == "Teitl: wedi’i awgrymu gan ei henw"
    menu = page.select_one("#column-table select")
    options = [option.get_text(strip=True) for option in menu.select("option")]
    assert options[:4] == [
        "Gwybodaeth arall, wedi’i labelu gyda’r golofn",
        "Dim: ei adael allan",
        "Dynodwr (un y ffeil ei hun, sy’n gwahaniaethu rhwng ei rhesi)",
        "Teitl",
    ]
    assert "Risg: enw" in options
    # Two columns for a question that takes one: refused in Welsh.
    page = check_page(mapped(client_request, columns_url, {"agency": "title"}))
    assert messages(page)[0] == (
        "Dim ond un golofn all fynd i Teitl: mae “agency” yn gwneud hynny’n barod"
    )

    preview = _welsh(client_request, preview_of(client_request, columns_url))
    first = cards(preview)[0]
    assert first["title"].startswith("Rhes 2: RBIS")
    assert list(first["answers"])[:4] == ["Teitl", "Sefydliad", "Yn cael ei ddefnyddio o", "Diben"]
    assert first["answers"]["Yn cael ei ddefnyddio o"] == "Tachwedd 2019"
    assert first["notes"] == [
        "colofn “tool_desc_brief”, gwerth “ALARM is a combined approach using machine learning "
        "and risk ratios to assess...”: yn hwy na’r 500 nod y mae Crynodeb yn eu caniatáu, "
        "felly caiff ei gadw’n llawn yn Gwybodaeth arall"
    ]
