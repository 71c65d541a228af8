"""One county, end to end: load, check, and (when clean) build its model."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from .checks.privacy import privacy_problems
from .checks.rules import date_rules, money_rules, region_rules
from .checks.schema import schema_problems
from .descriptor import DESCRIPTOR
from .history import verify_history
from .load import CountyPackage, open_package
from .problems import WARNING, Problem, count, sort_key
from .schemas import RESOURCES, load_schemas
from .settings import Settings
from .tables import read_records
from .verify import Trust, verify_package

TrustState = tuple[Trust | None, list[Problem]]


@dataclass
class CountyCheck:
    """What checking one county package found."""

    folder: Path
    package: CountyPackage | None
    problems: list[Problem] = field(default_factory=list)
    tables: dict[str, list[dict]] | None = None
    # False when signature problems were let through for a local preview (allow_unsigned).
    verified: bool = True

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def publishable(self) -> bool:
        return self.package is not None and self.tables is not None and not self.errors

    @property
    def county(self) -> str:
        return self.package.county if self.package else self.folder.name


def check_county(folder: str | Path, settings: Settings, trust: TrustState | None = None) -> CountyCheck:
    """Collect every problem of one county package; never raises for bad data.

    With `trust` (as the build passes it), the package's signature and file hashes are verified first.
    """
    schemas = load_schemas(settings.schemas_path)
    package, problems = open_package(folder, schemas)
    result = CountyCheck(folder=Path(folder), package=package, problems=problems)
    if package is None:
        return result
    if trust is not None:
        trust_file, trust_problems = trust
        refusals = trust_problems + verify_package(package.folder, package.county, trust_file)
        refusals += verify_history(settings.history_path, package.county, trust_file,
                                   (package.folder / DESCRIPTOR).read_bytes())
        if refusals and settings.allow_unsigned:
            refusals = [replace(p, severity=WARNING) for p in refusals]
            result.verified = False
        problems.extend(refusals)
    problems.extend(schema_problems(package, schemas))
    problems.extend(privacy_problems(package, schemas))
    if all(name in package.resources for name in RESOURCES):
        tables = {name: read_records(package.resources[name], schemas.fields(name)) for name in RESOURCES}
        path = package.display_path
        problems.extend(region_rules(tables, path, package.county))
        problems.extend(money_rules(tables, path))
        problems.extend(date_rules(tables, path, settings.min_notice_days))
        result.tables = tables
    problems.sort(key=sort_key)
    return result


def find_packages(path: str | Path) -> list[Path]:
    """Return path itself if it is a package, else the package folders directly inside it."""
    path = Path(path)
    if (path / DESCRIPTOR).is_file():
        return [path]
    if not path.is_dir():
        return []
    return sorted(p for p in path.iterdir() if p.is_dir() and (p / DESCRIPTOR).is_file())


def totals(checks: list[CountyCheck]) -> tuple[int, int]:
    return count(p for c in checks for p in c.problems)
