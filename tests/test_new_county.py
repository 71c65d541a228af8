"""A new county in one command, checked against the national division codes; a copied package's signature."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import DEMO, ROOT, build_site

REFERENCE = ROOT / "plugins" / "gongshi" / "package" / "reference"
SIGNATURE_CODES = {"signature-missing", "signature-invalid", "signature-copied", "hash-mismatch", "hash-missing",
                   "signer-not-allowed", "release-missing", "release-log-broken"}


def gongshi(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gongshi", *args], cwd=cwd, capture_output=True, text=True)


def problems(folder: Path, *settings: str) -> list[dict]:
    result = gongshi("validate", str(folder), "--format", "json", *settings)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def townships_of(county: str) -> list[tuple[str, str]]:
    """The county's townships as the national list has them (read here with csv, not with gongshi)."""
    with open(REFERENCE / "streets.csv", encoding="utf-8", newline="") as fh:
        return [(row["code"] + "000", row["name"]) for row in csv.DictReader(fh) if row["areaCode"] == county]


def rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_a_county_of_another_province_in_one_command_validates_and_builds(tmp_path):
    result = gongshi("new-county", "410503", cwd=tmp_path)  # 河南省安阳市北关区
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "data" / "410503"
    assert "北关区" in result.stdout and f"gongshi validate {Path('data') / '410503'}" in result.stdout
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["gongshi"] == {"county": "410503", "demo": False}
    assert "北关区" in descriptor["title"] and descriptor["name"] == "gongshi-410503"
    assert not any("hash" in r or "bytes" in r for r in descriptor["resources"])
    assert not (folder / "datapackage.json.sig").exists()
    expected = townships_of("410503")
    assert len(expected) == 10 and ("410503100000", "柏庄镇") in expected
    regions = rows(folder / "regions.csv")
    assert regions[0] == {"code": "410503000000", "name": "北关区", "level": "county", "parent_code": "",
                          "supervision_phone": ""}
    assert [(r["code"], r["name"]) for r in regions[1:]] == expected
    assert all(r["level"] == "township" and r["parent_code"] == "410503000000" for r in regions[1:])
    for resource in descriptor["resources"]:
        if resource["name"] != "regions":
            lines = (folder / resource["path"]).read_text(encoding="utf-8").splitlines()
            assert lines == [",".join(f["name"] for f in resource["schema"]["fields"])], resource["name"]
    assert problems(folder) == []

    output = tmp_path / "site"
    built = build_site(tmp_path / "data", output, allow_unsigned=True, search=False)
    assert built.returncode == 0, built.stderr
    log = [line for line in (built.stdout + built.stderr).splitlines() if "410503" in line]
    assert len(log) == 1 and "signature-missing" in log[0], log  # one thing left to do: sign it
    page = BeautifulSoup((output / "410503" / "index.html").read_text(encoding="utf-8"), "html.parser")
    main = page.select_one("main").get_text(" ", strip=True)
    assert "北关区" in main and all(name in main for _, name in expected)
    assert "未签名预览" in main and "已签名" not in main  # a preview of an unsigned package says so
    for code, name in expected:
        township = (output / "410503" / "place" / code / "index.html").read_text(encoding="utf-8")
        assert name in township
    assert not (output / "410503" / "project").exists()


