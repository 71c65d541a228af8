"""phone-invalid: the public phone columns (监督电话, 办公电话) hold numbers that can be dialled.

The real-looking shapes below follow county notices (area codes and layouts as published, other digits changed):
监督电话：0818-51xxxxx (达川区), 举报电话:0373-35xxxxx (新乡高新区), two numbers with a space between them
0916-72xxxxx 0916-72xxxxx (城固县), an em dash 0851—868xxxxx (贵州扶贫专线) and 0374—38xxxxx (襄城县), a local
hotline with its landline in brackets 963xxx(0712-72xxxxx) (大悟县纪委), the national 12317, 028-687xxxxx (四川),
and a seven-digit number with no area code, 838xxxx (临颍县王孟镇), which cannot be dialled from outside.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongshi.checks.phones import _PLAINLY_RIGHT, check_phone, phone_problems
from gongshi.county import check_county
from gongshi.schemas import load_schemas
from gongshi.settings import Settings

from conftest import DEFECTS, DEMO, GOOD, ROOT

SETTINGS = Settings()
SCHEMAS = load_schemas(SETTINGS.schemas_path)

VALID = [
    # landlines, every way they are written
    "0838-5200012", "0838 5200012", "(0838)5200012", "（0838）5200012", "08385200012", "０８３８－５２０００１２",
    "0838－5200012", "0838——5200012", "0838 - 5200012", "010-85123456", "010-8512-3456", "02886833668",
    "0755-86001234", "0371-6790123", "(028) 8683 3668",
    # extensions
    "0838-5200012-8001", "0838-5200012转8001", "0838-5200012 转 8001", "0838-5200012 ext. 8001", "0838-5200012分机12",
    "0838-5200012(8001)",
    # 400/800, service numbers, mobiles (a public contact may be a mobile)
    "400-123-4567", "4001234567", "800-123-4567", "400 123 4567",
    "12317", "12345", "12388", "110", "95598", "96333",
    "0838-12388", "0372-12345", "010-12388", "0731-96333",  # a local hotline after its area code
    "13812345678", "138 1234 5678", "138-1234-5678", "+86 13812345678", "+8613812345678", "86-13812345678",
    "+86-838-5200012",
    # several numbers, labels and notes
    "0838-5200012、12317", "0838-5200012，0838-5200013", "0838-5200012,12345", "0838-5200012;12317",
    "0838-5200012；12317", "0838-5200012/0838-5200013", "0838-5200012或12317", "0838-5200012或者0838-5200013",
    "县纪委：0838-5200012", "县纪委：0838-5200012、县乡村振兴局：0838-5200013", "Tel: 0838-5200012",
    "12317（国家乡村振兴局）", "0838-5200012、",
    # shapes seen in real county notices (digits changed)
    "监督电话：0818-5100001", "举报电话:0373-3530002", "0916-7210003 0916-7210004", "0851—86830005",
    "0374—3860006", "963000(0712-7220007)", "028-68730008", "0391-8150009",
]

INVALID = [
    # (value, kind)
    ("8421966", "no-area"),
    ("52000123", "no-area"),
    ("8380000", "no-area"),                 # the 7-digit 村务 hotline of a notice, without its area code
    ("0879-621397", "local-short"),
    ("028-6873852", "local-short"),         # 028 takes 8 digits
    ("010 8512345", "local-short"),
    ("0838 520001", "local-short"),
    ("0838-520001234", "local-long"),
    ("08385200012345", "local-long"),
    ("0838-0520001", "local-start"),
    ("0838-1520001", "local-start"),
    ("083-8520001", "area"),
    ("0123-5200012", "area"),
    ("08380-5200012", "area"),
    ("0028-86833668", "area"),
    ("8385200012", "no-zero"),              # the 0 a spreadsheet drops
    ("838-5200012", "no-zero"),
    ("2886833668", "no-zero"),
    ("1381234567", "mobile-digits"),
    ("138123456789", "mobile-digits"),
    ("138-1234-567", "mobile-digits"),
    ("+86 1381234567", "mobile-digits"),
    ("400-123-456", "special-digits"),
    ("40012345678", "special-digits"),
    ("621397", "too-short"),
    ("1234", "too-short"),
    ("0838", "too-short"),
    ("520001234", "digit-count"),
    ("O838-5200012", "letter"),
    ("0838-52OO012", "letter"),
    ("0838-5200O12", "letter"),
    ("abc", "text"),
    ("tel0838", "text"),
    ("0838-5200012办公室", "text"),
    ("县纪委0838-5200012", "text"),
    ("8:30-17:30", "text"),
    ("0838+5200012", "text"),
    ("0838.5200012", "text"),
    ("无", "placeholder"),
    ("/", "placeholder"),
    ("县纪委：", "no-number"),
    ("、", "no-number"),
    # one wrong number among several
    ("0838-5200012、8421966", "no-area"),
    ("12317，0879-621397", "local-short"),
    ("0916-7210003 0916-721000", "local-short"),
]


@pytest.mark.parametrize("value", VALID)
def test_dialable_numbers_pass(value):
    assert check_phone(value) is None


@pytest.mark.parametrize(("value", "kind"), INVALID)
def test_undiallable_numbers_say_what_is_wrong(value, kind):
    issue = check_phone(value)
    assert issue is not None and issue.kind == kind, issue
    assert issue.message and issue.message_en and issue.message != issue.message_en


def test_the_two_numbers_that_passed_before_warn():
    assert check_phone("8421966", "0879", "监督电话").message == \
        "监督电话「8421966」缺少区号：座机号码前要加区号，如 0879-8421966。"
    assert check_phone("8421966", "0879").message_en == \
        "Phone '8421966' has no area code: write the area code before a landline number, e.g. 0879-8421966."
    short = check_phone("0879-621397", None, "办公电话")
    assert short.message.startswith("办公电话「0879-621397」号码太短：区号 0879 后面的号码应有 7～8 位，这里只有 6 位")
    assert "0879" in short.message_en and "6" in short.message_en


def test_without_a_known_area_code_the_fix_says_where_it_goes():
    issue = check_phone("8421966")
    assert "区号-8421966" in issue.message and "<area code>-8421966" in issue.message_en


def test_a_lost_zero_is_shown_put_back():
    assert "应为 0838-5200012" in check_phone("8385200012").message
    assert "it is 028-86833668" in check_phone("2886833668").message_en


def test_the_message_names_which_number_is_wrong():
    issue = check_phone("0838-5200012、12317、0879-621397")
    assert "第3个号码「0879-621397」" in issue.message and "Number 3" in issue.message_en
    more = check_phone("8421966、0838-5200012、621397")
    assert "第1个号码「8421966」" in more.message and "另有 1 个号码" in more.message


def test_messages_echo_no_more_than_the_cell():
    value = "县纪委电话：8421966，请在工作日拨打，" + "谢谢" * 20
    issue = check_phone(value)
    quoted = [part.split("」")[0] for part in issue.message.split("「")[1:]]
    assert quoted and all(q.rstrip("…") in value.replace("，", ",").replace("：", ":") for q in quoted)
    assert all(len(q) <= 30 for q in quoted)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789-", min_size=1, max_size=16))
def test_what_the_fast_path_lets_through_is_right(value):
    if pl.Series([value]).str.contains(_PLAINLY_RIGHT)[0]:
        assert check_phone(value) is None


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789 -()（）+、，,;/或：:转ext.O县纪委—－０８")), max_size=40) | st.text(max_size=40))
def test_any_text_gets_an_answer_never_a_crash(value):
    issue = check_phone(value)
    assert issue is None or (issue.kind and issue.message and issue.message_en)


# ---- over tables


def regions_frame(phones: list[str]) -> pl.DataFrame:
    n = len(phones)
    return pl.DataFrame({"code": [f"5199021002{i:02d}" for i in range(n)], "name": ["村"] * n,
                         "level": ["village"] * n, "parent_code": ["519902100000"] * n, "supervision_phone": phones})


def test_the_columns_are_found_by_their_public_contact_flag():
    fields = [*SCHEMAS.fields("units"), {"name": "hotline", "type": "string", "publicContact": True},
              {"name": "fax", "type": "string"}]

    class Schemas:
        def fields(self, name):
            return fields

    frame = pl.DataFrame({"unit_id": ["a", "b"], "name": ["x", "y"], "kind": ["other"] * 2,
                          "region_code": ["519902000000"] * 2, "phone": ["0838-5200012", ""],
                          "hotline": ["", "8421966"], "fax": ["123", "bad"]})
    found = [(p.code, p.severity, p.path, p.row, p.field) for p in phone_problems({"units": frame}, "{}.csv".format,
                                                                                Schemas())]
    assert found == [("phone-invalid", "warning", "units.csv", 3, "hotline")]


def test_rows_are_the_spreadsheet_rows_and_the_area_code_is_the_packages():
    class Read:
        frame = regions_frame(["0879-8421001", "", "8421966", "0879 8421002", "0838-5200012"])
        rows = [2, 3, 5, 6, 7]

    problems = list(phone_problems({"regions": Read()}, "{}.csv".format, SCHEMAS))
    assert [(p.path, p.row, p.field) for p in problems] == [("regions.csv", 5, "supervision_phone")]
    assert "如 0879-8421966" in problems[0].message


# ---- end to end


def write_phones(path: Path, column: str, phones: dict[int, str]) -> None:
    """Set the phone of some spreadsheet rows of a CSV file."""
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    at = rows[0].index(column)
    for row, phone in phones.items():
        rows[row - 1][at] = phone
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def test_validate_warns_about_bad_phones_and_still_passes(tmp_path):
    folder = tmp_path / "519902"
    shutil.copytree(GOOD, folder)
    write_phones(folder / "regions.csv", "supervision_phone", {2: "8421966", 3: "监督电话：0818-5100001、12317"})
    write_phones(folder / "units.csv", "phone", {2: "0879-621397", 3: "0916-7210003 0916-7210004",
                                                 4: "13812345678"})
    result = subprocess.run([sys.executable, "-m", "gongshi", "validate", str(folder), "--format", "json"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    found = [(p["code"], p["severity"], p["path"], p["row"], p["field"]) for p in json.loads(result.stdout)]
    assert found == [
        ("phone-invalid", "warning", str(folder / "regions.csv"), 2, "supervision_phone"),
        ("phone-invalid", "warning", str(folder / "units.csv"), 2, "phone"),
    ]


def test_rows_count_as_the_clerk_sees_them_in_a_repaired_file(tmp_path):
    folder = tmp_path / "519902"
    shutil.copytree(GOOD, folder)
    lines = (folder / "units.csv").read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].rsplit(",", 1)[0] + ",0838 520001"
    (folder / "units.csv").write_text("\r\n".join([lines[0], ",,,,", *lines[1:]]) + "\r\n", encoding="utf-8")
    found = [(p.code, p.row, p.field) for p in check_county(folder, SETTINGS).problems if p.code == "phone-invalid"]
    assert found == [("phone-invalid", 5, "phone")]


@pytest.mark.parametrize("folder", [DEMO, GOOD, DEFECTS / "office-phone-is-public"], ids=["demo", "good", "mobile"])
def test_shipped_packages_have_no_phone_warnings(tmp_path, folder):
    if folder.parent == DEFECTS:
        shutil.copytree(GOOD, tmp_path / "pkg")
        for file in folder.iterdir():
            shutil.copy(file, tmp_path / "pkg" / file.name)
        folder = tmp_path / "pkg"
    assert [p for p in check_county(folder, SETTINGS).problems if p.code == "phone-invalid"] == []
