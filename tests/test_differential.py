"""The column engine reports exactly what Frictionless reports, and the fast readings equal the careful ones.

Frictionless (checks/schema_reference.py `schema_problems`) is the reference for what each schema check means. Every defect
and messy fixture, and random mutations of a good package, are checked by both engines on the same canonical tables;
the problems must be the same, message for message. The fast paths of reading (a file in the standard shape read
column by column), of the privacy scan and of typed records must give what the row-by-row ways give.
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongshi.checks.privacy import frame_privacy_problems, privacy_problems
from gongshi.checks.schema import check_support, fast_schema_problems
from gongshi.checks.schema_reference import schema_problems
from gongshi.county import read_tables
from gongshi.package.load import open_package
from gongshi.package.read import normalize
from gongshi.package.records import frame_records, read_records
from gongshi.schemas import ALL_RESOURCES, load_schemas
from gongshi.settings import Settings

from conftest import DEFECTS, FIXTURES, GOOD

SETTINGS = Settings()
SCHEMAS = load_schemas(SETTINGS.schemas_path)
MESSY = FIXTURES / "messy"


def overlay(folder: Path, *layers: Path) -> Path:
    shutil.copytree(GOOD, folder)
    for layer in layers:
        for file in layer.iterdir():
            shutil.copy(file, folder / file.name)
    return folder


def both_engines(folder: Path) -> tuple[Counter, Counter]:
    """Check the package's canonical tables with Frictionless and with the column engine."""
    package, _ = open_package(folder, SCHEMAS)
    assert package is not None
    tables = {n: t for n, t in read_tables(package, SETTINGS, []).items() if t.frame is not None}
    present = [n for n in ALL_RESOURCES if n in tables]
    with tempfile.TemporaryDirectory() as tmp:
        for name in present:
            Path(tmp, f"{name}.csv").write_text(tables[name].text, encoding="utf-8")
        reference = Counter(schema_problems(Path(tmp), present, package.display_path, SCHEMAS))
    fast = Counter(fast_schema_problems({n: tables[n].frame for n in present}, package.display_path, SCHEMAS))
    return reference, fast


def assert_same_reading(folder: Path) -> None:
    """Reading each table fast equals reading it row by row; so do the privacy scan and the typed records."""
    package, _ = open_package(folder, SCHEMAS)
    for name, path in package.resources.items():
        fields = SCHEMAS.fields(name)
        args = (path, package.display_path(name), name, fields, SETTINGS.max_rows)
        fast, careful = normalize(*args), normalize(*args, fast=False)
        for attribute in ("text", "rows", "original", "problems", "reported", "missing_fields", "changed"):
            assert getattr(fast, attribute) == getattr(careful, attribute), (name, attribute)
        assert (fast.frame is None) == (careful.frame is None)
        if fast.frame is None:
            continue
        assert fast.frame.equals(careful.frame), name
        assert frame_records(fast.frame, fields, fast.rows) == read_records(fast.text, fields, fast.rows), name
        if fast.plain:
            assert list(frame_privacy_problems(fast.frame, fields, "x")) == list(privacy_problems(fast.original, fields, "x"))


def assert_engines_agree(folder: Path) -> None:
    reference, fast = both_engines(folder)
    where = Counter({(p.code, Path(p.path).name, p.row, p.field): n for p, n in reference.items()})
    assert Counter({(p.code, Path(p.path).name, p.row, p.field): n for p, n in fast.items()}) == where
    assert fast == reference  # messages too


def test_our_schemas_are_within_the_column_engine():
    check_support(SCHEMAS)


CASES = [("defects", d.name) for d in sorted(DEFECTS.iterdir())] + [("messy", d.name) for d in sorted(MESSY.iterdir())]


@pytest.mark.parametrize("kind, case", CASES)
def test_fixture_checked_the_same(kind, case, tmp_path):
    folder = overlay(tmp_path / "pkg", FIXTURES / kind / case)
    if (folder / "datapackage.json").read_text(encoding="utf-8").lstrip().startswith("{") and \
            open_package(folder, SCHEMAS)[0] is not None:
        assert_engines_agree(folder)
        assert_same_reading(folder)


# Values that are wrong (or nearly right) for one field or another.
ODD_VALUES = [
    "", " ", "abc", "-1", "-0.01", "-0", "0", "007", "1.5", "12.5", "1.0", "3000", "0.001", "0.00", "-0.00", "+5", " 5",
    "5 ", "1e3", "1E+5", "NaN", "nan", "Infinity", "-Infinity", "1_000", "٣", "５", "１２３", "1,000",
    "99999999999999999999", "12345678901234567.5", "1999", "2000", "2100", "2101", "2025-02-30", "2024-02-29",
    "0000-01-01", "0001-01-01", "2025/01/01", "2025-1-1", "2025-01-01 ", " 2025-01-01", "2025-01-01\n", "20250101",
    "45905", "XM-1\n", "XM-1 ", "a b", "-x", ".x", "x" * 64, "x" * 65, "长" * 50, "长" * 51, "长" * 201, "village",
    "central", "村", "zz", "519902100201", "51990210020", "5199021002010", "5.19902E+11", "NOPE-1", "czj", "XM-2",
    "ZJ-2", "519902000000", "0838-5300001", "13812345678", "王*明", "李秀英", "H001",
]
BASE_LAYERS = (DEFECTS / "unmasked-beneficiary-name",)  # the good package with a household list


def read_base() -> dict[str, list[list[str]]]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = overlay(Path(tmp) / "pkg", *BASE_LAYERS)
        return {p.stem: list(csv.reader(io.StringIO(p.read_text(encoding="utf-8"), newline="")))
                for p in folder.glob("*.csv")}


