"""Fund sources as real notices name them: a kind and a level, named by the year (2019 money under its 2019 name),
the notice's own name when it gives one, a named "other", and subtotals by source on allocation notices."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from test_unstated import edit, page, problems

from conftest import GOOD, build_site


@pytest.fixture
def county(tmp_path) -> Path:
    return shutil.copytree(GOOD, tmp_path / "data" / "519902")


def append(folder: Path, table: str, **values) -> None:
    """Add a row to a table, as a clerk would below its last line (cells not given are left empty)."""
    path = folder / f"{table}.csv"
    header = next(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    buffer = io.StringIO()
    csv.DictWriter(buffer, fieldnames=header, lineterminator="\n").writerow(values)
    path.write_text(path.read_text(encoding="utf-8") + buffer.getvalue(), encoding="utf-8")


def allocation_notice(folder: Path) -> None:
    """The finance bureau's 2025 allocation-result notice over the whole county (ZJ-1 and ZJ-2)."""
    append(folder, "notices", notice_id="GS-3", kind="allocation-result", title="测试县2025年度资金分配结果公告",
           discloser_unit_id="czj", region_code="519902000000", year="2025", start_date="2025-03-05",
           end_date="2025-03-14", published_on="2025-03-04")


def build(tmp_path: Path) -> Path:
    built = build_site(tmp_path / "data", tmp_path / "site", allow_unsigned=True, search=False)
    assert built.returncode == 0, built.stderr
    return tmp_path / "site"


def fields(site: Path, url: str) -> dict[str, str]:
    soup = BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")
    return {d.dt.get_text(strip=True): d.dd.get_text(" ", strip=True) for d in soup.select("dl.fields > div")}


def test_the_main_fund_is_named_as_in_its_year(county, tmp_path):
    # 2019 money under its 2019 name; the older level codes are the main fund of that level.
    edit(county, "allocations", "ZJ-1", year="2019", fund_source="special-fund", fund_level="provincial")
    edit(county, "allocations", "ZJ-2", year="2019", fund_source="county")
    append(county, "allocations", allocation_id="ZJ-3", year="2021", document_no="测财农〔2021〕3号",
           fund_source="special-fund", fund_level="central", allocator_unit_id="czj",
           recipient_region_code="519902100201", amount="30000", allocated_on="2021-03-01", purpose="产业发展")
    assert not [p for p in problems(county) if p["severity"] == "error"]
    site = build(tmp_path)
    assert fields(site, "519902/allocation/ZJ-1")["资金来源"] == "省级财政专项扶贫资金"
    assert fields(site, "519902/allocation/ZJ-2")["资金来源"] == "县级财政专项扶贫资金"
    assert fields(site, "519902/allocation/ZJ-3")["资金来源"] == "中央财政衔接推进乡村振兴补助资金"
    assert "衔接" not in page(site, "519902/allocation/ZJ-1").split("资金类别")[0]
    # The project paid from ZJ-1 names its 2019 source too.
    assert "省级财政专项扶贫资金" in page(site, "519902/project/XM-1")


def test_clerks_write_sources_and_levels_in_chinese(county, tmp_path):
    edit(county, "allocations", "ZJ-1", fund_source="衔接资金", fund_level="省级")
    edit(county, "allocations", "ZJ-2", fund_source="少数民族发展资金", fund_level="中央")
    found = problems(county)
    repaired = {(p["row"], p["field"]) for p in found if p["code"] == "value-repaired"}
    assert {(2, "fund_source"), (2, "fund_level"), (3, "fund_source"), (3, "fund_level")} <= repaired
    assert not [p for p in found if p["severity"] == "error"], found
    site = build(tmp_path)
    assert fields(site, "519902/allocation/ZJ-1")["资金来源"] == "省级财政衔接推进乡村振兴补助资金"
    assert fields(site, "519902/allocation/ZJ-2")["资金来源"] == "中央财政少数民族发展资金"


def test_a_source_that_fits_no_kind_is_named(county, tmp_path):
    edit(county, "allocations", "ZJ-2", fund_source="乡村振兴示范村奖补资金")
    refused = [p for p in problems(county) if p["severity"] == "error"]
    assert [(p["code"], p["row"], p["field"]) for p in refused] == [("constraint-error", 3, "fund_source")]
    assert "都不合适时填 other" in refused[0]["message"] and "fund_name" in refused[0]["message"]
    edit(county, "allocations", "ZJ-2", fund_source="other")
    refused = [p for p in problems(county) if p["severity"] == "error"]
    assert [(p["code"], p["row"], p["field"]) for p in refused] == [("fund-name-missing", 3, "fund_name")]
    edit(county, "allocations", "ZJ-2", fund_name="乡村振兴示范村奖补资金")
    assert not [p for p in problems(county) if p["severity"] == "error"]
    site = build(tmp_path)
    assert fields(site, "519902/allocation/ZJ-2")["资金来源"] == "乡村振兴示范村奖补资金"


