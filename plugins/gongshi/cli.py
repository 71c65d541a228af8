"""The gongshi command line: validate county data packages and keep them in shape.

Every command reads the site's settings the same way (`--settings FILE`, else ./pelicanconf.py when there is one:
its GONGSHI dict's schemas_path, keys_path, history_path and data_path). Exit status: 0 done, 1 problems found or a
failure (said in Chinese and English, without a traceback), 2 a usage mistake.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import click

from . import problems as report
from .county import check_counties, check_county, save_repairs
from .package.descriptor import DESCRIPTOR, add_new_columns, refresh
from .package.load import find_packages
from .problems import GongshiError
from .schemas import load_schemas
from .settings import Settings, SettingsError
from .settings import read as read_settings
from .trust import sshsig
from .trust.bundle import extract
from .trust.history import LOG, release, verify_log
from .trust.sign import remove_signature, sign_file, sign_package
from .trust.verify import ALLOWED_SIGNERS, SIGNATURE, verify_folder

FORMATS = ("text", "json", "github")


class Commands(click.Group):
    """The command group: a failure of gongshi's own (GongshiError) exits 1 with its message, not a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except GongshiError as exc:
            raise click.ClickException(str(exc)) from exc


settings_option = click.option(
    "--settings", "settings_file", type=click.Path(exists=True, dir_okay=False),
    help="Pelican settings file whose GONGSHI dict to use (default: ./pelicanconf.py if present).")
format_option = click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
                             help="text for people, json for programs, github for CI annotations.")


def _settings(settings_file: str | None, **overrides) -> tuple[Settings, dict]:
    """The site's settings (see the module's docstring); a wrong setting is a usage mistake."""
    try:
        return read_settings(settings_file, **overrides)
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from exc


def _machine_output(problems: list, fmt: str) -> bool:
    """Print problems as JSON or CI annotations when asked for; return False when the format is text."""
    if fmt == "json":
        click.echo(report.as_json(problems))
    elif fmt == "github":
        if problems:
            click.echo(report.as_github(problems))
    return fmt != "text"


