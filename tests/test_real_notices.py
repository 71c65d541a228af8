"""Real notices, as eight counties in seven provinces published them, transcribed with nothing invented
(tests/fixtures/real/<county>/SOURCE.md says where each comes from and what was made up: ids and village codes).
Each validates with no error, and its notice page and its wall notice show every fact the original shows."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from test_unstated import problems

from conftest import ROOT, build_site

REAL = ROOT / "tests" / "fixtures" / "real"
COUNTIES = sorted(p.name for p in REAL.iterdir() if (p / "expected.json").is_file())


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("real")
    for code in COUNTIES:
        shutil.copytree(REAL / code, root / "data" / code)
    built = build_site(root / "data", root / "site", allow_unsigned=True, search=False)
    assert built.returncode == 0 and "Traceback" not in built.stderr, built.stderr[-3000:]
    return root / "site"


def text(site: Path, url: str) -> str:
    soup = BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")
    return re.sub(r"\s+", " ", soup.get_text(" "))


def test_there_are_real_notices_from_six_provinces_or_more():
    provinces = {code[:2] for code in COUNTIES}
    assert len(COUNTIES) >= 6 and len(provinces) >= 6, COUNTIES
    for code in COUNTIES:
        source = (REAL / code / "SOURCE.md").read_text(encoding="utf-8")
        assert re.search(r"https?://\S+", source), code  # where it was published


@pytest.mark.parametrize("code", COUNTIES)
def test_a_real_notice_validates_without_inventing_anything(code, tmp_path):
    found = problems(shutil.copytree(REAL / code, tmp_path / code))
    assert not [p for p in found if p["severity"] == "error"], found
    # What the notice leaves out is said, not filled in.
    assert any(p["code"] == "not-stated" for p in found)


@pytest.mark.parametrize("code", COUNTIES)
def test_the_site_shows_every_fact_the_original_shows(site, code):
    expected = json.loads((REAL / code / "expected.json").read_text(encoding="utf-8"))
    url = f"{code}/notice/{expected['notice_id']}"
    for page in (url, url + "/print"):
        shown = text(site, page)
        missing = [fact for fact in expected["shows"] if re.sub(r"\s+", " ", fact) not in shown]
        assert not missing, (page, missing)


def test_what_real_notices_leave_out_stays_unstated(site):
    # 襄城县 2019: no title, no period, no 文号 — named from its facts and marked, never guessed.
    page = text(site, "411025/notice/" + json.loads((REAL / "411025/expected.json").read_text())["notice_id"])
    assert "原公告未载明标题" in page and "公示期：未载明" in page
    # 温泉县: 实施期限 "2019年" is shown as written, not as a made-up day.
    page = text(site, "652723/notice/" + json.loads((REAL / "652723/expected.json").read_text())["notice_id"])
    assert "2019年" in page and "2019年1月1日" not in page and "2019年12月31日" not in page


def test_totals_per_township_are_on_the_notice_and_on_each_townships_page(site):
    # 五通桥区 publishes what each fund paid in each township, and to how many people, without households.
    notice = text(site, "511112/notice/GS-1")
    assert "小计：公益性岗位补贴 146 58,400.00" in notice
    assert "合计（3 个项目） 3,267,967.00" in notice
    assert "6361" not in notice  # 人次 of one fund and 人 of another are never added together
    assert "户数" not in notice.split("到户补助按乡镇（村）汇总")[1].split("合计")[0].replace("未载明户数", "")
    # 竹根镇's page lists the notice and what each fund paid there (分配到哪里、公开到哪里).
    town = text(site, "511112/place/511112100000")
    assert "2026年1月巩固拓展脱贫攻坚成果同乡村振兴有效衔接领域资金公开情况的公示" in town
    for fact in ("公益性岗位补贴 （五通桥区） 7 2,800.00 元", "农村最低生活保障 （五通桥区） 763 403,144.00 元",
                 "集中供养+居家救助生活补贴 （五通桥区） 8 1,488.00 元"):
        assert fact in town, fact
    # The project page shows its totals, and the wall notice of its list too.
    project = text(site, "511112/project/XM-1")
    assert "竹根镇 7 2,800.00 涉及7人次" in project and "合计 146 58,400.00" in project
    assert "竹根镇 7 2,800.00 涉及7人次" in text(site, "511112/project/XM-1/households/print")


def test_a_total_row_with_a_name_is_refused_and_one_without_figures_is_unstated(tmp_path):
    folder = shutil.copytree(REAL / "511112", tmp_path / "511112")
    path = folder / "beneficiaries.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("Z1,,511112100000,,7,", "Z1,张*三,511112100000,7,7,")  # a name and a count
    lines[2] = lines[2].replace("Z2,,511112101000,,11,", "Z2,,511112101000,,,")  # neither households nor people
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = {(p["code"], p["row"]) for p in problems(folder)}
    assert ("household-total-with-name", 2) in found
    assert ("not-stated", 3) in found
    assert not [p for p in problems(folder) if p["severity"] == "error" and p["code"] != "household-total-with-name"]
