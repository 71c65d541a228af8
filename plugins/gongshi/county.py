"""One county, end to end: load, verify, read, check and (when clean) model; and many counties checked at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from .assemble import build_county
from .checks.attachments import attachment_problems
from .checks.ledgers import ledger_rules
from .checks.lists import list_reference_problems, missing_table_problems
from .checks.phones import phone_problems
from .checks.precision import precision_problems
from .checks.privacy import frame_privacy_problems, privacy_problems
from .checks.rules import (
    RULE_FIELDS,
    date_rules,
    division_rules,
    household_rules,
    money_rules,
    region_rules,
    source_rules,
    spending_rules,
)
from .checks.schema import fast_schema_problems
from .checks.unstated import unstated_problems
from .model import County
from .package.descriptor import DESCRIPTOR
from .package.load import CountyPackage, PackageFiles, open_package
from .package.read import Normalized, normalize
from .package.records import frame_records
from .parallel import parallel_map
from .problems import ERROR, WARNING, Problem, error, sort_key
from .schemas import ALL_RESOURCES, OPTIONAL_RESOURCES, RESOURCES, load_schemas
from .settings import Settings
from .trust.history import copied_signature, verify_history
from .trust.verify import Trust, verify_package

TrustState = tuple[Trust | None, list[Problem]]


@dataclass
class CountyCheck:
    """What checking one county package found."""

    folder: Path
    package: CountyPackage | None
    problems: list[Problem] = field(default_factory=list)
    # False when signature problems were let through for a local preview (allow_unsigned).
    verified: bool = True
    normalized: dict[str, Normalized] = field(default_factory=dict)
    # The field lists of the tables, when every required table could be read.
    readable: dict[str, list[dict]] | None = None
    _tables: dict[str, list[dict]] | None = field(default=None, repr=False)
    _model: County | None = field(default=None, repr=False)
    # The stamps of the archived versions verified clean (trust.history.archive_stamp), for the next build.
    clean_archives: set[str] = field(default_factory=set)

    @property
    def tables(self) -> dict[str, list[dict]] | None:
        """Every table as typed records (None when a required table could not be read), built when first asked for."""
        if self._tables is None and self.readable is not None:
            tables = {name: frame_records(self.normalized[name].frame, fields, self.normalized[name].rows)
                      for name, fields in self.readable.items()}
            for name in OPTIONAL_RESOURCES:
                tables.setdefault(name, [])
            self._tables = tables
        return self._tables

    @property
    def texts(self) -> dict[str, str]:
        """Each table that could be read, as canonical CSV text (what the spreadsheet downloads are made from)."""
        return {name: table.text for name, table in self.normalized.items() if table.text is not None}

    @property
    def model(self) -> County:
        """The county's model, linked from its records; ask only when the package is publishable."""
        if self._model is None:
            package = self.package
            self._model = build_county(package.county, package.title, package.demo, self.tables, package.notice_days)
            self._model.verified = self.verified
        return self._model

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def publishable(self) -> bool:
        return self.package is not None and self.readable is not None and not self.errors

    @property
    def county(self) -> str:
        return self.package.county if self.package else self.folder.name


# Rules added after a county may have published a version that breaks them, and that leave what it published true:
# an archived version that breaks only these is still its last good version (a fraction of a fen is shown rounded,
# as the pages round it). A new submission must keep them; a privacy or integrity rule is never in this list.
ARCHIVE_TOLERATED = frozenset({"amount-fraction-of-fen"})


def as_archived(check: CountyCheck) -> CountyCheck:
    """The check of an archived, once published version: ARCHIVE_TOLERATED errors are warnings."""
    check.problems = [replace(p, severity=WARNING) if p.is_error and p.code in ARCHIVE_TOLERATED else p
                      for p in check.problems]
    return check


