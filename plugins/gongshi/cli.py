"""The gongshi command line: validate county data packages and keep them in shape."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import problems as report
from .descriptor import DESCRIPTOR, build_descriptor, write_descriptor
from .pipeline import check_county, find_packages
from .schemas import load_schemas
from .settings import Settings, SettingsError, from_dict

FORMATS = ("text", "json", "github")


def _settings(settings_file: str | None, min_notice_days: int | None) -> Settings:
    """Read GONGSHI from a Pelican settings file (pelicanconf.py here by default), then apply options."""
    raw: dict = {}
    candidate = Path(settings_file) if settings_file else Path("pelicanconf.py")
    if settings_file or candidate.is_file():
        from pelican.settings import read_settings

        raw = dict(read_settings(str(candidate)).get("GONGSHI", {}))
    if min_notice_days is not None:
        raw["min_notice_days"] = min_notice_days
    try:
        return from_dict(raw, base=candidate.parent.resolve() if candidate.is_file() else None)
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from exc


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="gongshi")
def main() -> None:
    """gongshi：扶贫资金项目公告公示 / public disclosure of poverty-alleviation funds and projects.

    \b
    Example:
      gongshi validate data/519901
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text for people, json for programs, github for CI annotations.")
@click.option("--settings", "settings_file", type=click.Path(exists=True, dir_okay=False),
              help="Pelican settings file whose GONGSHI dict to use (default: ./pelicanconf.py if present).")
@click.option("--min-notice-days", type=click.IntRange(min=1), help="Shortest allowed notice period in days.")
def validate(paths: tuple[str, ...], fmt: str, settings_file: str | None, min_notice_days: int | None) -> None:
    """Check county data packages and list every problem: file, row, column, what is wrong, how to fix it.

    PATHS are county folders (data/519901) or a folder holding them (data).
    Exit status: 0 no errors (warnings allowed), 1 errors found, 2 usage mistake.

    \b
    Examples:
      gongshi validate data/519901
      gongshi validate data --format json
    """
    settings = _settings(settings_file, min_notice_days)
    folders = []
    for path in paths:
        found = find_packages(path)
        if not found:
            raise click.UsageError(
                f"{path} 不是数据包文件夹（没有 {DESCRIPTOR}），其中也没有数据包。\n"
                f"{path} is not a package folder (no {DESCRIPTOR}) and holds none.")
        folders.extend(found)
    checks = [check_county(folder, settings) for folder in folders]
    found = [p for c in checks for p in c.problems]
    if fmt == "json":
        click.echo(report.as_json(found))
    elif fmt == "github":
        if found:
            click.echo(report.as_github(found))
    else:
        for check in checks:
            click.echo(f"== {check.folder}")
            if check.problems:
                click.echo(report.as_text(check.problems))
            click.echo(report.summary(check.problems))
    errors, _warnings = report.count(found)
    sys.exit(1 if errors else 0)


@main.command("update-schemas")
@click.argument("folders", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False))
def update_schemas(folders: tuple[str, ...]) -> None:
    """Rewrite each county's datapackage.json with the current shared schemas embedded.

    Keeps the package's title, county code and other settings; the CSV files are not touched.

    \b
    Example:
      gongshi update-schemas data/519901
    """
    schemas = load_schemas()
    for folder in folders:
        path = Path(folder) / DESCRIPTOR
        try:
            old = json.loads(path.read_text(encoding="utf-8"))
            meta = dict(old["gongshi"])
            county = meta.pop("county")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise click.UsageError(f"{path}: 无法读取 / cannot read ({exc})") from exc
        demo = bool(meta.pop("demo", False))
        new = build_descriptor(county, old.get("title", county), demo=demo, schemas=schemas, extra=meta)
        write_descriptor(folder, new)
        click.echo(f"{path}: 已更新 / updated")
