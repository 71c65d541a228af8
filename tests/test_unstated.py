"""Facts a real notice does not state stay unstated: shown as 未载明, counted as warnings, never invented; periods
are counted as the county's notices count them."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import DEMO, GOOD, ROOT, build_site


def gongshi(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gongshi", *args], cwd=ROOT, capture_output=True, text=True)


def problems(folder: Path) -> list[dict]:
    result = gongshi("validate", str(folder), "--format", "json")
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def edit(folder: Path, table: str, row_id: str, **values) -> None:
    """Set cells of the row whose first cell is row_id (as a clerk would in a spreadsheet)."""
    path = folder / f"{table}.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    for row in rows:
        if list(row.values())[0] == row_id:
            row.update(values)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def set_option(folder: Path, **options) -> None:
    path = folder / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["gongshi"].update(options)
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")


def page(output: Path, url: str) -> str:
    return BeautifulSoup((output / url / "index.html").read_text(encoding="utf-8"), "html.parser").get_text(" ")


@pytest.fixture
def county(tmp_path) -> Path:
    return shutil.copytree(GOOD, tmp_path / "data" / "519902")


def test_placeholders_are_read_as_not_stated_and_the_site_says_so(county, tmp_path):
    edit(county, "projects", "XM-1", responsible_person="（原公告未载明）", performance_targets="无", location="/")
    found = [p for p in problems(county) if p["code"] == "not-stated"]
    assert {(p["row"], p["field"]) for p in found} == {(2, "responsible_person"), (2, "performance_targets"),
                                                       (2, "location")}
    assert all(p["severity"] == "warning" for p in found)
    assert any("原公告未载明" in p["message"] for p in found)  # what the clerk wrote is said back, once
    built = build_site(tmp_path / "data", tmp_path / "site", allow_unsigned=True, search=False)
    assert built.returncode == 0, built.stderr
    project = page(tmp_path / "site", "519902/project/XM-1")
    assert project.count("未载明") >= 3 and "原公告未载明" not in project
    printed = page(tmp_path / "site", "519902/notice/GS-1/print")
    assert "未载明" in printed


def test_a_notice_that_states_no_period_is_shown_as_such_and_cannot_be_judged(county, tmp_path):
    edit(county, "notices", "GS-1", start_date="", end_date="")
    found = {(p["code"], p["field"]) for p in problems(county) if p["row"] == 2 and "notices" in p["path"]}
    assert {("not-stated", "start_date"), ("not-stated", "end_date"), ("cannot-judge", "start_date")} <= found
    assert not [p for p in problems(county) if p["code"] == "notice-period-too-short"]
    assert build_site(tmp_path / "data", tmp_path / "site", allow_unsigned=True, search=False).returncode == 0
    notice = page(tmp_path / "site", "519902/notice/GS-1")
    assert "公示期：未载明" in notice.replace(" ", "") and "正在公示" not in notice
    assert "公示期：未载明" in page(tmp_path / "site", "519902/notice/GS-1/print").replace(" ", "")


@pytest.mark.parametrize("counting, days, too_short", [
    (None, "共10个自然日", False),  # the default: both ends counted, as the notice writes it
    ("natural-days-inclusive", "共10个自然日", False),
    ("days-after-start", "共9天（首日不计）", True),
    ("working-days", "共8个工作日", True),
])
def test_a_period_is_counted_as_the_countys_notices_count_it(county, tmp_path, counting, days, too_short):
    # 莲都区's notice: "公示期从2023年8月14日至8月23日,共10个自然日" (a Monday to a Wednesday, no holiday).
    edit(county, "notices", "GS-1", start_date="2023-08-14", end_date="2023-08-23", published_on="2023-08-13")
    if counting:
        set_option(county, notice_days=counting)
    short = [p for p in problems(county) if p["code"] == "notice-period-too-short"]
    assert bool(short) == too_short
    if too_short:
        assert "不要改动日期" in short[0]["message"]  # check the notice; never move the date to pass
        return
    assert build_site(tmp_path / "data", tmp_path / "site", allow_unsigned=True, search=False).returncode == 0
    notice = page(tmp_path / "site", "519902/notice/GS-1").replace(" ", "")
    assert "2023年8月14日至2023年8月23日" in notice and days in notice and "公告日期：2023年8月13日" in notice
    assert "2023年8月13日" in page(tmp_path / "site", "519902/notice/GS-1/print")  # the seal's date, as signed


def test_working_days_in_a_year_whose_calendar_is_not_out_cannot_be_judged(county):
    edit(county, "notices", "GS-1", start_date="2027-03-01", end_date="2027-03-12")
    set_option(county, notice_days="working-days")
    found = [p for p in problems(county) if p["code"] in ("cannot-judge", "notice-period-too-short") and p["row"] == 2]
    assert [p["code"] for p in found] == ["cannot-judge"] and "节假日" in found[0]["message"]


def test_a_wrong_county_setting_is_an_error(county):
    set_option(county, notice_days="calendar-days", strict="sometimes", as_of="上个月")
    found = {p["field"] for p in problems(county) if p["code"] == "package-setting-invalid"}
    assert found == {"gongshi.notice_days", "gongshi.strict", "gongshi.as_of"}


def test_a_strict_county_must_state_its_new_records(county):
    edit(county, "projects", "XM-1", responsible_person="")  # a 2025 project
    set_option(county, strict=True)
    strict = [p for p in problems(county) if p["code"] == "not-stated"]
    assert strict and all(p["severity"] == "error" for p in strict)
    set_option(county, strict="2026-01-01")  # only records of 2026 and after
    assert all(p["severity"] == "warning" for p in problems(county) if p["code"] == "not-stated")


def test_sources_given_without_their_amounts_are_not_shown_as_numbers(county, tmp_path):
    funds = county / "project_funds.csv"
    lines = funds.read_text(encoding="utf-8").splitlines()
    funds.write_text("\n".join([lines[0]] + [",".join(line.split(",")[:2] + [""]) for line in lines[1:]]) + "\n",
                     encoding="utf-8")
    found = problems(county)
    assert not [p for p in found if p["code"] in ("project-underfunded", "project-overfunded", "allocation-overspent")]
    assert {p["code"] for p in found if p["code"] != "not-stated"} == {"cannot-judge"}
    assert build_site(tmp_path / "data", tmp_path / "site", allow_unsigned=True, search=False).returncode == 0
    project = page(tmp_path / "site", "519902/project/XM-1")
    assert "未分项公开" in project


def test_a_package_from_before_the_notice_date_column_still_validates_and_repair_adds_it(county):
    notices = county / "notices.csv"
    rows = list(csv.DictReader(io.StringIO(notices.read_text(encoding="utf-8"))))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[n for n in rows[0] if n != "published_on"], extrasaction="ignore",
                            lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    notices.write_text(buffer.getvalue(), encoding="utf-8")
    found = problems(county)
    assert [(p["code"], p["field"]) for p in found] == [("column-added", "published_on")]
    assert gongshi("repair", str(county)).returncode == 0
    assert "published_on" in notices.read_text(encoding="utf-8").splitlines()[0].split(",")


def test_the_demo_shows_a_notice_without_a_stated_period(demo_site):
    unstated = next(r for r in csv.DictReader(io.StringIO((DEMO / "notices.csv").read_text(encoding="utf-8")))
                    if not r["start_date"])
    notice = page(demo_site, f"519901/notice/{unstated['notice_id']}").replace(" ", "")
    assert "公示期：未载明" in notice and "公示期未载明" in page(demo_site, "519901").replace(" ", "")


def test_the_build_counts_what_notices_leave_out_in_one_line(county, tmp_path):
    edit(county, "projects", "XM-1", responsible_person="", performance_targets="", location="")
    built = build_site(tmp_path / "data", tmp_path / "site", allow_unsigned=True, search=False)
    assert built.returncode == 0, built.stderr
    lines = (built.stdout + built.stderr).splitlines()
    assert not [line for line in lines if "[not-stated]" in line]  # `gongshi validate` lists each
    summary = [line for line in lines if "未载明" in line and "519902" in line]
    assert len(summary) == 1 and "3 项内容原公告未载明" in summary[0] and "gongshi validate" in summary[0], lines
    assert len(problems(county)) == 3  # and validate still gives one warning per fact