def check_county(folder: str | Path, settings: Settings, trust: TrustState | None = None,
                 files: PackageFiles | None = None, verified: Collection[str] = ()) -> CountyCheck:
    """Collect every problem of one county package; never raises for bad data. The flow for one county: open the
    package, verify it (the build), read and repair its tables, check them, and (asked for later) model it.

    With `trust` (as the build passes it), the package's signature, file hashes and history are verified first;
    archived versions whose stamps are in `verified` were verified by an earlier build. `files` are the package's
    files when the caller has read some of them already (each is read once).
    """
    schemas = load_schemas(settings.schemas_path)
    package, problems = open_package(folder, schemas, files or PackageFiles(folder, settings.max_file_bytes))
    result = CountyCheck(folder=Path(folder), package=package, problems=problems)
    if package is None:
        return result
    refusals, result.verified = _verify(package, settings, trust, verified, result.clean_archives)
    problems.extend(refusals)
    result.normalized = tables = read_tables(package, settings, problems)
    readable = {name: n for name, n in tables.items() if n.frame is not None}
    checked = _schema_and_privacy(package, tables, readable, schemas)
    if all(name in readable for name in RESOURCES):
        checked += _rules(package, readable, schemas, settings)
        result.readable = {name: schemas.fields(name) for name in ALL_RESOURCES if name in readable}
    problems.extend(_not_reported_yet(checked, tables, package))
    if package.strict_from is not None:
        problems[:] = _strict(problems, package, readable)
    problems.sort(key=sort_key)
    return result


def _verify(package: CountyPackage, settings: Settings, trust: TrustState | None, verified: Collection[str],
            clean: set[str]) -> tuple[list[Problem], bool]:
    """What stops the package from being trusted, and whether it is trusted. Without `trust` (validate, sign)
    only a signature copied from another county's package is said, as a warning."""
    # A signature copied with another county's package is one problem, not one per file it no longer matches.
    copied = copied_signature(package.folder, package.county, settings.history_path, settings.keys_path,
                              package.files)
    if trust is None:
        return ([replace(copied, severity=WARNING)] if copied else []), True
    trust_file, trust_problems = trust
    if copied:
        refusals = [*trust_problems, copied]
    else:
        # open_package has said which paths it refused
        refusals = trust_problems + [p for p in verify_package(package.folder, package.county, trust_file,
                                                               files=package.files) if p.code != "unsafe-path"]
        history = verify_history(settings.history_path, package.county, trust_file, package.files.get(DESCRIPTOR),
                                 verified, clean)
        if any(p.code == "signature-missing" for p in refusals):  # gongshi sign records the release too
            history = [p for p in history if p.code != "release-missing"]
        refusals += history
    if refusals and settings.allow_unsigned:
        return [replace(p, severity=WARNING) for p in refusals], False
    return refusals, True


def _schema_and_privacy(package: CountyPackage, tables: dict[str, Normalized], readable: dict[str, Normalized],
                        schemas) -> list[Problem]:
    """The schema's checks of every readable table (rows as the spreadsheet numbers them) and the privacy checks
    of every cell."""
    checked: list[Problem] = []
    frames = {name: readable[name].frame for name in ALL_RESOURCES if name in readable}
    by_path = {package.display_path(name): table for name, table in readable.items()}
    for problem in fast_schema_problems(frames, package.display_path, schemas):
        table = by_path.get(problem.path)
        if table is not None:
            problem = replace(problem, row=table.spreadsheet_row(problem.row))
        checked.append(problem)
    for name, table in tables.items():
        if table.plain:
            checked.extend(frame_privacy_problems(table.frame, schemas.fields(name), package.display_path(name)))
        elif table.original is not None:
            checked.extend(privacy_problems(table.original, schemas.fields(name), package.display_path(name)))
    checked.extend(unstated_problems(readable, package.display_path, schemas))
    checked.extend(precision_problems(readable, package.display_path, schemas))
    return checked


LEDGER_TABLES = ("indicators", "disbursements")


def _rules(package: CountyPackage, readable: dict[str, Normalized], schemas, settings: Settings) -> list[Problem]:
    """The rules across tables: regions, divisions, money, dates, phones."""
    # The rules read a few columns of each table; the whole records are built only when asked for.
    records = {name: frame_records(readable[name].frame,
                                   [f for f in schemas.fields(name) if f["name"] in RULE_FIELDS[name]],
                                   readable[name].rows)
               for name in RULE_FIELDS}
    path = package.display_path
    found = [*region_rules(records, path, package.county)]
    if not package.demo:  # demo data is fictional, codes and all
        found += division_rules(records, path, package.county, str(package.folder / DESCRIPTOR))
    found += money_rules(records, path)
    found += source_rules(records, path)
    found += spending_rules(records, path)
    if "beneficiaries" in readable:
        found += household_rules(readable["beneficiaries"], path)
    for name in LEDGER_TABLES:
        if name in readable:
            records[name] = frame_records(readable[name].frame, schemas.fields(name), readable[name].rows)
    found += ledger_rules(records, path)
    found += date_rules(records, path, settings.min_notice_days, package.notice_days)
    found += phone_problems(readable, path, schemas)  # the publicContact columns, as read
    found += list_reference_problems(readable, path, schemas)
    found += missing_table_problems(readable, path, schemas, set(package.resources or {}))
    found += attachment_problems(records["notices"], package.files, path, schemas)
    return found