def _package(folder: str) -> Path:
    if not (Path(folder) / DESCRIPTOR).is_file():
        raise click.UsageError(f"{folder} 不是数据包文件夹 / is not a package folder (no {DESCRIPTOR})")
    return Path(folder)


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="gongshi")
def main() -> None:
    """gongshi：扶贫资金项目公告公示 / public disclosure of poverty-alleviation funds and projects.

    \b
    Example:
      gongshi validate data/519901
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False))
@format_option
@settings_option
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
    settings, _ = _settings(settings_file, min_notice_days=min_notice_days)
    folders = []
    for path in paths:
        found = find_packages(path)
        if not found:
            raise click.UsageError(
                f"{path} 不是数据包文件夹（没有 {DESCRIPTOR}），其中也没有数据包。\n"
                f"{path} is not a package folder (no {DESCRIPTOR}) and holds none.")
        folders.extend(found)
    checks = check_counties(folders, settings)
    found = [p for c in checks for p in c.problems]
    if not _machine_output(found, fmt):
        for check in checks:
            click.echo(f"== {check.folder}")
            if check.problems:
                click.echo(report.as_text(check.problems))
            click.echo(report.summary(check.problems))
    errors, _warnings = report.count(found)
    sys.exit(1 if errors else 0)


def _demo_day(check):
    """The day a demo package states its data is true on (as the site shows it), else None."""
    meta = check.package.descriptor.get("gongshi") or {}
    try:
        return dt.date.fromisoformat(meta["as_of"]) if meta.get("demo") is True else None
    except (KeyError, TypeError, ValueError):
        return None


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False))
@click.option("--all", "show_all", is_flag=True, help="Also deadlines still ahead and cases that cannot be judged.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Judge as on this day (YYYY-MM-DD); default: the build day (today in China), or a demo package's own day.")
@format_option
@settings_option
def supervise(paths: tuple[str, ...], show_all: bool, today, fmt: str, settings_file: str | None) -> None:
    """List what supervision finds in county packages: notices late or missing, funds idle, projects started
    late, rectifications overdue (公示不及时、资金闲置、开工滞后、逾期未整改 …), in working days where the rules say so.

    Findings never block publication: the exit status is 0 whatever is found (1 only when a package cannot be read).

    \b
    Examples:
      gongshi supervise data/519901
      gongshi supervise data --all --format json
    """
    from .dates import china_today
    from .supervision.report import as_problems, county_supervision

    settings, _ = _settings(settings_file)
    day = today.date() if today else (settings.today or china_today())
    folders = [f for path in paths for f in find_packages(path)]
    if not folders:
        raise click.UsageError(f"{' '.join(paths)} 里没有数据包 / holds no package (no {DESCRIPTOR})")
    found, unreadable = [], 0
    for folder in folders:
        check = check_county(folder, settings)
        if check.package is None or check.tables is None or check.errors:
            unreadable += 1
            found.extend(check.errors)
            continue
        supervision = county_supervision(check, settings, day if today or settings.today else
                                         _demo_day(check) or day)
        day_shown = supervision.today
        problems = as_problems(supervision, check, show_all)
        found.extend(problems)
        if fmt == "text":
            click.echo(f"== {folder}（截至 {day_shown.isoformat()} / as of {day_shown.isoformat()}）")
            for line in supervision.refused:
                click.echo(f"未采用的设置 / setting not applied: {line}")
            if problems:
                click.echo(report.as_text(problems))
            counts = {}
            for f in supervision.findings:
                counts[f.status] = counts.get(f.status, 0) + 1
            click.echo(f"违反 {counts.get('violation', 0)} 项、未到期 {counts.get('pending', 0)} 项、无法判断 "
                       f"{counts.get('cannot-judge', 0)} 项。 / {counts.get('violation', 0)} violation(s), "
                       f"{counts.get('pending', 0)} pending, {counts.get('cannot-judge', 0)} cannot be judged.")
            if supervision.missing:
                click.echo(f"本县没有这些台账，相关规则未检查：{'、'.join(supervision.missing)} / ledgers not kept, "
                           "their rules not applied")
    if fmt != "text":
        _machine_output(found, fmt)
    elif unreadable:
        click.echo(report.as_text([p for p in found if p.is_error]))
        click.echo(f"{unreadable} 个数据包有错误，先运行 gongshi validate 改好 / {unreadable} package(s) with errors: "
                   "run gongshi validate first")
    sys.exit(1 if unreadable else 0)


@main.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@settings_option
def repair(folder: str, settings_file: str | None) -> None:
    """Save the certain repairs into the CSV files (UTF-8, standard headers and order, plain numbers and dates).

    Only tables without errors of their own are rewritten; the remaining problems are listed.
    Exit status 0 when no errors remain, 1 otherwise.

    \b
    Example:
      gongshi repair data/519901
    """
    problems, written = save_repairs(_package(folder), _settings(settings_file)[0])
    for path in written:
        click.echo(f"已修复并保存 / repaired and saved: {path}")
    if problems:
        click.echo(report.as_text(problems))
    click.echo(report.summary(problems))
    sys.exit(1 if report.count(problems)[0] else 0)


@main.command("new-county")
@click.argument("code")
@click.option("--out", type=click.Path(file_okay=False),
              help="The folder to write (default: CODE in the settings' data_path, data/CODE); must not exist.")
@click.option("--name", help="The county's name, only for a county the national list does not have yet.")
@settings_option
def new_county_command(code: str, out: str | None, name: str | None, settings_file: str | None) -> None:
    """Start a county's data package: its real name and townships, every other table with its header row only.

    CODE is the county's 6-digit code in the national statistical division codes (统计用区划代码). The package has
    no signature and no hashes (sign it with the county's own key when its data is in), and is not demo data.
    A county set up after the list's edition is started with --name: its townships are then yours to add.
    Exit status 0 when written, 2 for an unknown code or an existing folder (then nothing is written), 1 when the
    folder cannot be written.

    \b
    Example:
      gongshi new-county 410503
    """
    from .package.new import CannotWrite, NewCountyError, new_county

    settings, pelican = _settings(settings_file)
    code = unicodedata.normalize("NFKC", code).strip()  # digits typed with a Chinese input method
    target = Path(out) if out else (settings.data_path / code if pelican else Path("data") / code)
    try:
        county, townships = new_county(code, target, load_schemas(settings.schemas_path), name)
    except CannotWrite:
        raise  # a failure: exit 1
    except NewCountyError as exc:
        raise click.UsageError(str(exc)) from exc
    click.echo(f"已新建 / written: {target}（{county.name}，{townships} 个乡镇（街道） / {townships} townships）")
    click.echo("下一步 / next:\n"
               f"  1. 在 {target}/regions.csv 中补上村（社区）和监督电话，在其他表中填写本县的数据 / add villages and "
               "supervision phones to regions.csv, and your data to the other tables\n"
               f"  2. gongshi validate {target}\n"
               f"  3. gongshi keygen {code}（第一次 / once），gongshi sign {target} --key ~/.ssh/gongshi_{code}")


@main.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
def unsign(folder: str) -> None:
    """Remove a package's signature and recorded hashes, as when it was copied from another county.

    The tables are not touched. Sign the package with the county's own key before publishing it.

    \b
    Example:
      gongshi unsign data/410503
    """
    county, stamped, removed = remove_signature(_package(folder))
    if removed:
        click.echo(f"已删除签名 / removed the signature: {Path(folder) / SIGNATURE}")
    click.echo(f"已删除 {stamped} 个文件的哈希 / removed the hashes of {stamped} file(s): {Path(folder) / DESCRIPTOR}")
    click.echo(f"发布前请用本县密钥签名 / sign with the county's key before publishing: gongshi sign {folder} --key "
               f"~/.ssh/gongshi_{county}")


@main.command("update-schemas")
@click.argument("folders", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False))
@settings_option
def update_schemas(folders: tuple[str, ...], settings_file: str | None) -> None:
    """Rewrite each county's datapackage.json with the current shared schemas embedded, and give its tables the
    columns newer versions added (empty: read as not stated until filled in).

    Keeps the package's title, county code and other settings, and every value of the tables; sign again afterwards.

    \b
    Example:
      gongshi update-schemas data/519901
    """
    schemas = load_schemas(_settings(settings_file)[0].schemas_path)
    for folder in folders:
        click.echo(f"{refresh(_package(folder), schemas)}: 已更新 / updated")
        for table, columns in add_new_columns(folder, schemas).items():
            click.echo(f"{Path(folder) / (table + '.csv')}: 新增空列 / columns added: {'、'.join(columns)}")


@main.command()
@click.argument("county")
@click.option("--out", type=click.Path(dir_okay=False), help="Where to write the private key (default ~/.ssh/gongshi_COUNTY).")
@click.option("--public-key", type=click.Path(exists=True, dir_okay=False),
              help="Use this existing ssh-ed25519 public key instead of creating a new key.")
@click.option("--valid-after", default=None, help="First day the key may sign, YYYYMMDD (default: today).")
def keygen(county: str, out: str | None, public_key: str | None, valid_after: str | None) -> None:
    """Create a county's Ed25519 signing key and print its line for keys/allowed_signers.

    Send the printed line to the province, which adds it to keys/allowed_signers and signs that file.
    Keep the private key secret and out of the repository.

    \b
    Examples:
      gongshi keygen 519901
      gongshi keygen 519901 --public-key ~/.ssh/id_ed25519.pub
    """
    if not (county.isdigit() and len(county) == 6) and county != "province":
        raise click.UsageError("COUNTY must be a 6-digit county code (or 'province') / COUNTY 应为6位县代码")
    start = valid_after or dt.datetime.now(dt.UTC).strftime("%Y%m%d")
    try:  # a bad date or public key is an option given wrong
        sshsig.parse_time(start)
        if public_key:
            line = Path(public_key).read_text(encoding="utf-8").strip()
            sshsig.parse_public_line(line)
    except sshsig.SignatureError as exc:
        raise click.UsageError(str(exc)) from exc
    if not public_key:
        target = Path(out).expanduser() if out else Path.home() / ".ssh" / f"gongshi_{county}"
        if target.exists():
            raise click.UsageError(f"{target} 已存在，不会覆盖 / already exists, not overwritten")
        try:
            line = sshsig.generate_key(target, f"gongshi-{county}")
        except OSError as exc:
            raise click.ClickException(f"无法写入 / cannot write {target}: {exc}") from exc
        click.echo(f"私钥 / private key: {target}\n公钥 / public key: {target}.pub", err=True)
    fingerprint = sshsig.fingerprint(sshsig.parse_public_line(line))
    click.echo(f"指纹 / fingerprint: {fingerprint}\n请把下面一行交给省级管理员加入 keys/allowed_signers / "
               "add this line to keys/allowed_signers:", err=True)
    click.echo(f'{county} namespaces="gongshi",valid-after="{start}Z" {line}')


@main.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("--key", "key_path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="The county's private Ed25519 key.")
@click.option("--history", type=click.Path(file_okay=False),
              help="Where versions and the release log are kept (default: history_path of the settings given with "
                   "--settings, or of ./pelicanconf.py for a package in its data_path; else history/ beside data/).")
@settings_option
def sign(folder: str, key_path: str, history: str | None, settings_file: str | None) -> None:
    """Record every file's size and hash, sign datapackage.json, and record the publication in the release log.

    Certain repairs are saved first (as gongshi repair does); a package with errors is not signed.
    The signed package is archived as a new version under history/<county>/<n>/ and appended to the
    hash-chained release log history/<county>/log.jsonl, which is signed with the same key.

    \b
    Example:
      gongshi sign data/519901 --key ~/.ssh/gongshi_519901
    """
    package = _package(folder)
    settings, pelican = _settings(settings_file)
    # The site's history_path when the settings are the site's (given, or those of the site the package is in);
    # else history/ beside the package's data/ folder, as a county keeps its own repository.
    in_site = settings_file or (pelican and package.resolve().is_relative_to(settings.data_path.resolve()))
    history_root = Path(history) if history else (
        settings.history_path if in_site else package.resolve().parent.parent / "history")
    problems, written = save_repairs(package, settings)
    for path in written:
        click.echo(f"已修复并保存 / repaired and saved: {path}")
    if report.count(problems)[0]:
        click.echo(report.as_text([p for p in problems if p.is_error]))
        click.echo("有错误，未签名 / errors found: not signed. gongshi validate " + folder)
        sys.exit(1)
    try:
        county = str(json.loads((package / DESCRIPTOR).read_text(encoding="utf-8"))["gongshi"]["county"])
        fingerprint = sign_package(package, Path(key_path))
        entry = release(package, history_root, county, Path(key_path))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise click.ClickException(f"无法签名 / cannot sign: {exc}") from exc
    click.echo(f"已签名 / signed: {package / SIGNATURE} ({fingerprint})")
    if entry:
        click.echo(f"已记录第 {entry.seq} 版 / recorded version {entry.seq}: {history_root / county}")
    else:
        click.echo("内容与上一版相同，未新增版本 / same as the last version; no new version recorded")


@main.command("sign-trust")
@click.argument("trust_file", type=click.Path(exists=True, dir_okay=False), required=False)
@click.option("--key", "key_path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="The province's private Ed25519 key.")
@settings_option
def sign_trust(trust_file: str | None, key_path: str, settings_file: str | None) -> None:
    """Sign the trust file (default: allowed_signers in the settings' keys_path) with the province key (writes
    allowed_signers.sig).

    \b
    Example:
      gongshi sign-trust keys/allowed_signers --key ~/.ssh/gongshi_province
    """
    path = Path(trust_file) if trust_file else _settings(settings_file)[0].keys_path / ALLOWED_SIGNERS
    if not path.is_file():
        raise click.UsageError(f"{path} 不存在 / does not exist")
    try:
        sshsig.parse_allowed_signers(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{path}: 不是 UTF-8 文本 / not UTF-8 text ({exc})") from exc
    signature = sign_file(path, Path(key_path))
    fingerprint = sshsig.fingerprint(sshsig.public_blob(sshsig.load_private_key(key_path).public_key()))
    click.echo(f"已签名 / signed: {signature}\n省级密钥指纹 / province key fingerprint: {fingerprint}")


@main.command()
@click.argument("path", type=click.Path(exists=True))
@click.option("--allowed-signers", type=click.Path(exists=True, dir_okay=False),
              help="Trust file (default: allowed_signers in PATH, else the settings' keys_path).")
@click.option("--province-key", help="The province key fingerprint (SHA256:...) as published on the site.")
@click.option("--log", "log", is_flag=True, help="PATH is a county's history (release log and versions): check it.")
@format_option
@settings_option
def verify(path: str, allowed_signers: str | None, province_key: str | None, log: bool, fmt: str,
           settings_file: str | None) -> None:
    """Check that a downloaded package (zip or folder) is exactly what the county signed.

    Verifies the trust file's province signature, the county's signature on datapackage.json, and every file's
    size and hash; names the file that changed. With --log, checks a county's release log instead: its chain
    (reporting the first broken link), its signature and every archived version.
    Exit status 0 when everything verifies, 1 otherwise.

    \b
    Examples:
      gongshi verify 519901.zip --province-key SHA256:...
      gongshi verify data/519901
      gongshi verify --log history/519901
    """
    keys = _settings(settings_file)[0].keys_path
    target = Path(path)
    if log:
        if not (target / LOG).is_file():
            raise click.UsageError(f"{path}: 没有发布记录 / no {LOG}")
        _report(*verify_log(target, Path(allowed_signers) if allowed_signers else keys / ALLOWED_SIGNERS,
                            province_key), fmt)
    tmp = None
    if target.is_dir():
        _package(path)
    if target.is_file():
        try:
            tmp, target = extract(target)
        except (OSError, zipfile.BadZipFile) as exc:
            raise click.ClickException(f"{path}: 不是可用的 zip / not a usable zip ({exc})") from exc
    try:
        trust = Path(allowed_signers) if allowed_signers else (
            target / ALLOWED_SIGNERS if (target / ALLOWED_SIGNERS).is_file() else keys / ALLOWED_SIGNERS)
        problems, notes = verify_folder(target, trust, province_key)
    finally:
        if tmp:
            tmp.cleanup()
    _report(problems, notes, fmt)


def _report(problems, notes, fmt: str) -> None:
    if not _machine_output(problems, fmt):
        click.echo("\n".join(notes))
        if problems:
            click.echo(report.as_text(problems))
        click.echo("验证通过 / verified" if not problems else "验证失败 / NOT verified")
    sys.exit(1 if problems else 0)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--staged", is_flag=True, help="Scan the CSV/XLSX files staged for the next git commit.")
@format_option
@settings_option
def scan(paths: tuple[str, ...], staged: bool, fmt: str, settings_file: str | None) -> None:
    """Find ID numbers, personal mobile numbers, bank accounts and unmasked names in any CSV or XLSX file.

    PATHS are files or folders (every .csv/.xlsx inside is scanned). Exit status 0 when nothing is found, 1 when
    something is, 2 for a usage mistake.

    \b
    Examples:
      gongshi scan data/519901
      gongshi scan 受益户名单.xlsx
      gongshi scan --staged        (what the pre-commit hook runs)
    """
    from .checks.scan import scan_paths, scan_staged

    if not paths and not staged:
        raise click.UsageError("给出文件或文件夹，或用 --staged / give files or folders, or --staged")
    schemas = load_schemas(_settings(settings_file)[0].schemas_path)
    try:
        found = scan_paths([Path(p) for p in paths], schemas) + (scan_staged(Path.cwd(), schemas) if staged else [])
    except subprocess.CalledProcessError as exc:
        raise click.ClickException(f"git: {exc.stderr.decode(errors='replace').strip()}") from exc
    if not _machine_output(found, fmt):
        if found:
            click.echo(report.as_text(found))
            click.echo("发现个人信息，请删除后再提交 / personal data found: remove it before committing", err=True)
        else:
            click.echo("没有发现个人信息 / no personal data found")
    sys.exit(1 if found else 0)


@main.command()
@click.argument("output", type=click.Path(exists=True, file_okay=False), default="output")
@click.option("--county", "counties", multiple=True, help="Only this county's PDFs (repeatable).")
@click.option("--only", multiple=True, help="Only this notice's PDF, or a project's household list (repeatable).")
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Processes at once; default one per core.")
@click.option("--theme", type=click.Path(exists=True, file_okay=False),
              help="The theme folder whose static/ the site serves as theme/ (default: the settings' THEME, else the "
                   "copy in OUTPUT/theme).")
@settings_option
def pdf(output: str, counties: tuple[str, ...], only: tuple[str, ...], workers: int | None,
        theme: str | None, settings_file: str | None) -> None:
    """Render the wall notices' PDFs of a built site that are missing or out of date.

    A build writes every notice's print pages and the sheet model they show; the PDFs are typeset from the
    models with Typst and a Chinese font. A sheet whose template cannot be read gets no PDF and stays pending; the
    message names the file.
    Exit status 0 when every PDF was written, 1 when some failed or no Chinese font is installed.

    \b
    Examples:
      gongshi pdf output
      gongshi pdf output --county 519901 --only GS2025-001
    """
    from pelican.settings import DEFAULT_CONFIG

    from .site.pdf import render_pdfs

    pelican = _settings(settings_file)[1]
    # The site's own theme, when its settings name one (Pelican's default theme is not the site's).
    if not theme and pelican.get("THEME") and pelican["THEME"] != DEFAULT_CONFIG["THEME"]:
        theme = pelican["THEME"]
    done = render_pdfs(Path(output), list(counties) or None, workers, list(only) or None,
                       Path(theme) if theme else None)
    per = done["seconds"] / done["rendered"] if done["rendered"] else 0
    click.echo(f"PDF：已生成 {done['rendered']} 份，失败 {done['failed']} 份，用时 {done['seconds']:.1f} 秒"
               f"（每份 {per:.3f} 秒） / {done['rendered']} PDF(s) written, {done['failed']} failed")
    sys.exit(1 if done["failed"] else 0)


@main.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("--out", "out", type=click.Path(file_okay=False), required=True, help="Folder to write the forms into.")
@click.option("--form", "forms", multiple=True, help="Only this form (its id: acceptance, allocation, ...).")
@click.option("--project", help="Also the forms of this project, prefilled (its acceptance rows, households, entry).")
@settings_option
def forms(folder: str, out: str, forms: tuple[str, ...], project: str | None, settings_file: str | None) -> None:
    """Write a county's standard forms: each blank with the county's lists, and prefilled.

    Spreadsheets (XLSX) to fill in Excel or WPS and bring back with `gongshi import`, each with a PDF to print
    and sign; letters (申请书, 监管责任书) as Word documents and PDFs; with --project, that project's forms
    prefilled, its responsibility letter and its A3 board with the QR code of its page.

    \b
    Examples:
      gongshi forms data/519901 --out 表格
      gongshi forms data/519901 --out 表格 --form acceptance --project XM2025-005
      gongshi forms data/519901 --out 表格 --form board --project XM2025-005
    """
    from .forms.make import make_forms

    settings, pelican = _settings(settings_file)
    site_url = str(pelican.get("PUBLIC_SITEURL") or pelican.get("SITEURL") or "")
    made = make_forms(_package(folder), Path(out), settings, forms, project, settings.today, site_url)
    for item in made:
        click.echo(f"{item.path}（{item.records} 条记录 / records）")
    click.echo(f"共 {len(made)} 张表 / {len(made)} form(s) written")


@main.command("import")
@click.argument("form", type=click.Path(exists=True, dir_okay=False))
@click.option("--into", "folder", type=click.Path(exists=True, file_okay=False), required=True,
              help="The county's package folder (data/519901).")
@click.option("--update", is_flag=True, help="Also change records already in the package (old and new are shown).")
@click.option("--annotate", type=click.Path(dir_okay=False),
              help="Write a copy of the form with the bad cells marked and a 错误清单 sheet.")
@format_option
@settings_option
def import_command(form: str, folder: str, update: bool, annotate: str | None, fmt: str,
                   settings_file: str | None) -> None:
    """Bring a filled standard form (.xlsx or .xls) into a county's package, checked cell by cell.

    New records are added; a record already in the package is changed only with --update; nothing is deleted.
    When anything is wrong, every problem is shown at its cell and nothing is written.
    Exit status 0 when the form was imported (or had nothing new), 1 when it had errors.

    \b
    Examples:
      gongshi import 项目验收表-519901-XM2025-005.xlsx --into data/519901
      gongshi import 验收表.xlsx --into data/519901 --annotate 验收表-批注.xlsx
    """
    from .forms.annotate import annotate as write_annotated
    from .forms.annotate import annotation_refusal
    from .forms.importer import import_form

    settings, _ = _settings(settings_file)
    if annotate and (refusal := annotation_refusal(Path(form), Path(annotate), Path(folder))):
        raise click.UsageError(refusal)
    result = import_form(Path(form), _package(folder), settings, update)
    if annotate and result.problems:
        try:
            write_annotated(Path(form), result.problems, Path(annotate))
        except OSError as exc:
            click.echo(f"批注副本写不了 / the annotated copy cannot be written: {exc}", err=True)
            annotate = None
    if not _machine_output(result.problems, fmt):
        if result.problems:
            click.echo(report.as_text(result.problems))
            click.echo(report.summary(result.problems))
        if result.errors:
            click.echo("有错误，什么都没有写入数据包。改好表里标出的单元格后再导入。 / "
                       "Errors found: nothing was written. Fix the cells named above and import again.")
            if annotate:
                click.echo(f"批注副本 / annotated copy: {annotate}")
        else:
            for key, diffs in result.changed:
                for name, old, new in diffs:
                    click.echo(f"修改 {key} {name}：“{old}” → “{new}” / changed")
            click.echo(f"新增 {len(result.added)} 条，修改 {len(result.changed)} 条，已有未变 {len(result.unchanged)} 条。"
                       f" / {len(result.added)} added, {len(result.changed)} changed, "
                       f"{len(result.unchanged)} already there.")
            if result.written:
                click.echo("已写入 / written: " + "、".join(str(p) for p in result.written))
                click.echo(f"下一步：gongshi validate {folder}，然后 gongshi sign {folder} --key 密钥文件 重新签名。 / "
                           f"Next: validate, then sign the package again.")
    sys.exit(1 if result.errors else 0)


@main.command("install-hook")
@click.option("--repo", type=click.Path(exists=True, file_okay=False), default=".", show_default=True)
@click.option("--force", is_flag=True, help="Replace an existing pre-commit hook.")
def install_hook(repo: str, force: bool) -> None:
    """Install a git pre-commit hook that refuses commits with personal data (runs gongshi scan --staged).

    \b
    Example:
      gongshi install-hook
    """
    from .checks.scan import HOOK

    try:
        hooks = Path(subprocess.run(["git", "rev-parse", "--git-path", "hooks"], cwd=repo, capture_output=True,
                                    check=True, text=True).stdout.strip())
    except subprocess.CalledProcessError as exc:
        raise click.UsageError(f"{repo} 不是 git 仓库 / is not a git repository") from exc
    hook = (Path(repo) / hooks if not hooks.is_absolute() else hooks) / "pre-commit"
    if hook.exists() and hook.read_text(errors="replace") != HOOK and not force:
        raise click.UsageError(f"{hook} 已存在；用 --force 替换 / exists; use --force to replace it")
    hook.parent.mkdir(parents=True, exist_ok=True)
    hook.write_text(HOOK, encoding="utf-8")
    hook.chmod(0o755)
    click.echo(f"已安装 / installed: {hook}")
