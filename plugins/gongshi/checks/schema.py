"""Check canonical tables against the shared Table Schemas column by column, reporting what Frictionless reports.

Frictionless (`checks/schema_reference.py`) stays the reference for what every check means. Here each table is held once, as
a frame of strings, and each column is checked with vectorised expressions for the values that are plainly of
their type (a canonical integer, number or date, a code matching its pattern); every other value is read one by
one with the rules Frictionless applies (`int()`, `Decimal()`, `strptime`, the pattern anchored with ^ and $), so
the errors are the same for any text. Errors are `Finding`s in Frictionless' terms, translated by the same
function, so code, row, field and message are the same too.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

import polars as pl

from ..problems import GongshiError, Problem
from ..schemas import SchemaSet, foreign_keys
from .messages import LIMIT_ERRORS, Finding, translate

# The constraints Frictionless checks for each type, in the order it checks them.
CONSTRAINTS = {
    "string": ("required", "minLength", "maxLength", "pattern", "enum"),
    "integer": ("required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum"),
    "number": ("required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum"),
    "date": ("required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum"),
}
_BOUNDS = {"minimum": operator.ge, "maximum": operator.le, "exclusiveMinimum": operator.gt,
           "exclusiveMaximum": operator.lt}
# Values that are plainly of their type, and whose typed value is written exactly so.
_PLAIN_INTEGER = r"^(0|-?[1-9][0-9]{0,17})$"
_PLAIN_NUMBER = r"^-?[0-9]{1,15}(\.[0-9]{1,15})?$"  # at most 15 digits: exact as a double
_PLAIN_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
# A pattern Rust's regex and Python's re read the same way: ASCII, no classes by letter, no look-around.
# ASCII, and 、 (the separator of a list of codes, a literal to both engines).
_PORTABLE_PATTERN = re.compile(r"[\x21-\x7e、]*")
_PATTERN_UNSAFE = re.compile(r"\\[a-zA-Z]|\(\?|\$|\^")

# Row errors in Frictionless' order within a row: cells (or a blank row), unique, primary key, foreign keys.
CELL, UNIQUE, PRIMARY, FOREIGN = 0, 1, 2, 3


class UnsupportedSchema(GongshiError, ValueError):
    """A schema uses a feature this engine does not check; checks/schema.py must learn it first."""


def _read_integer(cell: str):
    try:
        return int(cell.strip())
    except Exception:  # Frictionless reads any failure as "not of this type"
        return None


def _read_number(cell: str):
    try:
        return Decimal(cell.strip())
    except Exception:
        return None


def _read_date(cell: str):
    try:
        return dt.datetime.strptime(cell, "%Y-%m-%d").date()
    except Exception:
        return None


READERS: dict[str, Callable] = {"string": lambda cell: cell, "integer": _read_integer, "number": _read_number,
                                "date": _read_date}


def _key_text(value) -> str | None:
    """The text of a typed value as keys compare it and Frictionless' notes print it."""
    if value is None:
        return None
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _is_nan(value) -> bool:
    # Decimal("sNaN") cannot even be compared with itself; Frictionless raises on it, we read it as NaN.
    return value.is_nan() if isinstance(value, Decimal) else value != value


def _bound_ok(compare, bound, value) -> bool:
    if value is None:
        return True
    if _is_nan(value):  # NaN is below, above and outside everything
        return False
    return bool(compare(value, bound))