def _strict(problems: list[Problem], package: CountyPackage, readable: dict[str, Normalized]) -> list[Problem]:
    """A county that set gongshi.strict must state every fact in its records of that year and after: their
    not-stated warnings are errors."""
    since = package.strict_from.year if package.strict_from > dt.date.min else 0
    strict_rows = set()
    for name, table in readable.items():
        if "year" in table.frame.columns:
            years = table.frame["year"].to_list()
            strict_rows |= {(package.display_path(name), row) for row, year in zip(table.rows or
                            range(2, len(years) + 2), years, strict=True) if year.isdigit() and int(year) >= since}
        elif not since:
            strict_rows |= {(package.display_path(name), row) for row in table.rows or range(2, len(table.frame) + 2)}
    return [replace(p, severity=ERROR) if p.code == "not-stated" and (p.path, p.row) in strict_rows else p
            for p in problems]


def _not_reported_yet(checked: list[Problem], tables: dict[str, Normalized], package: CountyPackage) -> list[Problem]:
    """Drop problems about a cell or column the reader already reported as an error (a mangled code, a missing column)."""
    reported = {(package.display_path(name), row, field) for name, t in tables.items() for row, field in t.reported}
    missing = {(package.display_path(name), field) for name, t in tables.items() for field in t.missing_fields}
    return [p for p in checked if (p.path, p.row, p.field) not in reported and (p.path, p.field) not in missing]


def read_tables(package: CountyPackage, settings: Settings, problems: list[Problem]) -> dict[str, Normalized]:
    """Read and repair each table that is within the size limit."""
    schemas = load_schemas(settings.schemas_path)
    tables = {}
    for name in ALL_RESOURCES:
        path = package.resources.get(name)
        if path is None:
            continue
        size = path.stat().st_size
        if size > settings.max_file_bytes:
            problems.append(error("file-too-large", package.display_path(name), None, None,
                                  f"文件有 {size:,} 字节，超过上限 {settings.max_file_bytes:,} 字节，未读取。请拆分数据或联系管理员。",
                                  f"The file is {size:,} bytes, over the limit of {settings.max_file_bytes:,}; it was not read."))
            continue
        table = normalize(path, package.display_path(name), name, schemas.fields(name), settings.max_rows,
                          data=package.read(name))
        problems.extend(table.problems)
        tables[name] = table
    return tables


@dataclass
class CountyReport:
    """What `check_counties` returns for one county: its problems and how many rows its tables hold."""

    folder: Path
    problems: list[Problem]
    rows: int


def _report(folder: Path, settings: Settings) -> CountyReport:
    check = check_county(folder, settings)
    rows = sum(len(t.frame) for t in check.normalized.values() if t.frame is not None)
    return CountyReport(Path(folder), check.problems, rows)


def check_counties(folders: list[Path], settings: Settings, workers: int | None = None) -> list[CountyReport]:
    """Check many county packages, in parallel processes (one per core by default); results in `folders` order.

    Each process checks whole counties with one thread of its own, which suits tables of a few thousand rows.
    """
    return parallel_map(partial(_report, settings=settings), folders, workers, start="spawn", one_thread=True)


def save_repairs(folder: Path, settings: Settings) -> tuple[list[Problem], list[str]]:
    """Write the certain repairs of each table back to its file; return all problems and the files rewritten."""
    check = check_county(folder, settings)
    written = []
    for name, table in check.normalized.items():
        # A table with an error of its own keeps its file untouched, so nothing the clerk typed is lost.
        if table.changed and table.text is not None and not any(p.is_error for p in table.problems):
            path = check.package.resources[name]
            path.write_text(table.text, encoding="utf-8", newline="\n")
            written.append(str(path))
    # Only a rewritten file can change what the checks find.
    return (check_county(folder, settings).problems if written else check.problems), written
