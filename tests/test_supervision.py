"""Supervision: working days on the official calendar, each rule at its boundary, coverage judged from the signed
release history, thresholds a county may only tighten, and the findings in the one error shape."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import shutil
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongshi.county import check_county
from gongshi.settings import Settings
from gongshi.supervision import THRESHOLDS, VIOLATION, supervise, thresholds
from gongshi.supervision.calendar import WorkCalendar
from gongshi.supervision.rules import exact, notice_day

from conftest import ROOT

DEMO = ROOT / "data" / "519901"
HISTORY = ROOT / "history"
TODAY = dt.date(2026, 11, 21)


@pytest.fixture(scope="module")
def demo():
    return demo_check()


def judged(check, today=TODAY, history=HISTORY, **values):
    return supervise(check.model, check.tables, today, {**thresholds()[0], **values}, WorkCalendar(), history)


def of(findings, code, subject_id=None, status=None):
    return [f for f in findings if f.code == code and (subject_id is None or f.subject_id == subject_id)
            and (status is None or f.status == status)]


# Working days.
def test_fifteen_working_days_across_spring_festival_end_on_7_march_not_2_march():
    calendar = WorkCalendar()
    assert calendar.is_workday(dt.date(2018, 2, 11)) and calendar.is_workday(dt.date(2018, 2, 24))  # 调休
    assert not calendar.is_workday(dt.date(2018, 2, 16))
    assert calendar.add(dt.date(2018, 2, 9), 15) == dt.date(2018, 3, 7)
    weekdays, day = 0, dt.date(2018, 2, 9)
    while weekdays < 15:  # what counting Monday to Friday would say
        day += dt.timedelta(days=1)
        weekdays += day.weekday() < 5
    assert day == dt.date(2018, 3, 2)
    assert calendar.between(dt.date(2018, 2, 9), dt.date(2018, 3, 7)) == 15


def test_fifteen_working_days_across_national_day_end_on_24_october():
    assert WorkCalendar().add(dt.date(2018, 9, 28), 15) == dt.date(2018, 10, 24)


def test_a_year_not_yet_announced_is_never_guessed_unless_the_settings_declare_it():
    assert WorkCalendar().add(dt.date(2026, 12, 20), 15) is None
    assert not WorkCalendar().known(2027)
    declared = WorkCalendar({"2027": {"holidays": ["2027-01-01"], "workdays": []}})
    assert declared.known(2027)
    assert declared.add(dt.date(2026, 12, 30), 2) == dt.date(2027, 1, 4)  # 31 Dec, then 4 Jan after the holiday


# Thresholds.
def test_a_county_may_tighten_a_threshold_but_never_relax_it():
    values, refused = thresholds(county={"allocation_notice_within": 10, "county_spot_check_min": 0.2})
    assert values["allocation_notice_within"] == 10 and values["county_spot_check_min"] == 0.2 and not refused
    values, refused = thresholds(county={"allocation_notice_within": 30, "county_spot_check_min": 0.05,
                                         "no_such_rule": 1})
    assert values["allocation_notice_within"] == 15 and values["county_spot_check_min"] == 0.10
    assert len(refused) == 3
    for threshold in THRESHOLDS.values():
        assert threshold.source and threshold.stricter in ("lower", "higher")


# The rules at their boundaries, on the demo county.
def test_an_allocation_notice_on_its_last_day_passes_and_one_day_more_fails(demo):
    calendar = WorkCalendar()
    a = next(a for a in demo.model.allocations.values() if a.notices and exact(a.allocated_on)
             and any(notice_day(n) for n in a.notices))
    day = min(notice_day(n) for n in a.notices if notice_day(n))
    n = calendar.between(a.allocated_on, day)
    in_time = [f.status for f in of(judged(demo, allocation_notice_within=n), "allocation-notice-late",
                                    a.allocation_id)]
    assert in_time == []
    late = of(judged(demo, allocation_notice_within=n - 1), "allocation-notice-late", a.allocation_id)
    assert [f.status for f in late] == [VIOLATION] and late[0].actual == day


def test_a_deadline_on_a_holiday_runs_to_the_next_working_day():
    """2025-01-15 + 9 working days is 27 January; the Spring Festival holiday starts on the 28th, so a notice up on
    the 30th has used no tenth working day: it is in time."""
    calendar = WorkCalendar()
    assert calendar.add(dt.date(2025, 1, 15), 9) == dt.date(2025, 1, 27)
    assert calendar.between(dt.date(2025, 1, 15), dt.date(2025, 1, 30)) == 9
    assert calendar.between(dt.date(2025, 1, 15), dt.date(2025, 2, 5)) == 10


def test_an_allocation_without_a_date_cannot_be_judged(demo):
    a = next(iter(demo.model.allocations.values()))
    saved = a.allocated_on
    try:
        a.allocated_on = None
        statuses = [f.status for f in of(judged(demo), "allocation-notice-late", a.allocation_id)]
        assert statuses == ["cannot-judge"]
    finally:
        a.allocated_on = saved


def test_a_deadline_in_a_year_not_announced_cannot_be_judged_but_one_long_past_still_can(demo):
    """On 4 January 2027, a year the calendar does not know yet: a deadline that falls in 2027 cannot be judged,
    one that ran out in 2019 is still missed (the new year must not wipe the page)."""
    day = dt.date(2027, 1, 4)
    found = judged(demo, today=day, disbursement_after_acceptance_within=60)  # XM2026-001's deadline: in 2027
    assert [f.status for f in of(found, "funds-undisbursed", "XM2026-001")] == ["cannot-judge"]
    assert [f.status for f in of(found, "allocation-notice-late", "ZJ2019-001")] == [VIOLATION]
    before = len([f for f in judged(demo, today=dt.date(2026, 12, 31)) if f.status == VIOLATION])
    assert len([f for f in judged(demo, today=day) if f.status == VIOLATION]) >= before



WORKING_DAY_RULES = [("allocation-notice-late", "allocation_notice_within"),
                     ("after-completion-notice-missing", "after_completion_notice_within"),
                     ("upstream-transfer-late", "upstream_transfer_within"),
                     ("project-start-late", "project_start_within"),
                     ("funds-unassigned", "funds_unassigned_after"),
                     ("funds-undisbursed", "disbursement_after_acceptance_within")]


@pytest.mark.parametrize("code,setting", WORKING_DAY_RULES)
def test_each_working_day_rule_passes_at_n_and_fails_at_n_plus_one(demo, code, setting):
    """For a case of the demo, N working days from its event to what was done (or to today) is in time at a
    threshold of N and late at N - 1: the day after the deadline is the first day late."""
    calendar = WorkCalendar()
    strict = [f for f in of(judged(demo, **{setting: 0}), code, status=VIOLATION) if f.start]
    assert strict, code
    case = strict[0]
    n = calendar.between(case.start, case.actual or TODAY)
    at_n = [f.status for f in of(judged(demo, **{setting: n}), code, case.subject_id)]
    one_less = [f.status for f in of(judged(demo, **{setting: n - 1}), code, case.subject_id)]
    assert VIOLATION not in at_n and (at_n == [] or at_n == ["pending"]), (case, at_n)
    assert one_less == [VIOLATION], (case, one_less)


def test_funds_idle_a_year_to_the_day_is_not_yet_idle(demo):
    case = of(judged(demo), "funds-idle", status=VIOLATION)[0]
    assert [f.code for f in judged(demo, funds_idle_days=(case.days, 730)) if f.subject_id == case.subject_id
            and f.status == VIOLATION and f.code == "funds-idle"] == []
    assert of(judged(demo, funds_idle_days=(case.days - 1, 730)), "funds-idle", case.subject_id)


def test_inspections_escalation_and_supervisors_at_their_boundaries(demo):
    assert of(judged(demo), "inspection-frequency", "2025Q2", status=VIOLATION)
    assert not of(judged(demo, inspections_per_quarter=0), "inspection-frequency", status=VIOLATION)
    pressed = of(judged(demo), "rectification-escalate", status=VIOLATION)[0]
    assert of(judged(demo, rectification_escalate_after=pressed.days), "rectification-escalate", pressed.subject_id)
    assert not of(judged(demo, rectification_escalate_after=pressed.days + 1), "rectification-escalate",
                  pressed.subject_id)
    late_letter = next(f for f in of(judged(demo), "supervisor-missing", status=VIOLATION) if f.actual)
    assert late_letter.actual > late_letter.due  # signed the day after work started or later

def test_a_rectification_is_overdue_the_day_after_its_deadline(demo):
    problem = next(r for r in demo.tables["problems"] if r["status"] == "open")
    deadline = problem["deadline"]
    before = [f.status for f in of(judged(demo, today=deadline), "rectification-overdue", problem["problem_id"])]
    assert before == ["pending"]
    after = of(judged(demo, today=deadline + dt.timedelta(days=1)), "rectification-overdue", problem["problem_id"])
    assert [f.status for f in after] == [VIOLATION] and after[0].days == 1


def test_the_spot_check_rate_at_the_minimum_passes(demo):
    accepted = [p for p in demo.model.projects.values() if p.status == "accepted" and p.year == 2025]
    checked = [p for p in accepted if any(a.stage == "county" for a in p.acceptances)]
    rate = len(checked) / len(accepted)
    at = len(of(judged(demo, county_spot_check_min=rate), "spot-check-below-minimum", "2025"))
    above = len(of(judged(demo, county_spot_check_min=rate + 0.001), "spot-check-below-minimum", "2025"))
    assert (at, above) == (0, 1)


def test_the_demo_has_a_few_honest_findings(demo):
    found = [f for f in judged(demo) if f.status == VIOLATION]
    codes = {f.code for f in found}
    assert {"allocation-notice-late", "funds-idle", "rectification-overdue", "rectification-escalate",
            "inspection-frequency", "upstream-transfer-late", "supervisor-missing"} <= codes
    assert not of(found, "before-start-notice-missing") and not of(found, "after-completion-notice-missing")
    overdue = of(found, "rectification-overdue")
    assert [f.subject_id for f in overdue] == ["WT2026-004"] and overdue[0].days == 57


# Coverage from the signed release history.
def test_a_project_added_to_the_data_after_its_notice_is_not_covered_by_it(demo, tmp_path):
    project = next(p for p in demo.model.projects.values() if p.status == "planned"
                   and any(n.kind == "before-start" for n in p.notices))
    notice = next(n for n in project.notices if n.kind == "before-start")
    after = exact(project.start_date) + dt.timedelta(days=1)
    covered = [f.status for f in of(judged(demo, today=after), "before-start-notice-missing", project.project_id)]
    assert covered == []
    history = tmp_path / "history"
    shutil.copytree(HISTORY, history)
    for version in (history / "519901").iterdir():  # the project was not in any release before the notice
        path = version / "projects.csv"
        if path.is_file():
            rows = path.read_text(encoding="utf-8").splitlines()
            path.write_text("\n".join(r for r in rows if not r.startswith(project.project_id + ",")) + "\n",
                            encoding="utf-8")
    found = of(judged(demo, today=after, history=history), "before-start-notice-missing", project.project_id)
    assert [f.status for f in found] == [VIOLATION], notice.notice_id
    assert found[0].by_history


# A stricter threshold never finds less; nothing crashes.
STRICTER = {key: (st.tuples(st.integers(0, t.default[0]), st.integers(0, t.default[1])).map(sorted).map(tuple)
                  if isinstance(t.default, tuple) else
                  st.floats(t.default, 1.0) if isinstance(t.default, float) else
                  st.integers(0, t.default) if t.stricter == "lower" else st.integers(t.default, 20))
            for key, t in THRESHOLDS.items()}


@functools.cache
def demo_check():
    """The demo county, checked once; not a fixture, so that Hypothesis never prints the whole model."""
    return check_county(DEMO, Settings())


@settings(max_examples=40, deadline=None)
@given(values=st.fixed_dictionaries({}, optional=STRICTER),
       today=st.dates(dt.date(2025, 1, 1), dt.date(2026, 12, 31)))
def test_a_stricter_threshold_never_yields_fewer_findings(values, today):
    merged, refused = thresholds(county=values)
    assert not refused
    check = demo_check()
    base = len([f for f in judged(check, today=today) if f.status == VIOLATION])
    strict = len([f for f in supervise(check.model, check.tables, today, merged, WorkCalendar(), HISTORY)
                  if f.status == VIOLATION])
    assert strict >= base


def test_money_not_paid_out_after_acceptance_is_pending_until_its_deadline_and_late_after(demo):
    project = demo.model.projects["XM2026-001"]
    done = max(a.accepted_on for a in project.acceptances if a.result == "passed")
    n = WorkCalendar().between(done, TODAY)
    pending = of(judged(demo, disbursement_after_acceptance_within=n), "funds-undisbursed", "XM2026-001")
    late = of(judged(demo, disbursement_after_acceptance_within=n - 1), "funds-undisbursed", "XM2026-001")
    assert [f.status for f in pending] == ["pending"] and [f.status for f in late] == [VIOLATION]
    assert late[0].amount == (project.funded * Decimal("0.9")).quantize(Decimal("0.01"))
    # Paid out but for the retention: nothing to find.
    paid = {"disbursement_id": "BZ-T", "project_id": "XM2026-001", "amount": late[0].amount, "paid_on": done}
    tables = {**demo.tables, "disbursements": [*demo.tables["disbursements"], paid]}
    found = supervise(demo.model, tables, TODAY, {**thresholds()[0], "disbursement_after_acceptance_within": n - 1},
                      WorkCalendar(), HISTORY)
    assert of(found, "funds-undisbursed", "XM2026-001") == []
    # Paid in full, but only after the deadline: still late, to the day it was paid.
    tables["disbursements"][-1] = {**paid, "paid_on": TODAY}
    found = supervise(demo.model, tables, TODAY, {**thresholds()[0], "disbursement_after_acceptance_within": n - 1},
                      WorkCalendar(), HISTORY)
    assert [(f.status, f.actual) for f in of(found, "funds-undisbursed", "XM2026-001")] == [(VIOLATION, TODAY)]


def test_a_rate_counts_the_cases_its_rule_judged(demo):
    from gongshi.supervision.report import county_supervision, summaries

    supervision = county_supervision(demo, Settings(history_path=HISTORY), TODAY)
    rules = {r.info.code: r for r in summaries(supervision, demo.model)}
    received = {r["allocation_id"] for r in demo.tables["allocations"] if r.get("received_on")}
    funded = [p for p in demo.model.projects.values() if p.status != "cancelled"
              and any(f.allocation.allocation_id in received for f in p.funds)]
    assert rules["project-start-late"].rate == (len(rules["project-start-late"].violations), len(funded))
    assert rules["spot-check-below-minimum"].rate is None  # judged year by year, not case by case
    good = check_county(ROOT / "tests" / "fixtures" / "good", Settings())
    bare = {r.info.code: r for r in summaries(county_supervision(good, Settings(), TODAY), good.model)}
    assert not bare["funds-undisbursed"].judged and bare["funds-undisbursed"].rate is None
    assert bare["project-start-late"].rate == (0, 0)  # no arrival dates recorded: nothing judged, no 0 %


def test_a_refused_setting_never_says_back_what_was_typed():
    _, refused = thresholds(county={"联系人 13912345678": 1, "allocation_notice_within": "13912345678x"})
    assert len(refused) == 2 and not any("139" in line for line in refused)


def test_actions_without_a_problem_ledger_are_an_error_not_a_crash(tmp_path):
    folder = shutil.copytree(DEMO, tmp_path / "519901")
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "problems"]
    (folder / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    (folder / "problems.csv").unlink()
    check = check_county(folder, Settings(allow_unsigned=True))
    found = [(p.code, p.path.rsplit("/", 1)[-1], p.row, p.field) for p in check.problems if p.is_error]
    assert ("reference-table-missing", "accountability_actions.csv", 2, "problem_id") in found


# Findings in the one error shape and as a CSV.
def test_gongshi_supervise_prints_the_findings_and_never_fails(tmp_path):
    from click.testing import CliRunner

    from gongshi.cli import main

    result = CliRunner().invoke(main, ["supervise", str(DEMO), "--today", "2026-11-21"])
    assert result.exit_code == 0, result.output
    assert "逾期未整改" in result.output and "rectification-overdue" in result.output
    assert "problems.csv" in result.output
    found = json.loads(CliRunner().invoke(main, ["supervise", str(DEMO), "--today", "2026-11-21", "--format",
                                                 "json"]).output)
    assert {p["code"] for p in found} >= {"rectification-overdue", "funds-idle"}
    overdue = next(p for p in found if p["code"] == "rectification-overdue")
    assert overdue["field"] == "deadline" and overdue["row"] > 1
    every = json.loads(CliRunner().invoke(main, ["supervise", str(DEMO), "--today", "2026-11-21", "--all",
                                                 "--format", "json"]).output)
    assert len(every) > len(found)


def test_the_findings_csv_is_safe_to_open_in_excel(demo, tmp_path):
    from gongshi.supervision.report import county_supervision, write_csv

    supervision = county_supervision(demo, Settings(), TODAY)
    path = write_csv(tmp_path / "findings.csv", supervision)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert rows[0][0] == "规则代码" and rows[1][0] == "code" and len(rows) == len(supervision.findings) + 2
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)


def test_the_readme_explains_each_rule_with_its_threshold_and_source():
    from gongshi.supervision import RULE_INFO

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Supervision:", 1)[1].split("\n### ", 1)[0]
    for code, info in RULE_INFO.items():
        assert f"`{code}` {info.name}" in section
        if info.setting:
            assert f"`{info.setting}` =" in section and THRESHOLDS[info.setting].source in section


# The pages: what an inspector opens on the demo site (built as on 2026-11-21).


def page(site, url):
    from bs4 import BeautifulSoup

    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_the_supervision_page_shows_each_rule_the_overdue_list_and_a_csv_that_agrees(demo_site, demo):
    county = page(demo_site, "519901")
    assert county.select_one('a[href$="519901/supervision/"]') is not None
    html = page(demo_site, "519901/supervision")
    assert "截至 2026-11-21" in html.select_one("p.lead").text
    rows = {tr["id"]: tr for tr in html.select("tr[id]")}
    expected = judged(demo)
    for code in ("allocation-notice-late", "funds-idle", "rectification-overdue", "project-start-late"):
        count = int(rows[code].select_one('td[data-label="违反"]').text)
        assert count == len(of(expected, code, status=VIOLATION)) > 0, code
    idle = rows["funds-idle"].select_one('td[data-label="比例"]').text
    assert idle.startswith(f"{len(of(expected, 'funds-idle', status=VIOLATION))} / 59")
    # The overdue list, the longest overdue first, links each case to its page.
    # Still not done first, the longest overdue first; then the cases done late, counted to the day they were done.
    overdue = html.find("h2", string="逾期事项（按逾期天数排列）").find_next("table").select("tbody tr")
    still = [int(tr.select_one('td[data-label="逾期天数"]').text) for tr in overdue if "open" in tr.get("class", [])]
    late = [int(tr.select_one('td[data-label="逾期天数"]').text) for tr in overdue if "open" not in tr.get("class", [])]
    assert overdue[:len(still)] == [tr for tr in overdue if "open" in tr.get("class", [])] and still and late
    assert still == sorted(still, reverse=True) and late == sorted(late, reverse=True)
    assert still[0] == (TODAY - dt.date(2019, 4, 28)).days
    transfer = next(f for f in expected if f.code == "upstream-transfer-late" and f.status == VIOLATION)
    row = next(tr for tr in overdue if transfer.subject_id in tr.text and "上级资金到县滞后" in tr.text)
    assert int(row.select_one('td[data-label="逾期天数"]').text) == (transfer.actual - transfer.due).days < 30
    assert row.select_one('td[data-label="办理日期"]').text == transfer.actual.isoformat()
    wt = next(tr for tr in overdue if "WT2026-004" in tr.text)
    assert wt.select_one('td[data-label="逾期天数"]').text == "57"
    assert wt.select_one("a")["href"].endswith("519901/problem/WT2026-004/")
    # The CSV holds every finding, the same violations as the page, and opens in Excel as text.
    with open(demo_site / "519901/supervision/findings.csv", encoding="utf-8-sig", newline="") as fh:
        lines = list(csv.reader(fh))
    assert lines[0][:3] == ["规则代码", "问题", "状态"] and lines[1][:3] == ["code", "name", "status"]
    violations = [line for line in lines[2:] if line[2] == "违反"]
    assert len(lines) - 2 == len(expected)
    assert len(violations) == len([f for f in expected if f.status == VIOLATION])
    assert sum(int(tr.select_one('td[data-label="违反"]').text) for tr in rows.values()) == len(violations)


def test_a_problem_has_its_page_with_the_steps_taken_and_how_long_it_is_overdue(demo_site):
    html = page(demo_site, "519901/problem/WT2026-004")
    steps = [li.text.split() for li in html.select("ol.timeline li")]
    assert [s[0] for s in steps] == ["2026年8月26日", "2026年10月9日", "2026年10月30日", "截至"]
    assert "书面督促" in html.select("ol.timeline li")[1].text and "约谈" in html.select("ol.timeline li")[2].text
    assert "已超过整改时限 57 天" in html.select("ol.timeline li")[3].text
    findings = [li.strong.text for li in html.select("section.findings li")]
    assert findings == ["逾期未整改", "多次督促仍不整改"]
    assert html.select_one('a[href$="519901/project/XM2026-004/"]') is not None
    closed = page(demo_site, "519901/problem/WT2025-002")
    assert "核查销号" in closed.select("ol.timeline li")[-1].text and not closed.select("section.findings")


def test_a_project_page_shows_its_supervisors_indicators_problems_and_evaluations(demo_site, demo):
    html = page(demo_site, "519901/project/XM2026-004")
    headings = [h.text for h in html.select("h2")]
    for title in ("监督发现", "绩效目标和完成情况", "监管责任", "发现的问题和整改"):
        assert title in headings, (title, headings)
    letter = [tr.text for tr in html.find("h2", string="监管责任").find_next("table").select("tbody tr")]
    assert any("2026年8月22日" in row for row in letter)  # signed after the start: the finding says so
    assert "监管责任未落实" in html.select_one("section.findings").text
    problem = html.find("h2", string="发现的问题和整改").find_next("table").select_one("tbody a")
    assert problem.text == "WT2026-004"
    indicators = html.find("h2", string="绩效目标和完成情况").find_next("table").select("tbody tr")
    assert len(indicators) == len([r for r in demo.tables["indicators"] if r["project_id"] == "XM2026-004"]) > 0
    evaluated = next(r["project_id"] for r in demo.tables["evaluations"])
    done = page(demo_site, f"519901/project/{evaluated}")
    assert "绩效评估" in [h.text for h in done.select("h2")]


def test_the_province_page_compares_counties_on_the_county_pages_rates(demo_site):
    html = page(demo_site, "supervision")
    row = next(tr for tr in html.select("tbody tr") if "演示县" in tr.text)
    county = page(demo_site, "519901/supervision")
    for code, name in (("funds-idle", "资金闲置"), ("project-start-late", "开工滞后")):
        mine = county.select_one(f'tr[id="{code}"] td[data-label="比例"]').text.split("（")[0]
        assert row.select_one(f'td[data-label="{name}"]').text.startswith(mine)
    assert row.select_one("a")["href"].endswith("519901/supervision/")


def test_script_and_formula_payloads_in_a_problem_come_out_escaped(tmp_path):
    from conftest import build_site

    data = tmp_path / "data"
    folder = shutil.copytree(DEMO, data / "519901")
    script = "<script>alert(1)</script><img src=x onerror=alert(1)>"
    for name, key, fields in (("problems", "WT2026-004", ("description", "measures")),
                              ("accountability_actions", "WZ2026-001", ("notes",))):
        path = folder / f"{name}.csv"
        with open(path, encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        for row in rows:
            if key in row.values():
                for field in fields:
                    row[field] = ("=HYPERLINK(\"http://x\")" if field == "description" else "") + script
        with open(path, "w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\r\n")
            writer.writeheader()
            writer.writerows(rows)
    result = build_site(data, tmp_path / "out", search=False)
    assert result.returncode == 0, result.stderr[-3000:]
    out = tmp_path / "out" / "519901"
    for url in ("problem/WT2026-004", "supervision", "project/XM2026-004"):
        html = (out / url / "index.html").read_text(encoding="utf-8")
        assert "<script" not in html and "<img" not in html, url
        assert "&lt;script&gt;" in html, url
    with open(out / "supervision/findings.csv", encoding="utf-8-sig", newline="") as fh:
        titles = [row[5] for row in csv.reader(fh) if row[4] == "WT2026-004"]
    assert titles and all(t.startswith("'=HYPERLINK") for t in titles)


def test_the_supervision_and_problem_pages_have_their_data_beside_them(demo_site):
    html = page(demo_site, "519901/supervision")
    data = json.loads((demo_site / "519901/supervision/index.json").read_text(encoding="utf-8"))
    assert data["today"] == TODAY.isoformat() and data["packageFingerprint"]
    for rule in data["rules"]:
        row = html.select_one(f'tr[id="{rule["code"]}"]')
        shown = row.select_one('td[data-label="违反"]').text
        assert shown == (str(rule["violations"]) if rule["judged"] else "未报送台账"), rule["code"]
    overdue = html.find("h2", string="逾期事项（按逾期天数排列）").find_next("table").select("tbody tr")
    assert [int(tr.select_one('td[data-label="逾期天数"]').text) for tr in overdue] == \
        [o["daysOverdue"] for o in data["overdue"]]
    problem = json.loads((demo_site / "519901/problem/WT2026-004/index.json").read_text(encoding="utf-8"))
    steps = page(demo_site, "519901/problem/WT2026-004").select("ol.timeline li")
    assert [a["kind"] for a in problem["actions"]] == ["written-reminder", "work-interview"]
    assert len(problem["actions"]) == len(steps) - 2  # besides "found" and "as of today"
    assert [f["code"] for f in problem["findings"]] == ["rectification-overdue", "rectification-escalate"]