@dataclass
class Column:
    """One field of a schema, ready to check a column: Frictionless' reader and checks, and what is vectorised."""

    spec: dict
    index: int
    missing_values: list[str]
    checks: list[tuple[str, Callable]] = field(default_factory=list)

    def __post_init__(self):
        spec = self.spec
        self.name = spec["name"]
        self.type = spec.get("type", "string")
        self.format = spec.get("format", "default")
        if self.type not in READERS or self.format != "default":
            raise UnsupportedSchema(f"field {self.name}: type {self.type}/{self.format}")
        for key in ("bareNumber", "floatNumber", "decimalChar", "groupChar"):
            if key in spec:
                raise UnsupportedSchema(f"field {self.name}: {key}")
        self.constraints = spec.get("constraints", {})
        unknown = set(self.constraints) - set(CONSTRAINTS[self.type]) - {"unique"}
        if unknown:
            raise UnsupportedSchema(f"field {self.name}: constraints {sorted(unknown)}")
        self.reader = READERS[self.type]
        self.required = bool(self.constraints.get("required"))
        for name in CONSTRAINTS[self.type]:
            value = self.constraints.get(name)
            if value is None:
                continue
            if name == "required":
                self.checks.append((name, lambda cell, value=value: not (value and cell is None)))
            elif name in _BOUNDS:
                bound = self.reader_of(value)
                self.checks.append((name, lambda cell, b=bound, c=_BOUNDS[name]: _bound_ok(c, b, cell)))
            elif name == "minLength":
                self.checks.append((name, lambda cell, value=value: cell is None or len(cell) >= value))
            elif name == "maxLength":
                self.checks.append((name, lambda cell, value=value: cell is None or len(cell) <= value))
            elif name == "pattern":
                compiled = re.compile(f"^{value}$")
                self.checks.append((name, lambda cell, p=compiled: cell is None or bool(p.match(cell))))
            elif name == "enum":
                allowed = [self.reader_of(v) for v in value]
                self.checks.append((name, lambda cell, allowed=allowed: cell is None or (
                    not _is_nan(cell) and cell in allowed)))

    def reader_of(self, value):
        """Read a constraint's value as Frictionless does: text as a cell of this type, numbers as they are."""
        if isinstance(value, str):
            return self.reader(value)
        if self.type in ("integer", "number") and isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return value
        return value if self.type == "string" else None

    def note(self, name: str) -> str:
        return f'constraint "{name}" is "{self.constraints[name]}"'

    def read(self, cell: str) -> tuple[object, list[tuple[str, str]]]:
        """Read one cell exactly as Frictionless does: (typed value, [(error type, note), ...])."""
        value = None if cell in self.missing_values else cell
        if value is not None:
            value = self.reader(cell)
            if value is None:
                return None, [("type-error", f'type is "{self.type}/{self.format}"')]
        return value, [("constraint-error", self.note(name)) for name, check in self.checks if not check(value)]

    # Vectorised: which non-missing cells are plainly of the type, and which constraints they break.

    def plain(self, col: pl.Expr) -> pl.Expr | None:
        """Return which cells are checked by expressions alone, or None when every cell is read one by one."""
        vectorised = {"required", "minLength", "maxLength", "pattern", "enum", *_BOUNDS}
        if not set(self.constraints) - {"unique"} <= vectorised:
            return None
        if self.type == "string":
            pattern = self.constraints.get("pattern")
            enum = self.constraints.get("enum")
            if enum is not None and not all(isinstance(v, str) for v in enum):
                return None
            if pattern is None:
                return pl.lit(True)
            if not _PORTABLE_PATTERN.fullmatch(pattern) or _PATTERN_UNSAFE.search(pattern):
                return None
            try:
                re.compile(pattern)
                pl.select(pl.lit("").str.contains(pattern))  # Rust's regex must read it too
            except (re.error, pl.exceptions.PolarsError):
                return None
            # Python's "^p$" also allows one newline at the end.
            return col.str.contains(f"^(?:{pattern})\n?$")
        if "enum" in self.constraints:
            return None
        bounds = [self.constraints[name] for name in _BOUNDS if name in self.constraints]
        if self.type == "integer":
            if not all(isinstance(b, int) and not isinstance(b, bool) for b in bounds):
                return None
            return col.str.contains(_PLAIN_INTEGER)
        if self.type == "number":
            if not all(isinstance(b, int) and not isinstance(b, bool) and abs(b) < 2**53 for b in bounds):
                return None
            return col.str.contains(_PLAIN_NUMBER) & (col.str.count_matches("[0-9]") <= 15)
        if bounds:  # date
            return None
        plain = col.str.contains(_PLAIN_DATE) & ~col.str.starts_with("0000")
        return plain & col.str.to_date("%Y-%m-%d", strict=False).is_not_null()

    def broken(self, col: pl.Expr, name: str) -> pl.Expr:
        """Return which plain cells break constraint `name` (required aside)."""
        value = self.constraints[name]
        if name == "minLength":
            return col.str.len_chars() < value
        if name == "maxLength":
            return col.str.len_chars() > value
        if name == "pattern":
            return pl.lit(False)  # plain cells match it
        if name == "enum":
            return ~col.is_in(value)
        typed = col.cast(pl.Int64, strict=False) if self.type == "integer" else col.cast(pl.Float64, strict=False)
        return ~_BOUNDS[name](typed, value)


