"""Real notices are co-signed by several units, and real projects are carried out over several villages: each unit
and each place lists them, and their money is counted once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from test_unstated import edit, page, problems

from conftest import GOOD, build_site


@pytest.fixture
def county(tmp_path) -> Path:
    return shutil.copytree(GOOD, tmp_path / "data" / "519902")


def soup(output: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((output / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def figure(output: Path, url: str, label: str) -> str:
    """The value of one of a page's headline figures."""
    for item in soup(output, url).select("dl.figures > div"):
        if item.dt.get_text(strip=True) == label:
            return item.dd.get_text(" ", strip=True)
    raise AssertionError(f"no figure {label} on {url}")


def test_a_co_signed_notice_names_every_unit_and_each_lists_it(county, tmp_path):
    # As a clerk types it: a full-width comma between the two bureaus' ids.
    edit(county, "notices", "GS-2", discloser_unit_id="zf100，czj")
    found = problems(county)
    assert not [p for p in found if p["severity"] == "error"], found
    built = build_site(tmp_path / "data", tmp_path / "site", allow_unsigned=True, search=False)
    assert built.returncode == 0, built.stderr
    site = tmp_path / "site"
    notice = page(site, "519902/notice/GS-2")
    assert "甲镇人民政府 、 测试县财政局" in notice or "甲镇人民政府、测试县财政局" in notice
    # The wall notice has a seal and a phone for each.
    printed = page(site, "519902/notice/GS-2/print")
    assert printed.count("甲镇人民政府") >= 2 and printed.count("测试县财政局") >= 2
    assert "0838-5300101" in printed and "0838-5300001" in printed
    for unit in ("zf100", "czj"):
        assert "甲镇2025年度衔接资金项目计划公示" in page(site, f"519902/unit/{unit}")
    # The lists of notices name both.
    assert "甲镇人民政府、测试县财政局" in page(site, "519902/place/519902100000")


def test_list_separators_are_repaired_and_an_unknown_code_in_a_list_is_named(county):
    edit(county, "notices", "GS-2", discloser_unit_id="zf100 ； czj")
    repaired = [p for p in problems(county) if p["field"] == "discloser_unit_id"]
    assert [p["code"] for p in repaired] == ["value-repaired"], repaired
    assert "顿号" in repaired[0]["message"]
    # A phone number typed into the cell is not a list of ids: it is left as written, and found.
    edit(county, "notices", "GS-2", discloser_unit_id="139 1234 5678")
    found = [p for p in problems(county) if p["field"] == "discloser_unit_id"]
    assert "phone-number-published" in [p["code"] for p in found], found
    assert not [p for p in found if "5678" in p["message"] + p["message_en"]], found  # never said back
    edit(county, "notices", "GS-2", discloser_unit_id="zf100、nyj")
    found = [p for p in problems(county) if p["field"] == "discloser_unit_id"]
    assert [(p["code"], p["row"]) for p in found] == [("foreign-key-error", 3)], found
    assert "nyj" in found[0]["message"] and "zf100" not in found[0]["message"].split("“")[1]
    edit(county, "projects", "XM-2", region_code="519902100202、519902100299")
    found = [p for p in problems(county) if p["field"] == "region_code" and "projects" in p["path"]]
    assert [p["code"] for p in found] == ["foreign-key-error"] and "519902100299" in found[0]["message"]


def test_a_project_over_two_villages_is_listed_in_each_and_counted_once(county, tmp_path):
    edit(county, "projects", "XM-2", region_code="519902100202、519902100201", name="二村至一村连村道路硬化工程")
    assert not [p for p in problems(county) if p["severity"] == "error"]
    built = build_site(tmp_path / "data", tmp_path / "site", allow_unsigned=True, search=False)
    assert built.returncode == 0, built.stderr
    site = tmp_path / "site"
    for village in ("519902100201", "519902100202"):
        text = page(site, f"519902/place/{village}")
        assert text.count("二村至一村连村道路硬化工程") == 1, village
        assert "另有跨村项目" in text and "计入甲镇" in text
    # Each village's own figures leave the shared road out; the township counts it once.
    assert figure(site, "519902/place/519902100201", "项目") == "1 个"
    assert figure(site, "519902/place/519902100202", "项目") == "0 个"
    assert figure(site, "519902/place/519902100000", "项目") == "2 个"
    assert figure(site, "519902/place/519902100000", "项目总投资") == "14.00 万元"
    township = soup(site, "519902/place/519902100000")
    below = [row.get_text(" ", strip=True) for row in township.select("table.projects tbody tr")]
    assert sum("二村至一村连村道路硬化工程" in row for row in below) == 1
    assert any("二村 、 一村" in row or "二村、一村" in row for row in below)
    project = page(site, "519902/project/XM-2")
    assert "甲镇二村" in project and "甲镇一村" in project


def test_a_township_notice_of_a_shared_project_is_listed_on_both_villages(county, tmp_path):
    edit(county, "projects", "XM-2", region_code="519902100202、519902100201")
    edit(county, "notices", "GS-1", project_id="XM-2", discloser_unit_id="zf100", region_code="519902100000",
         title="甲镇2025年度二村至一村道路硬化工程实施前公示")
    built = build_site(tmp_path / "data", tmp_path / "site", allow_unsigned=True, search=False)
    assert built.returncode == 0, built.stderr
    for village in ("519902100201", "519902100202"):
        assert "甲镇2025年度二村至一村道路硬化工程实施前公示" in page(tmp_path / "site", f"519902/place/{village}")
    # and on the page of the unit that carries the project out
    assert "甲镇2025年度二村至一村道路硬化工程实施前公示" in page(tmp_path / "site", "519902/unit/cw100202")


def test_money_paid_through_a_project_from_a_county_allocation_is_shown_apart(county, tmp_path):
    # ZJ-2 goes to 二村 itself; ZJ-1 goes to 甲镇 and pays part of 二村's road: 10,000 reach 二村 through it.
    built = build_site(tmp_path / "data", tmp_path / "site", allow_unsigned=True, search=False)
    assert built.returncode == 0, built.stderr
    site = tmp_path / "site"
    assert figure(site, "519902/place/519902100202", "分配到本地的资金") == "5.00 万元"
    assert figure(site, "519902/place/519902100202", "经项目安排到本地的资金") == "1.00 万元"
    assert figure(site, "519902/place/519902100201", "经项目安排到本地的资金") == "8.00 万元"
    # At the township everything came by its own allocations: nothing is shown as through projects.
    with pytest.raises(AssertionError):
        figure(site, "519902/place/519902100000", "经项目安排到本地的资金")


def test_a_notice_lists_the_places_it_names_beyond_its_table(county, tmp_path):
    # 分配到哪里、公开到哪里: a notice whose text names a village its table does not lists it too.
    edit(county, "notices", "GS-1", covers="519902100202")
    assert not [p for p in problems(county) if p["severity"] == "error"]
    site = build_site(tmp_path / "data", tmp_path / "site", allow_unsigned=True, search=False)
    assert site.returncode == 0, site.stderr
    title = "一村2025年度茶叶基地提升项目实施前公示"
    assert title in page(tmp_path / "site", "519902/place/519902100202")
    assert "涉及" in page(tmp_path / "site", "519902/notice/GS-1") and "甲镇二村" in page(tmp_path / "site",
                                                                                       "519902/notice/GS-1/print")
    edit(county, "notices", "GS-1", covers="519902100202、519902100299")
    found = [p for p in problems(county) if p["field"] == "covers"]
    assert [(p["code"], p["row"]) for p in found] == [("foreign-key-error", 2)] and "519902100299" in found[0]["message"]