BASE = read_base()
edits = st.lists(st.tuples(
    st.sampled_from(sorted(BASE)),
    st.sampled_from(["set", "set", "edge", "edge", "copy", "duplicate-row", "drop-row"]),
    st.integers(0, 50), st.integers(0, 50), st.sampled_from(ODD_VALUES) | st.text(max_size=6)), min_size=1, max_size=6)


def edge_values(spec: dict) -> list[str]:
    """Values on either side of each constraint of a field."""
    constraints = spec.get("constraints", {})
    values = ["", "x", "-1", "1.5"]
    for key in ("maxLength", "minLength"):
        if key in constraints:
            n = constraints[key]
            values += ["长" * n, "长" * (n + 1), "a" * max(n - 1, 0), "长" * (n - 1) + "\n"]
    for key in ("minimum", "maximum"):
        if key in constraints:
            n = constraints[key]
            values += [str(n), str(n - 1), str(n + 1), f"{n}.00", f"{n - 1}.99", f"{n}.01"]
    for choice in constraints.get("enum", []):
        values += [choice, choice.upper(), choice + " ", choice + "\n"]
    if "pattern" in constraints:
        values += ["0" * 12, "0" * 11, "0" * 12 + "\n", "a" * 64, "a" * 65, "a-" * 32, "_a", "A.b-c_d"]
    return values


def mutate(tables: dict[str, list[list[str]]], edit) -> None:
    table, kind, row, column, value = edit
    header, body = tables[table][0], tables[table][1:]
    if not body:
        return
    r, c = row % len(body), column % len(header)
    if kind == "set":
        body[r][c] = value
    elif kind == "edge":
        edges = edge_values(SCHEMAS.field(table, header[c]) or {})
        body[r][c] = edges[(row * 51 + column) % len(edges)]
    elif kind == "copy":  # another row's value: a duplicate key or a foreign key to a row that exists
        body[r][c] = body[(r + 1) % len(body)][c]
    elif kind == "duplicate-row":
        body.append(list(body[r]))
    else:
        del body[r]
    tables[table] = [header, *body]


def test_signalling_nan_is_below_the_minimum_like_nan(tmp_path):
    """Frictionless raises on Decimal("sNaN") in a field with a minimum; the column engine reports it like NaN."""
    from gongshi.county import check_county

    folder = overlay(tmp_path / "pkg")
    text = (folder / "allocations.csv").read_text(encoding="utf-8")
    (folder / "allocations.csv").write_text(text.replace(",100000.00,", ",sNaN,"), encoding="utf-8")
    found = [(p.code, p.row, p.field) for p in check_county(folder, SETTINGS).problems if p.is_error]
    assert ("constraint-error", 2, "amount") in found


def write_tables(folder: Path, tables: dict[str, list[list[str]]]) -> None:
    for name, rows in tables.items():
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        (folder / f"{name}.csv").write_text(buffer.getvalue(), encoding="utf-8")


def test_every_odd_value_in_every_column_checked_the_same(tmp_path):
    """Every odd value and every constraint's edges in every column of every table, all in one package."""
    tables = {}
    for name, (header, *body) in BASE.items():
        values = [ODD_VALUES + edge_values(SCHEMAS.field(name, field) or {}) for field in header]
        rows = [header, *body]
        # Row n holds the n-th value of each column's list, shifted by the column so rows are not all alike.
        for n in range(max(len(v) for v in values)):
            row = list(body[n % len(body)])
            for c, column_values in enumerate(values):
                row[c] = column_values[(n + 7 * c) % len(column_values)]
            rows.append(row)
        tables[name] = rows
    folder = overlay(tmp_path / "pkg", *BASE_LAYERS)
    write_tables(folder, tables)
    assert_engines_agree(folder)
    assert_same_reading(folder)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=edits)
def test_mutated_package_checked_the_same(tmp_path_factory, changes):
    tables = {name: [list(r) for r in rows] for name, rows in BASE.items()}
    for change in changes:
        mutate(tables, change)
    folder = overlay(tmp_path_factory.mktemp("mutated") / "pkg", *BASE_LAYERS)
    write_tables(folder, tables)
    assert_engines_agree(folder)
    assert_same_reading(folder)


# Pieces of personal numbers as people type them, to be put in cells alone or split across neighbouring cells.
PIECES = ["", "11010519491231002X", "110105 1949", "1231002X", "身份证１１０１０５", "１９４９１２３１００２Ｘ", "138-1234-5678",
          "138 1234", "5678", "+86 139 1234 5678", "联系电话", "13912345678", "卡号 6222 0212", "3456 7890 128",
          "6222021234567890128", "账号", "22-050101040012345", "0838-5300001", "XM2025-000001", "519902100201",
          "1250000.00", "王*明", "李秀英", "欧阳*", " 张*三 ", "张三", "2025年7月4日", "—",
          "１３８—１２３４—５６７８", "138‑1234‑5678", "⑴⑵"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=st.sampled_from(sorted(BASE)), cells=st.lists(st.lists(st.sampled_from(PIECES) | st.text(max_size=4),
                                                                     min_size=12, max_size=12), min_size=1, max_size=6))
def test_privacy_scan_of_a_frame_finds_what_the_row_scan_finds(tmp_path_factory, table, cells):
    header = BASE[table][0]
    fields = SCHEMAS.fields(table)
    path = tmp_path_factory.mktemp("privacy") / f"{table}.csv"
    rows = [header] + [[row[c % len(row)] for c in range(len(header))] for row in cells]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    table_read = normalize(path, "x", table, fields, SETTINGS.max_rows)
    if table_read.plain:
        assert list(frame_privacy_problems(table_read.frame, fields, "x")) == \
            list(privacy_problems(table_read.original, fields, "x"))