@dataclass
class Plan:
    """How to check a table of one schema: its fields, and the expressions that flag cells (built once)."""

    columns: list[Column]
    exprs: list[pl.Expr]
    slow: dict[int, str]  # field index → flag of cells read one by one
    broken: dict[int, list[tuple[int, str, str]]]  # field index → (order, constraint, flag) of plain cells
    flags: list[str]
    keyed: list[str]  # the fields whose typed values keys compare


def _keyed(schema: dict, referenced: set[str]) -> set[str]:
    """Return the fields of a table that its keys, unique constraints and foreign keys, or other tables', compare."""
    primary = schema.get("primaryKey", [])
    keyed = {primary} if isinstance(primary, str) else set(primary)
    keyed |= {f["name"] for f in schema["fields"] if f.get("constraints", {}).get("unique")}
    for fk in schema.get("foreignKeys", []):
        keyed |= set(fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]])
    return keyed | referenced


_PLANS: dict[tuple[int, frozenset], tuple[dict, Plan]] = {}


def _plan(schema: dict, referenced: set[str] = frozenset()) -> Plan:
    """Return the plan of a schema (built once), given the fields other tables' foreign keys refer to."""
    cache = (id(schema), frozenset(referenced))
    cached = _PLANS.get(cache)
    if cached is not None and cached[0] is schema:
        return cached[1]
    missing_values = schema.get("missingValues", [""])
    columns = [Column(spec, index, list(spec.get("missingValues", missing_values)))
               for index, spec in enumerate(schema["fields"])]
    keyed = _keyed(schema, referenced)
    exprs, flags, slow, broken, missing_all = [], [], {}, {}, []
    for c in columns:
        col = pl.col(c.name)
        missing = (col == "") if c.missing_values == [""] else col.is_in(c.missing_values)
        missing_all.append(missing)
        plain = c.plain(col)
        if plain is None:
            plain = pl.lit(False)
        else:
            plain = plain & ~missing
        if c.name in keyed:
            exprs.append(pl.when(plain).then(col).otherwise(None).alias(c.name))
        if c.plain(col) is None or c.type != "string" or "pattern" in c.constraints:
            slow[c.index] = f"s{c.index}"
            exprs.append((~missing & ~plain).alias(slow[c.index]))
        for order, (name, _check) in enumerate(c.checks):
            if name == "required" and not c.required:
                continue
            flag = f"e{c.index}_{order}"
            exprs.append((missing if name == "required" else plain & c.broken(col, name)).alias(flag))
            broken.setdefault(c.index, []).append((order, name, flag))
    flags = [*slow.values(), *(flag for found in broken.values() for _, _, flag in found)]
    exprs.append(pl.all_horizontal(missing_all).alias("_blank"))
    plan = Plan(columns, exprs, slow, broken, flags, [c.name for c in columns if c.name in keyed])
    _PLANS[cache] = (schema, plan)
    return plan


