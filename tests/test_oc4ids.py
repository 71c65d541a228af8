"""OC4IDS: each county's projects validate against the official schemas, offline, and say what the pages say."""

from __future__ import annotations

import copy
import json
import socket
from decimal import Decimal

import pytest

from gongshi.opendata.oc4ids import PLACEHOLDER_PREFIX, errors, reference_errors

from conftest import GOLDEN


@pytest.fixture(scope="module")
def package(demo_site):
    return json.loads((demo_site / "519901" / "data" / "oc4ids-519901.json").read_text(encoding="utf-8"))


@pytest.fixture
def offline(monkeypatch):
    """No network: the schemas are the vendored files, never fetched."""
    def refuse(*args, **kwargs):
        raise OSError("network used")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_the_demo_package_validates_against_the_official_schema_offline(package, offline, demo_site):
    assert errors(package) == [] and reference_errors(package, PLACEHOLDER_PREFIX) == []
    assert package["version"] == "0.9" and package["uri"].endswith("/519901/data/oc4ids-519901.json")
    assert package["publishedDate"].endswith("T00:00:00+08:00")
    data_page = (demo_site / "519901" / "data" / "index.html").read_text(encoding="utf-8")
    assert 'href="oc4ids-519901.json"' in data_page


def test_a_broken_record_fails_with_the_path_to_what_is_wrong(package, offline):
    broken = copy.deepcopy(package)
    broken["projects"][3]["period"]["startDate"] = "2025-07-04"  # a date, not a date-time
    broken["projects"][5]["status"] = "finished"
    broken["projects"][6]["documents"][0]["url"] = "公告页面"
    found = errors(broken)
    assert any(e.startswith("projects/3/period/startDate:") for e in found), found
    assert any(e.startswith("projects/5/status:") for e in found), found
    assert any(e.startswith("projects/6/documents/0/url:") for e in found), found


def test_references_the_schema_cannot_check_are_checked_as_ocds_tools_do(package):
    """A reference to a party the project lacks, a name that differs from the party's, a party twice and a project
    outside the publisher's prefix are each reported at their path."""
    broken = copy.deepcopy(package)
    project = broken["projects"][2]
    project["publicAuthority"]["id"] = "no-such-unit"
    breakdown = next(b for b in project["budget"]["budgetBreakdowns"][0]["budgetBreakdown"] if "sourceParty" in b)
    breakdown["sourceParty"]["name"] = "另一个局"
    project["parties"].append(dict(project["parties"][0]))
    broken["projects"][4]["id"] = "ocds-abc123-519901-XM"
    found = reference_errors(broken, PLACEHOLDER_PREFIX)
    assert "projects/2/publicAuthority/id: names no party of the project" in found, found
    assert any(e.startswith("projects/2/budget/budgetBreakdowns/0/budgetBreakdown/") and e.endswith(
        "sourceParty/name: '另一个局' is not the party's name") for e in found), found
    assert any(e.startswith(f"projects/2/parties/{len(project['parties']) - 1}/id:") for e in found), found
    assert any(e.startswith("projects/4/id:") and "prefix" in e for e in found), found
    assert len(found) == 4, found


def test_the_projects_carry_the_figures_the_pages_show(package, demo_site):
    from bs4 import BeautifulSoup

    by_id = {p["gongshi"]["projectId"]: p for p in package["projects"]}
    for project_id in ("XM2025-001", "XM2026-004", "XM2026-032"):
        project = by_id[project_id]
        html = BeautifulSoup((demo_site / "519901" / "project" / project_id / "index.html").read_text(
            encoding="utf-8"), "html.parser")
        shown = html.select_one("dl.figures dd").text.replace(",", "").replace("元", "").strip()
        assert Decimal(str(project["budget"]["amount"]["amount"])) == Decimal(shown)
        assert project["budget"]["amount"]["currency"] == "CNY"
        parts = project["budget"]["budgetBreakdowns"][0]["budgetBreakdown"]
        assert sum(Decimal(str(b["amount"]["amount"])) for b in parts) == Decimal(shown)
        assert project["title"] == html.h1.text
        roles = {r for party in project["parties"] for r in party["roles"]}
        assert {"publicAuthority", "funder"} <= roles
        assert project["publicAuthority"]["id"] in {p["id"] for p in project["parties"]}
    # What OC4IDS has no field for is in the extension: the fund sources, the notices' periods, the ledgers.
    ext = by_id["XM2026-004"]["gongshi"]
    assert ext["notices"] and all({"start", "end", "kind"} <= set(n) for n in ext["notices"])
    assert ext["fundSources"][0]["documentNo"] and ext["supervisors"] and ext["problems"][0]["problemId"] == "WT2026-004"
    assert {f["code"] for f in ext["findings"]} >= {"supervisor-missing"}


def test_a_date_stated_only_to_the_month_is_not_guessed():
    import datetime as dt

    from gongshi.dates import PartialDate
    from gongshi.opendata.oc4ids import as_written, when

    assert when(dt.date(2025, 7, 4)) == "2025-07-04T00:00:00+08:00"
    month = PartialDate(2019, 3, 1, precision="month")
    assert when(month) is None and as_written(month) == "2019-03"


def test_the_golden_package_of_the_test_county_is_valid():
    golden = json.loads((GOLDEN / "519902" / "data" / "oc4ids-519902.json").read_text(encoding="utf-8"))
    assert errors(golden) == []
    assert [p["gongshi"]["projectId"] for p in golden["projects"]] == ["XM-1", "XM-2"]