def test_the_notices_own_name_is_kept(county, tmp_path):
    edit(county, "allocations", "ZJ-1", year="2020", fund_source="leftover", fund_level="provincial",
         fund_name="2019年省级财政专项扶贫资金结余资金")
    assert not [p for p in problems(county) if p["severity"] == "error"]
    site = build(tmp_path)
    shown = fields(site, "519902/allocation/ZJ-1")
    assert shown["资金来源"] == "2019年省级财政专项扶贫资金结余资金"
    assert shown["资金类别"] == "结余资金 · 省级"
    assert BeautifulSoup((site / "519902/allocation/ZJ-1/index.html").read_text(encoding="utf-8"),
                         "html.parser").h1.get_text(strip=True) == "2019年省级财政专项扶贫资金结余资金"


def test_a_level_that_contradicts_an_older_code_is_refused(county):
    edit(county, "allocations", "ZJ-1", fund_source="central", fund_level="county")
    refused = [p for p in problems(county) if p["severity"] == "error"]
    assert [(p["code"], p["row"], p["field"]) for p in refused] == [("fund-level-conflict", 2, "fund_level")]
    assert "special-fund" in refused[0]["message"]


def test_an_allocation_notice_gives_subtotals_by_source_online_and_on_paper(county, tmp_path):
    allocation_notice(county)
    append(county, "allocations", allocation_id="ZJ-3", year="2025", document_no="测财农〔2025〕3号",
           fund_source="east-west", allocator_unit_id="czj", recipient_region_code="519902100201",
           recipient_unit_id="cw100201", amount="30000", allocated_on="2025-03-02", purpose="产业发展",
           allocation_basis="按协作协议安排")
    site = build(tmp_path)
    for url in ("519902/notice/GS-3", "519902/notice/GS-3/print"):
        soup = BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")
        foot = [tr.get_text(" ", strip=True) for tr in soup.select("tfoot tr")]
        assert len(foot) == 4, foot
        assert foot[0].startswith("其中：中央财政衔接推进乡村振兴补助资金（1 笔）") and "100,000.00" in foot[0]
        assert foot[1].startswith("其中：县级财政衔接推进乡村振兴补助资金（1 笔）") and "50,000.00" in foot[1]
        assert foot[2].startswith("其中：东西部协作资金（1 笔）") and "30,000.00" in foot[2]
        assert foot[3].startswith("合计（3 笔）") and "180,000.00" in foot[3]
        # Online shows what paper shows: the unit that uses the money and how it was divided.
        text = soup.get_text(" ")
        assert "按协作协议安排" in text and "一村村民委员会" in text


def test_one_source_needs_no_subtotal(county, tmp_path):
    allocation_notice(county)
    edit(county, "allocations", "ZJ-2", fund_source="central")
    site = build(tmp_path)
    soup = BeautifulSoup((site / "519902/notice/GS-3/index.html").read_text(encoding="utf-8"), "html.parser")
    assert [tr.get_text(" ", strip=True)[:7] for tr in soup.select("tfoot tr")] == ["合计（2 笔）"]


def test_a_package_from_before_the_new_columns_still_validates_and_shows_its_sources(county, tmp_path):
    path = county / "allocations.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    old = [name for name in rows[0] if name not in ("fund_level", "fund_name")]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=old, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    found = problems(county)
    assert not [p for p in found if p["severity"] == "error"]
    assert {p["field"] for p in found if p["code"] == "column-added"} == {"fund_level", "fund_name"}
    site = build(tmp_path)
    assert fields(site, "519902/allocation/ZJ-1")["资金来源"] == "中央财政衔接推进乡村振兴补助资金"


def test_a_source_given_without_its_amount_is_kept_as_the_notice_words_it(county, tmp_path):
    # 新平县: "其中445万元为中央财政衔接推进乡村振兴补助资金，其余不足部分由村集体自筹" — no figure for the rest.
    edit(county, "projects", "XM-2", budget="100000.00", funding_note="其余不足部分由村集体自筹")
    found = [p for p in problems(county) if p["row"] == 3 and "projects" in p["path"]]
    assert [(p["code"], p["field"]) for p in found] == [("cannot-judge", "budget")], found
    edit(county, "projects", "XM-2", funding_note="")
    assert "project-underfunded" in [p["code"] for p in problems(county)]
    edit(county, "projects", "XM-2", funding_note="其余不足部分由村集体自筹")
    site = build(tmp_path)
    for url in ("519902/project/XM-2", "519902/notice/GS-2", "519902/notice/GS-2/print"):
        assert "其余不足部分由村集体自筹" in page(site, url), url
