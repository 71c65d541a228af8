"""What completion notices report (actual spending, management fee, remainder recovered, completion date, builder),
dates written to the month or the year, notices dated against their projects, and allocation notices that carry
their project table."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from test_sources import allocation_notice, append, build, fields
from test_unstated import edit, page, problems

from conftest import GOOD


@pytest.fixture
def county(tmp_path) -> Path:
    return shutil.copytree(GOOD, tmp_path / "data" / "519902")


def completion_notice(folder: Path, **values) -> None:
    append(folder, "notices", **{"notice_id": "GS-9", "kind": "after-completion",
                                 "title": "一村茶叶基地提升项目竣工公告", "discloser_unit_id": "cw100201",
                                 "region_code": "519902100201", "year": "2025", "start_date": "2025-09-20",
                                 "end_date": "2025-09-29", "project_id": "XM-1", "published_on": "2025-09-19",
                                 **values})


def test_a_completion_notice_shows_what_was_spent(county, tmp_path):
    edit(county, "projects", "XM-1", actual_spending="78500.00", management_fee="1200", remainder_recovered="1500",
         completed_on="2025年8月", construction_unit="测试县茶叶专业合作社")
    completion_notice(county)
    found = problems(county)
    assert not [p for p in found if p["severity"] == "error"], found
    assert ("value-repaired", "completed_on") in {(p["code"], p["field"]) for p in found}
    site = build(tmp_path)
    shown = fields(site, "519902/project/XM-1")
    assert shown["实际支出"] == "78,500.00 元" and shown["管理费"] == "1,200.00 元"
    assert shown["结余资金"] == "1,500.00 元" and shown["竣工日期"] == "2025年8月"
    # The wall notice's columns fill the paper and no more: a wider table is cut off at the page's edge in the PDF.
    for url in ("519902/notice/GS-9/print", "519902/notice/GS-1/print"):
        soup = BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")
        widths = [int(col["style"].removeprefix("width:").removesuffix("%")) for col in soup.select("colgroup col")]
        assert sum(widths) == 100 and len(widths) == len(soup.select("thead th")), (url, widths)
    for url in ("519902/notice/GS-9", "519902/notice/GS-9/print"):
        text = page(site, url)
        for figure in ("实际支出", "78,500", "管理费", "1,200", "结余", "1,500", "2025年8月", "测试县茶叶专业合作社"):
            assert figure in text, (url, figure)


def test_spending_above_the_budget_is_a_warning_unless_the_notice_explains_it(county):
    edit(county, "projects", "XM-1", actual_spending="80715.00")
    found = [p for p in problems(county) if p["code"] == "spending-over-budget"]
    assert [(p["severity"], p["row"], p["field"]) for p in found] == [("warning", 2, "actual_spending")]
    assert "80,715.00" in found[0]["message"] and "spending_note" in found[0]["message"]
    edit(county, "projects", "XM-1", spending_note="原公告如此：完成总投资大于项目建设资金")
    assert not [p for p in problems(county) if p["code"] == "spending-over-budget"]


def test_a_time_limit_stated_as_a_year_or_a_month_is_kept_as_written(county, tmp_path):
    edit(county, "projects", "XM-1", start_date="2025年", end_date="2025年")
    edit(county, "projects", "XM-2", start_date="2025年5月", end_date="2025.9")
    found = problems(county)
    assert not [p for p in found if p["severity"] == "error"], found
    site = build(tmp_path)
    assert fields(site, "519902/project/XM-1")["建设期限"] == "2025年"
    assert fields(site, "519902/project/XM-2")["建设期限"] == "2025年5月至2025年9月"
    assert "2025年5月至2025年9月" in page(site, "519902/notice/GS-2/print")
    # Compared with their precision: a notice of March 2025 is not after a project whose time limit is 2025.
    assert not [p for p in found if p["code"] == "notice-after-project-end"]


def test_a_before_start_notice_after_the_project_ended_is_a_warning(county):
    # 温泉县: a before-start notice signed 2020年5月27日 for a project whose 实施期限 is 2019年.
    edit(county, "projects", "XM-1", year="2019", start_date="2019", end_date="2019")
    edit(county, "notices", "GS-1", year="2019", start_date="", end_date="", published_on="2020-05-27")
    found = [p for p in problems(county) if p["code"] == "notice-after-project-end"]
    assert [(p["severity"], p["row"]) for p in found] == [("warning", 2)]
    assert "2019年" in found[0]["message"] and "2020年5月27日" in found[0]["message"]


def test_a_completion_notice_before_the_completion_is_a_warning(county):
    edit(county, "projects", "XM-1", completed_on="2025-10")
    completion_notice(county)
    found = [p for p in problems(county) if p["code"] == "notice-before-completion"]
    assert [(p["severity"], p["field"]) for p in found] == [("warning", "start_date")]
    edit(county, "projects", "XM-1", completed_on="2025-09")
    assert not [p for p in problems(county) if p["code"] == "notice-before-completion"]


def test_an_allocation_notice_carries_its_project_table(county, tmp_path):
    allocation_notice(county)
    edit(county, "notices", "GS-3", kind="资金分配结果及项目公告")
    found = problems(county)
    assert ("value-repaired", "kind") in {(p["code"], p["field"]) for p in found}
    assert not [p for p in found if p["severity"] == "error"], found
    site = build(tmp_path)
    for url in ("519902/notice/GS-3", "519902/notice/GS-3/print"):
        soup = BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")
        tables = soup.select("table")
        assert len(tables) == 2, url
        assert "测财农〔2025〕1号" in tables[0].get_text() and "150,000.00" in tables[0].get_text()
        names = tables[1].get_text()
        assert "一村茶叶基地提升项目" in names and "二村通组道路硬化工程" in names
    # Each village its projects are in lists the notice (分配到哪里、公开到哪里).
    assert "测试县2025年度资金分配结果公告" in page(site, "519902/place/519902100201")


def test_the_budget_subject_is_shown_as_written(county, tmp_path):
    allocation_notice(county)
    edit(county, "allocations", "ZJ-1", budget_subject="2130599其他扶贫支出")
    assert not [p for p in problems(county) if p["severity"] == "error"]
    site = build(tmp_path)
    assert fields(site, "519902/allocation/ZJ-1")["支出科目"] == "2130599其他扶贫支出"
    assert "2130599其他扶贫支出" in page(site, "519902/notice/GS-3/print")
    assert "2130599其他扶贫支出" in page(site, "519902/notice/GS-3")
