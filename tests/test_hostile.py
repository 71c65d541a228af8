"""Hostile input is harmless: paths stay in their folder, limits hold, formulas stay text, nothing raises."""

from __future__ import annotations

import csv
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from gongshi.county import check_county
from gongshi.problems import Problem
from gongshi.settings import Settings
from gongshi.site.spreadsheet import neutralise

from conftest import GOOD, build_site


def codes(folder: Path, **overrides) -> list[tuple]:
    return [(p.code, Path(p.path).name, p.row, p.field) for p in check_county(folder, Settings(**overrides)).problems]


def with_path(tmp_path: Path, resource: str, path: str) -> Path:
    folder = shutil.copytree(GOOD, tmp_path / "pkg")
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    next(r for r in descriptor["resources"] if r["name"] == resource)["path"] = path
    (folder / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    return folder


@pytest.mark.parametrize("path", ["../units.csv", "/etc/passwd", "https://example.org/units.csv", "//host/units.csv",
                                  "sub/../../units.csv", ""])
def test_resource_paths_outside_the_folder_are_refused(tmp_path, path):
    folder = with_path(tmp_path, "units", path)
    assert ("unsafe-path", "datapackage.json", None, "units") in codes(folder)


def test_a_symlink_out_of_the_folder_is_refused(tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("unit_id,name,kind,region_code,phone\n", encoding="utf-8")
    folder = shutil.copytree(GOOD, tmp_path / "pkg")
    (folder / "units.csv").unlink()
    (folder / "units.csv").symlink_to(secret)
    assert ("unsafe-path", "datapackage.json", None, "units") in codes(folder)


def test_a_resource_gongshi_does_not_know_cannot_reach_out_of_the_folder_either(tmp_path):
    """It is ignored, but its path is still refused, and no download ever holds a file from outside."""
    from conftest import build_site

    secret = tmp_path / "secret.txt"
    secret.write_text("the clerk's private notes", encoding="utf-8")
    folder = shutil.copytree(GOOD, tmp_path / "data" / "519902")
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"].append({"name": "notes", "path": "../../secret.txt"})
    (folder / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    assert ("unsafe-path", "datapackage.json", None, None) in codes(folder)
    built = build_site(tmp_path / "data", tmp_path / "site", allow_unsigned=True, search=False)
    assert built.returncode == 0 and not (tmp_path / "site" / "519902").exists()
    # Nor may a clean package bundle it: the bundle holds only the tables gongshi knows.
    from gongshi.package.load import PackageFiles
    from gongshi.site.downloads import write_county_downloads

    write_county_downloads(tmp_path / "out", "519902", PackageFiles(folder), tmp_path / "keys")
    names = zipfile.ZipFile(tmp_path / "out" / "gongshi-519902.zip").namelist()
    assert not any("secret" in n or ".." in n for n in names) and any(n.endswith("units.csv") for n in names)
    assert PackageFiles(folder).get("../../secret.txt") is None


def test_malformed_json_names_line_and_column(tmp_path):
    folder = shutil.copytree(GOOD, tmp_path / "pkg")
    (folder / "datapackage.json").write_text('{\n  "name": "x",\n  "resources": [\n    {"name": "units",}\n  ]\n}\n')
    problem, = check_county(folder, Settings()).problems
    assert (problem.code, problem.row) == ("package-invalid-json", 4)
    assert "第4行第22列" in problem.message


def test_a_table_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    folder = shutil.copytree(GOOD, tmp_path / "pkg")
    size = (folder / "projects.csv").stat().st_size
    assert ("file-too-large", "projects.csv", None, None) in codes(folder, max_file_bytes=size - 1)
    assert not [c for c in codes(folder, max_file_bytes=size) if c[0] == "file-too-large"]


def test_a_table_over_the_row_limit_is_refused(tmp_path):
    folder = shutil.copytree(GOOD, tmp_path / "pkg")
    assert ("too-many-rows", "project_funds.csv", None, None) in codes(folder, max_rows=2)


@pytest.mark.parametrize("cell, safe", [
    ("=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"), ("+1+1", "'+1+1"), ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tcmd", "'\tcmd"), ("\r=1", "'\r=1"),
    ("-5", "-5"), ("+3.5", "+3.5"), ("普通文字", "普通文字"), ("a=b", "a=b"), ("", ""),
])
def test_neutralise(cell, safe):
    assert neutralise(cell) == safe


def test_spreadsheet_downloads_run_nothing(tmp_path):
    data = tmp_path / "data"
    folder = shutil.copytree(GOOD, data / "519902")
    formulas = {"name": "=HYPERLINK(\"http://evil.example\",\"点击\")", "content": "+cmd|' /C calc'!A0",
                "location": "@SUM(1+1)*cmd|' /C calc'!A0", "performance_targets": "-2+3+cmd|' /C calc'!A0"}
    rows = list(csv.DictReader(io.StringIO((folder / "projects.csv").read_text(encoding="utf-8"))))
    rows[0].update(formulas)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (folder / "projects.csv").write_text(buffer.getvalue(), encoding="utf-8")
    assert build_site(data, tmp_path / "out").returncode == 0
    downloads = tmp_path / "out" / "519902" / "data"

    workbook = load_workbook(downloads / "gongshi-519902.xlsx")
    sheet = workbook["projects"]
    header = [c.value for c in sheet[2]]
    first = {h: c for h, c in zip(header, sheet[3], strict=True)}
    for field, text in formulas.items():
        assert first[field].data_type == "s" and first[field].value == "'" + text, field
    assert first["budget"].data_type == "n" and first["budget"].value == 80000
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)

    with open(downloads / "tables" / "projects.csv", encoding="utf-8-sig", newline="") as fh:
        first_csv = next(csv.DictReader(fh))
    for field, text in formulas.items():
        assert first_csv[field] == "'" + text


def assert_our_shape(problems: list) -> None:
    for p in problems:
        assert isinstance(p, Problem) and p.severity in ("error", "warning") and p.code and p.message and p.message_en


FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FAST
@given(data=st.binary(max_size=2000), resource=st.sampled_from(["regions", "projects", "notices", "project_funds"]))
def test_random_bytes_never_raise(tmp_path_factory, data, resource):
    folder = shutil.copytree(GOOD, tmp_path_factory.mktemp("fuzz") / "pkg")
    (folder / f"{resource}.csv").write_bytes(data)
    assert_our_shape(check_county(folder, Settings()).problems)


cells = st.text(alphabet=st.sampled_from(list('0123456789,."\n\r =+-@年月日万元¥中文XMZJ519902abc\t')), max_size=12)


@FAST
@given(rows=st.lists(st.lists(cells, max_size=25), max_size=8), resource=st.sampled_from(["allocations", "projects", "units"]))
def test_random_csv_shapes_never_raise(tmp_path_factory, rows, resource):
    folder = shutil.copytree(GOOD, tmp_path_factory.mktemp("fuzz") / "pkg")
    original = (folder / f"{resource}.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    buffer = io.StringIO()
    csv.writer(buffer).writerows([original, *rows])
    (folder / f"{resource}.csv").write_text(buffer.getvalue(), encoding="utf-8")
    assert_our_shape(check_county(folder, Settings()).problems)


@FAST
@given(text=st.one_of(st.text(max_size=300), st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20).map(json.dumps)))
def test_random_descriptors_never_raise(tmp_path_factory, text):
    folder = shutil.copytree(GOOD, tmp_path_factory.mktemp("fuzz") / "pkg")
    (folder / "datapackage.json").write_text(text, encoding="utf-8")
    assert_our_shape(check_county(folder, Settings()).problems)