@pytest.mark.parametrize("code, says", [
    ("519901", ["不在国家统计局的统计用区划代码中", "not in the National Bureau", "--name"]),
    ("710101", ["也没有相近的代码", "nor near any"]),
    ("410500", ["410500 是地级区划（河南省安阳市）", "410503 北关区", "prefecture"]),
    ("410000", ["省级区划（河南省）", "province"]),
    ("4105", ["6位", "6-digit"]),
])
def test_an_unknown_code_writes_nothing_and_says_why(tmp_path, code, says):
    result = gongshi("new-county", code, cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert all(s in result.stderr for s in says), result.stderr
    assert list(tmp_path.iterdir()) in ([], [tmp_path / "data"]) and not list(tmp_path.rglob("*.*"))


def test_an_existing_folder_is_not_overwritten(tmp_path):
    folder = tmp_path / "data" / "410503"
    folder.mkdir(parents=True)
    (folder / "regions.csv").write_text("what the clerk typed", encoding="utf-8")
    result = gongshi("new-county", "410503", cwd=tmp_path)
    assert result.returncode == 2 and "已经存在" in result.stderr and "already exists" in result.stderr
    assert [p.name for p in folder.iterdir()] == ["regions.csv"]
    assert (folder / "regions.csv").read_text(encoding="utf-8") == "what the clerk typed"
    assert [p.name for p in folder.parent.iterdir()] == ["410503"]  # no half-written folder beside it


def new_package(tmp_path: Path, folder_name: str = "410503") -> Path:
    """A new package of 北关区 in data/<folder_name>."""
    folder = tmp_path / "data" / folder_name
    assert gongshi("new-county", "410503", "--out", str(folder)).returncode == 0
    return folder


def test_a_township_code_not_in_the_national_list_names_the_closest_real_ones(tmp_path):
    folder = new_package(tmp_path)
    regions = folder / "regions.csv"
    text = regions.read_text(encoding="utf-8").replace("410503100000,柏庄镇", "410503199000,柏庄乡")
    regions.write_text(text + "410503199201,柏庄村,village,410503199000,\n", encoding="utf-8")
    found = [p for p in problems(folder) if p["code"] == "division-unknown"]
    assert len(found) == 1, found  # the village is not in the list, and not checked
    (problem,) = found
    assert problem["severity"] == "warning" and problem["field"] == "code" and problem["row"] == 12
    assert problem["path"] == str(regions)
    assert "410503199000" in problem["message"] and "410503100000 柏庄镇" in problem["message"]
    assert "撤并" in problem["message"] and "merged" in problem["message_en"]


def test_a_county_code_not_in_the_national_list_is_one_warning(tmp_path):
    folder = new_package(tmp_path, "410599")
    for path in folder.glob("*.*"):
        path.write_text(path.read_text(encoding="utf-8").replace("410503", "410599"), encoding="utf-8")
    found = problems(folder)
    assert [p["code"] for p in found] == ["division-unknown"], found  # not one more for each township
    assert found[0]["field"] == "gongshi.county" and found[0]["path"].endswith("datapackage.json")
    assert "410503 北关区" in found[0]["message"] and "410503 北关区" in found[0]["message_en"]


def test_demo_data_is_fictional_and_not_checked_against_the_list():
    assert not [p for p in problems(DEMO) if p["code"] == "division-unknown"]


def copied_demo(tmp_path: Path, rename: bool) -> Path:
    """The demo copied as README used to say: the county code, title and demo flag changed, the rest kept."""
    folder = tmp_path / "data" / "410503"
    shutil.copytree(DEMO, folder)
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["gongshi"].update(county="410503", demo=False)
    descriptor["title"] = "北关区"
    if rename:
        descriptor["name"] = "gongshi-410503"
    (folder / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")
    for path in folder.glob("*.csv"):
        path.write_text(path.read_text(encoding="utf-8").replace("519901", "410503"), encoding="utf-8")
    return folder


@pytest.mark.parametrize("rename, keys", [
    (False, None),  # its name still says gongshi-519901
    (True, None),  # renamed: the demo key is listed for 519901 only
    (True, "empty"),  # renamed, and no trust file to ask: the signature does not match and 410503 never published
])
def test_a_copied_signature_is_one_problem_that_says_how_to_fix_it(tmp_path, rename, keys):
    folder = copied_demo(tmp_path, rename)
    settings = []
    if keys:
        (tmp_path / "keys").mkdir()
        config = tmp_path / "conf.py"
        config.write_text(f"GONGSHI = {{'keys_path': {str(tmp_path / 'keys')!r}, 'allow_unsigned': True}}\n",
                          encoding="utf-8")
        settings = ["--settings", str(config)]
    found = [p for p in problems(folder, *settings) if p["code"] in SIGNATURE_CODES]
    assert [p["code"] for p in found] == ["signature-copied"], found
    assert found[0]["path"] == str(folder / "datapackage.json.sig")
    assert f"gongshi unsign {folder}" in found[0]["message"] and f"gongshi unsign {folder}" in found[0]["message_en"]
    if not keys:
        assert "519901" in found[0]["message"]

    output = tmp_path / "site"
    built = build_site(tmp_path / "data", output, allow_unsigned=True, search=False,
                       **({"keys_path": str(tmp_path / "keys")} if keys else {}))
    assert built.returncode == 0, built.stderr
    log = [line for line in (built.stdout + built.stderr).splitlines()
           if any(code in line for code in SIGNATURE_CODES)]
    assert len(log) == 1 and "signature-copied" in log[0] and "gongshi unsign" in log[0], log

    fixed = gongshi("unsign", str(folder))
    assert fixed.returncode == 0, fixed.stderr
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert not (folder / "datapackage.json.sig").exists() and descriptor["name"] == "gongshi-410503"
    assert not any("hash" in r or "bytes" in r for r in descriptor["resources"])
    assert not [p for p in problems(folder, *settings) if p["code"] in SIGNATURE_CODES]


def test_a_copied_signature_stops_a_public_build(tmp_path):
    copied_demo(tmp_path, rename=True)
    built = build_site(tmp_path / "data", tmp_path / "site", allow_unsigned=False, search=False)
    assert built.returncode == 0, built.stderr
    log = (built.stdout + built.stderr).splitlines()
    assert [line for line in log if "signature-copied" in line and "ERROR" in line]
    assert any("410503 未发布" in line for line in log) and not (tmp_path / "site" / "410503").exists()


def test_a_township_merged_away_in_2019_is_a_warning_and_the_county_still_builds(tmp_path):
    """利州区 published its 2012 秦巴山片区 projects in 工农镇 (学地村, 枫香村, ...); in 2019 the township was dissolved
    into 嘉陵街道 and 上西街道, so today's list has no 工农镇. Old money under its old name must still publish."""
    folder = tmp_path / "data" / "510802"
    assert gongshi("new-county", "510802", "--out", str(folder)).returncode == 0
    regions = folder / "regions.csv"
    old = "510802199000"  # the code the county kept for the old township (not in today's list)
    regions.write_text(regions.read_text(encoding="utf-8") + f"{old},工农镇,township,510802000000,0839-3300000\n"
                       f"510802199201,学地村,village,{old},\n510802199202,枫香村,village,{old},\n", encoding="utf-8")
    found = problems(folder)
    assert [(p["code"], p["severity"], p["row"]) for p in found] == [("division-unknown", "warning", 18)], found
    assert "工农镇" in found[0]["message"] and "撤并" in found[0]["message"]
    built = build_site(tmp_path / "data", tmp_path / "site", allow_unsigned=True, search=False)
    assert built.returncode == 0, built.stderr
    assert "工农镇" in (tmp_path / "site" / "510802" / "place" / old / "index.html").read_text(encoding="utf-8")


def test_a_real_township_under_a_wrong_code_is_found_by_its_name(tmp_path):
    folder = tmp_path / "data" / "510802"
    assert gongshi("new-county", "510802", "--out", str(folder)).returncode == 0
    regions = folder / "regions.csv"
    regions.write_text(regions.read_text(encoding="utf-8").replace("510802103000,宝轮镇", "510802104000,宝轮镇"),
                       encoding="utf-8")
    (found,) = problems(folder)
    assert found["code"] == "division-unknown"
    assert "最接近的乡镇：510802103000 宝轮镇、" in found["message"]  # the same name first, then the nearest codes


def test_codes_typed_with_a_chinese_input_method_and_places_named_once(tmp_path):
    assert gongshi("new-county", "４１０５０３", cwd=tmp_path).returncode == 0  # full-width digits
    assert (tmp_path / "data" / "410503" / "regions.csv").is_file()
    assert gongshi("new-county", "441900", cwd=tmp_path).returncode == 0  # 东莞: a city with townships, no counties
    descriptor = json.loads((tmp_path / "data" / "441900" / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["title"].startswith("广东省东莞市扶贫") and len(rows(tmp_path / "data" / "441900" /
                                                                        "regions.csv")) == 1 + 36


def test_a_county_set_up_after_the_list_is_started_by_name(tmp_path):
    result = gongshi("new-county", "410599", "--name", "安阳新区", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "data" / "410599"
    assert rows(folder / "regions.csv") == [{"code": "410599000000", "name": "安阳新区", "level": "county",
                                             "parent_code": "", "supervision_phone": ""}]
    # It validates; the code is still not in the list, and the warning says so every time.
    assert [p["code"] for p in problems(folder)] == ["division-unknown"]


def test_a_malformed_township_code_is_the_schemas_error_not_a_crash(tmp_path):
    folder = new_package(tmp_path)
    regions = folder / "regions.csv"
    regions.write_text(regions.read_text(encoding="utf-8").replace("410503100000,柏庄镇", "41050310O000,柏庄镇"),
                       encoding="utf-8")
    result = gongshi("validate", str(folder))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "constraint-error" in result.stdout and "division-unknown" not in result.stdout


def test_a_county_that_edits_its_own_signed_package_is_not_told_its_signature_was_copied(tmp_path):
    folder = new_package(tmp_path)
    key = tmp_path / "key"
    assert gongshi("keygen", "410503", "--out", str(key)).returncode == 0
    assert gongshi("sign", str(folder), "--key", str(key), cwd=tmp_path).returncode == 0
    assert (tmp_path / "history" / "410503" / "log.jsonl").is_file()
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["title"] += "（更正）"
    descriptor["name"] = "gongshi-519901"  # as a package started by copying the demo under gongshi 0.5 still says
    (folder / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = gongshi("validate", str(folder), "--format", "json", cwd=elsewhere)
    assert not [p for p in json.loads(result.stdout) if p["code"] == "signature-copied"], result.stdout
    signed = gongshi("sign", str(folder), "--key", str(key), cwd=elsewhere)
    assert signed.returncode == 0 and "第 2 版" in signed.stdout, signed.stdout + signed.stderr
    assert json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))["name"] == "gongshi-410503"


def test_signing_a_copied_package_with_the_countys_own_key_replaces_the_copied_signature(tmp_path):
    folder = copied_demo(tmp_path, rename=False)
    key = tmp_path / "key"
    assert gongshi("keygen", "410503", "--out", str(key)).returncode == 0
    signed = gongshi("sign", str(folder), "--key", str(key), cwd=tmp_path)
    assert signed.returncode == 0, signed.stdout + signed.stderr
    assert not [p for p in problems(folder) if p["code"] in SIGNATURE_CODES]
    assert json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))["name"] == "gongshi-410503"