def _referenced(schemas: SchemaSet, name: str) -> set[str]:
    """Return the fields of table `name` that foreign keys (its own included) refer to."""
    found = set()
    for other, schema in schemas.tables.items():
        for fk in schema.get("foreignKeys", []):
            if (fk["reference"]["resource"] or other) == name:
                fields = fk["reference"]["fields"]
                found |= set(fields if isinstance(fields, list) else [fields])
    return found


@dataclass
class Checked:
    """A table's columns checked: typed key text of every cell (None when empty or not of its type), and errors."""

    keys: pl.DataFrame
    found: list[tuple]  # (row index, kind, position, order, Finding arguments)


def _check_table(frame: pl.DataFrame, schema: dict, referenced: set[str] = frozenset()) -> Checked:
    """Check every cell of a table, in one pass of expressions; read one by one only the cells that need it."""
    plan = _plan(schema, referenced)
    result = frame.lazy().with_row_index("_i").select("_i", *plan.exprs).with_columns(
        pl.any_horizontal(*plan.flags, "_blank").alias("_any")).collect()
    found: list[tuple] = []
    late: dict[str, tuple[list[int], list[str | None]]] = {}
    for row in result.filter(pl.col("_any")).iter_rows(named=True):
        i = row["_i"]
        if row["_blank"]:
            found.append((i, CELL, -1, 0, ("blank-row", None, None, "")))
            continue
        for c in plan.columns:
            if c.index in plan.slow and row[plan.slow[c.index]]:
                cell = frame[c.name][i]
                value, notes = c.read(cell)
                if c.name in plan.keyed:
                    indexes, values = late.setdefault(c.name, ([], []))
                    indexes.append(i)
                    values.append(_key_text(value))
                found.extend((i, CELL, c.index, order, (kind, c.name, cell, note))
                             for order, (kind, note) in enumerate(notes))
                continue
            for order, name, flag in plan.broken.get(c.index, ()):
                if row[flag]:
                    found.append((i, CELL, c.index, order,
                                  ("constraint-error", c.name, frame[c.name][i], c.note(name))))
    keys = result.select(plan.keyed)
    if late:
        keys = keys.with_columns(keys[name].scatter(indexes, pl.Series(values, dtype=pl.String))
                                 for name, (indexes, values) in late.items())
    return Checked(keys, found)


def _integrity(name: str, schema: dict, checked: dict[str, Checked]) -> list[tuple]:
    """Return the unique, primary-key and foreign-key findings of one table, as Frictionless reports them."""
    keys = checked[name].keys
    exprs, kinds = [], []
    row = pl.col("_i")
    for index, spec in enumerate(schema["fields"]):
        if spec.get("constraints", {}).get("unique"):
            col = pl.col(spec["name"])
            exprs.append(pl.when(col.is_not_null()).then(row.shift(1).over(col)).alias(f"u{index}"))
            kinds.append(("unique", index, spec["name"]))
    primary = schema.get("primaryKey", [])
    primary = [primary] if isinstance(primary, str) else primary
    if primary:
        empty = pl.all_horizontal(pl.col(k).is_null() for k in primary)
        exprs += [empty.alias("p_empty"), pl.when(~empty).then(row.shift(1).over(primary)).alias("p_prev")]
        kinds.append(("primary", 0, None))
    multi = []
    for order, (fields, source, ref_fields) in enumerate(foreign_keys(name, schema)):
        if source not in checked:
            continue
        note = (f'for "{", ".join(fields)}": values "',
                f'" not found in the lookup table "{source}" as "{", ".join(ref_fields)}"')
        if len(fields) != 1:
            multi.append((order, fields, ref_fields, source, note))
            continue
        col = pl.col(fields[0])
        lookup = checked[source].keys[ref_fields[0]].implode()  # a null there matches nothing: nulls are skipped
        exprs.append((col.is_not_null() & ~col.is_in(lookup)).alias(f"f{order}"))
        kinds.append(("foreign", order, (fields[0], note)))
    found: list[tuple] = []
    if exprs:
        flags = [pl.col(f"u{index}").is_not_null() for kind, index, _ in kinds if kind == "unique"]
        flags += [pl.col("p_empty") | pl.col("p_prev").is_not_null()] if primary else []
        flags += [pl.col(f"f{order}") for kind, order, _ in kinds if kind == "foreign"]
        flagged = keys.lazy().with_row_index("_i").with_columns(exprs).filter(pl.any_horizontal(flags)).collect()
        for r in flagged.iter_rows(named=True):
            i = r["_i"]
            for kind, index, extra in kinds:
                if kind == "unique" and r[f"u{index}"] is not None:
                    found.append((i, UNIQUE, index, 0, ("unique-error", extra, r[extra],
                                                        f"the same as in the row at position {r[f'u{index}'] + 2}")))
                elif kind == "primary" and r["p_empty"]:
                    found.append((i, PRIMARY, 0, 0, ("primary-key", None, None,
                                                     'cells composing the primary keys are all "None"')))
                elif kind == "primary" and r["p_prev"] is not None:
                    found.append((i, PRIMARY, 0, 0, ("primary-key", None, None,
                                                     f"the same as in the row at position {r['p_prev'] + 2}")))
                elif kind == "foreign" and r[f"f{index}"]:
                    found.append((i, FOREIGN, index, 0,
                                  ("foreign-key", None, None, extra[1][0] + r[extra[0]] + extra[1][1])))
    for order, fields, ref_fields, source, note in multi:
        ref = checked[source].keys
        lookup = {t for t in ref.select(ref_fields).iter_rows() if set(t) != {None}}
        for i, cells in enumerate(keys.select(fields).iter_rows()):
            if set(cells) != {None} and cells not in lookup:
                found.append((i, FOREIGN, order, 0, ("foreign-key", None, None,
                                                     note[0] + ", ".join(str(c) for c in cells) + note[1])))
    return found


def check_support(schemas: SchemaSet) -> None:
    """Raise UnsupportedSchema when a schema uses a feature this engine does not check."""
    for name, schema in schemas.tables.items():
        for index, spec in enumerate(schema["fields"]):
            Column(spec, index, [""])
        typed = {f["name"]: f.get("type", "string") for f in schema["fields"]}
        used = list(schema.get("primaryKey", []) if isinstance(schema.get("primaryKey"), list) else
                    [schema.get("primaryKey")] if schema.get("primaryKey") else [])
        used += [f["name"] for f in schema["fields"] if f.get("constraints", {}).get("unique")]
        for fk in schema.get("foreignKeys", []):
            used += fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]]
        if any(typed.get(k) == "number" for k in used):
            raise UnsupportedSchema(f"{name}: a number field in a key")


def findings(frames: dict[str, pl.DataFrame], schemas: SchemaSet) -> dict[str, list[Finding]]:
    """Return each table's findings in Frictionless' order, at most LIMIT_ERRORS per table."""
    checked = {name: _check_table(frame, schemas.tables[name], _referenced(schemas, name))
               for name, frame in frames.items()}
    result = {}
    for name, table in checked.items():
        schema = schemas.tables[name]
        present = {**schema, "foreignKeys": [fk for fk in schema.get("foreignKeys", [])
                                             if (fk["reference"]["resource"] or name) in frames]}
        found = table.found + _integrity(name, present, checked)
        found.sort(key=lambda f: f[:4])
        result[name] = [Finding(kind, i + 2, field_name, cell, note)
                        for i, _, _, _, (kind, field_name, cell, note) in found[:LIMIT_ERRORS]]
    return result


def fast_schema_problems(frames: dict[str, pl.DataFrame], display, schemas: SchemaSet) -> Iterator[Problem]:
    """Yield every schema error of the tables, as `schema_problems` does with Frictionless (canonical row numbers).

    `frames` holds each present table's canonical text as strings, one column per field in schema order.
    """
    for name, found in findings(frames, schemas).items():
        path = display(name)
        for finding in found:
            yield translate(finding, name, path, schemas)
