"""The gongshi command line: validate county data packages and keep them in shape."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import click

from . import problems as report
from .county import check_counties, check_county
from .package.descriptor import DESCRIPTOR, build_descriptor, write_descriptor
from .package.load import find_packages
from .schemas import OPTIONAL_RESOURCES, load_schemas
from .settings import Settings, SettingsError, from_dict
from .trust import sshsig
from .trust.bundle import UnsafeArchive, extract
from .trust.history import LOG, LogError, chain_problems, read_log, release, verify_history
from .trust.verify import ALLOWED_SIGNERS, SIGNATURE, load_trust, sign_file, sign_package, verify_package

FORMATS = ("text", "json", "github")


def _machine_output(problems: list, fmt: str) -> bool:
    """Print problems as JSON or CI annotations when asked for; return False when the format is text."""
    if fmt == "json":
        click.echo(report.as_json(problems))
    elif fmt == "github":
        if problems:
            click.echo(report.as_github(problems))
    return fmt != "text"


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


def _repair(folder: Path, settings: Settings) -> tuple[list, list[str]]:
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


@main.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("--settings", "settings_file", type=click.Path(exists=True, dir_okay=False),
              help="Pelican settings file whose GONGSHI dict to use (default: ./pelicanconf.py if present).")
def repair(folder: str, settings_file: str | None) -> None:
    """Save the certain repairs into the CSV files (UTF-8, standard headers and order, plain numbers and dates).

    Only tables without errors of their own are rewritten; the remaining problems are listed.
    Exit status 0 when no errors remain, 1 otherwise.

    \b
    Example:
      gongshi repair data/519901
    """
    if not (Path(folder) / DESCRIPTOR).is_file():
        raise click.UsageError(f"{folder} 不是数据包文件夹 / is not a package folder (no {DESCRIPTOR})")
    problems, written = _repair(Path(folder), _settings(settings_file, None))
    for path in written:
        click.echo(f"已修复并保存 / repaired and saved: {path}")
    if problems:
        click.echo(report.as_text(problems))
    click.echo(report.summary(problems))
    sys.exit(1 if report.count(problems)[0] else 0)


@main.command("new-county")
@click.argument("code")
@click.option("--out", type=click.Path(file_okay=False), help="The folder to write (default data/CODE); must not exist.")
@click.option("--name", help="The county's name, only for a county the national list does not have yet.")
def new_county_command(code: str, out: str | None, name: str | None) -> None:
    """Start a county's data package: its real name and townships, every other table with its header row only.

    CODE is the county's 6-digit code in the national statistical division codes (统计用区划代码). The package has
    no signature and no hashes (sign it with the county's own key when its data is in), and is not demo data.
    A county set up after the list's edition is started with --name: its townships are then yours to add.
    Exit status 0 when written, 2 for an unknown code or an existing folder (then nothing is written).

    \b
    Example:
      gongshi new-county 410503
    """
    from .package.new import NewCountyError, new_county

    code = unicodedata.normalize("NFKC", code).strip()  # digits typed with a Chinese input method
    target = Path(out) if out else Path("data") / code
    try:
        county, townships = new_county(code, target, load_schemas(), name)
    except NewCountyError as exc:
        raise click.UsageError(f"{exc.args[0]}\n{exc.args[1]}") from exc
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
    package = Path(folder)
    path = package / DESCRIPTOR
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
        county = str(descriptor["gongshi"]["county"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise click.UsageError(f"{path}: 无法读取 / cannot read ({exc})") from exc
    stamped = 0
    for resource in descriptor.get("resources", []):
        if isinstance(resource, dict) and ("hash" in resource or "bytes" in resource):
            resource.pop("hash", None)
            resource.pop("bytes", None)
            stamped += 1
    descriptor["name"] = f"gongshi-{county}"
    write_descriptor(package, descriptor)
    signature = package / SIGNATURE
    if signature.is_file():
        signature.unlink()
        click.echo(f"已删除签名 / removed the signature: {signature}")
    click.echo(f"已删除 {stamped} 个文件的哈希 / removed the hashes of {stamped} file(s): {path}")
    click.echo(f"发布前请用本县密钥签名 / sign with the county's key before publishing: gongshi sign {folder} --key "
               f"~/.ssh/gongshi_{county}")


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
        optional = tuple(r.get("name") for r in old.get("resources", []) if r.get("name") in OPTIONAL_RESOURCES)
        new = build_descriptor(county, old.get("title", county), demo=demo, schemas=schemas, extra=meta,
                               optional=optional)
        write_descriptor(folder, new)
        click.echo(f"{path}: 已更新 / updated")


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
    try:
        sshsig.parse_time(start)
        if public_key:
            line = Path(public_key).read_text(encoding="utf-8").strip()
            sshsig.parse_public_line(line)
        else:
            target = Path(out).expanduser() if out else Path.home() / ".ssh" / f"gongshi_{county}"
            if target.exists():
                raise click.UsageError(f"{target} 已存在，不会覆盖 / already exists, not overwritten")
            line = sshsig.generate_key(target, f"gongshi-{county}")
            click.echo(f"私钥 / private key: {target}\n公钥 / public key: {target}.pub", err=True)
    except sshsig.SignatureError as exc:
        raise click.UsageError(str(exc)) from exc
    fingerprint = sshsig.fingerprint(sshsig.parse_public_line(line))
    click.echo(f"指纹 / fingerprint: {fingerprint}\n请把下面一行交给省级管理员加入 keys/allowed_signers / "
               "add this line to keys/allowed_signers:", err=True)
    click.echo(f'{county} namespaces="gongshi",valid-after="{start}Z" {line}')


@main.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("--key", "key_path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="The county's private Ed25519 key.")
@click.option("--history", type=click.Path(file_okay=False),
              help="Where versions and the release log are kept (default: history/ beside data/).")
def sign(folder: str, key_path: str, history: str | None) -> None:
    """Record every file's size and hash, sign datapackage.json, and record the publication in the release log.

    Certain repairs are saved first (as gongshi repair does); a package with errors is not signed.
    The signed package is archived as a new version under history/<county>/<n>/ and appended to the
    hash-chained release log history/<county>/log.jsonl, which is signed with the same key.

    \b
    Example:
      gongshi sign data/519901 --key ~/.ssh/gongshi_519901
    """
    package = Path(folder)
    if not (package / DESCRIPTOR).is_file():
        raise click.UsageError(f"{folder} 不是数据包文件夹 / is not a package folder (no {DESCRIPTOR})")
    history_root = Path(history) if history else package.resolve().parent.parent / "history"
    problems, written = _repair(package, _settings(None, None))
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
    except (sshsig.SignatureError, OSError, ValueError, KeyError, TypeError, LogError) as exc:
        raise click.UsageError(f"无法签名 / cannot sign: {exc}") from exc
    click.echo(f"已签名 / signed: {package / SIGNATURE} ({fingerprint})")
    if entry:
        click.echo(f"已记录第 {entry.seq} 版 / recorded version {entry.seq}: {history_root / county}")
    else:
        click.echo("内容与上一版相同，未新增版本 / same as the last version; no new version recorded")


@main.command("sign-trust")
@click.argument("trust_file", type=click.Path(exists=True, dir_okay=False), default=f"keys/{ALLOWED_SIGNERS}")
@click.option("--key", "key_path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="The province's private Ed25519 key.")
def sign_trust(trust_file: str, key_path: str) -> None:
    """Sign the trust file keys/allowed_signers with the province key (writes allowed_signers.sig).

    \b
    Example:
      gongshi sign-trust keys/allowed_signers --key ~/.ssh/gongshi_province
    """
    try:
        sshsig.parse_allowed_signers(Path(trust_file).read_text(encoding="utf-8"))
        signature = sign_file(Path(trust_file), Path(key_path))
        fingerprint = sshsig.fingerprint(sshsig.public_blob(sshsig.load_private_key(key_path).public_key()))
    except (sshsig.SignatureError, UnicodeDecodeError) as exc:
        raise click.UsageError(str(exc)) from exc
    click.echo(f"已签名 / signed: {signature}\n省级密钥指纹 / province key fingerprint: {fingerprint}")


@main.command()
@click.argument("path", type=click.Path(exists=True))
@click.option("--allowed-signers", type=click.Path(exists=True, dir_okay=False),
              help="Trust file (default: allowed_signers in PATH, else keys/allowed_signers).")
@click.option("--province-key", help="The province key fingerprint (SHA256:...) as published on the site.")
@click.option("--log", "log", is_flag=True, help="PATH is a county's history (release log and versions): check it.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
def verify(path: str, allowed_signers: str | None, province_key: str | None, log: bool, fmt: str) -> None:
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
    if log:
        _report(*_verify_log(Path(path), allowed_signers, province_key), fmt)
    tmp = None
    target = Path(path)
    if target.is_file():
        try:
            tmp, folder = extract(target)
        except (UnsafeArchive, OSError, ValueError) as exc:
            raise click.UsageError(f"{path}: 不是可用的 zip / not a usable zip ({exc})") from exc
    else:
        folder = target
    try:
        problems, lines = _verify_folder(folder, allowed_signers, province_key)
    finally:
        if tmp:
            tmp.cleanup()
    _report(problems, lines, fmt)


def _report(problems, lines, fmt: str) -> None:
    if not _machine_output(problems, fmt):
        click.echo("\n".join(lines))
        if problems:
            click.echo(report.as_text(problems))
        click.echo("验证通过 / verified" if not problems else "验证失败 / NOT verified")
    sys.exit(1 if problems else 0)


def _province_key(trust_path: Path, given: str | None, lines: list[str]) -> str | None:
    """Return the province key to check the trust file against: the one given, else the one that signed it (said)."""
    signature = trust_path.with_name(trust_path.name + ".sig")
    if given or not signature.is_file():
        return given
    try:
        found = sshsig.parse_signature(signature.read_text(encoding="utf-8")).fingerprint
    except (sshsig.SignatureError, UnicodeDecodeError):
        return None
    lines.append(f"信任文件由密钥 {found} 签名：请与网站和公示上印的省级密钥指纹核对 / "
                 "compare this with the province key fingerprint published on the site and notices")
    return found


def _verify_folder(folder: Path, allowed_signers: str | None, province_key: str | None):
    """Return the problems of a package folder and lines telling what was checked against what."""
    try:
        descriptor = json.loads((folder / DESCRIPTOR).read_text(encoding="utf-8"))
        county = str(descriptor["gongshi"]["county"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise click.UsageError(f"{folder}: 没有可读的 {DESCRIPTOR} / no readable {DESCRIPTOR} ({exc})") from exc
    trust_path = Path(allowed_signers) if allowed_signers else (
        folder / ALLOWED_SIGNERS if (folder / ALLOWED_SIGNERS).is_file() else Path("keys") / ALLOWED_SIGNERS)
    lines = [f"县 / county: {county}", f"信任文件 / trust file: {trust_path}"]
    province_key = _province_key(trust_path, province_key, lines)
    trust, problems = load_trust(trust_path, province_key)
    problems = problems + verify_package(folder, county, trust)
    return problems, lines



def _verify_log(folder: Path, allowed_signers: str | None, province_key: str | None):
    """Return the problems of a county's history folder (log.jsonl, its signature, versions) and what was checked."""
    log = folder / LOG
    if not log.is_file():
        raise click.UsageError(f"{folder}: 没有发布记录 / no {LOG}")
    try:
        entries = read_log(log)
    except LogError as exc:
        raise click.UsageError(f"{log}: {exc}") from exc
    county = entries[0].county if entries else folder.name
    trust_path = Path(allowed_signers) if allowed_signers else Path("keys") / ALLOWED_SIGNERS
    lines = [f"县 / county: {county}", f"发布记录 / release log: {log}，共 {len(entries)} 版 / {len(entries)} versions"]
    province_key = _province_key(trust_path, province_key, lines)
    trust, problems = load_trust(trust_path, province_key) if trust_path.is_file() else (None, [])
    problems = problems + verify_history(folder.parent, county, trust, None)
    # The chain is what this option is for: make sure its first broken link leads the report.
    chain = chain_problems(entries, county, str(log))
    problems = chain + [p for p in problems if p not in chain]
    return problems, lines


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--staged", is_flag=True, help="Scan the CSV/XLSX files staged for the next git commit.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
def scan(paths: tuple[str, ...], staged: bool, fmt: str) -> None:
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
    try:
        found = scan_paths([Path(p) for p in paths]) + (scan_staged(Path.cwd()) if staged else [])
    except subprocess.CalledProcessError as exc:
        raise click.UsageError(f"git: {exc.stderr.decode(errors='replace').strip()}") from exc
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
@click.option("--site-url", default="", help="The SITEURL the site was built with, when absolute (publishconf).")
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Processes at once; default one per core.")
@click.option("--theme", type=click.Path(exists=True, file_okay=False),
              help="The theme folder whose static/ the site serves as theme/ (default: the copy in OUTPUT/theme).")
def pdf(output: str, counties: tuple[str, ...], only: tuple[str, ...], site_url: str, workers: int | None,
        theme: str | None) -> None:
    """Render the wall notices' PDFs of a built site that are missing or out of date.

    A build writes every notice's print pages; the PDFs are made from them (WeasyPrint, with a Chinese font).
    A sheet whose stylesheet cannot be read gets no PDF and stays pending; the message names the file.
    Exit status 0 when every PDF was written, 1 when some failed or no Chinese font is installed.

    \b
    Examples:
      gongshi pdf output
      gongshi pdf output --county 519901 --only GS2025-001
    """
    from .site.sheets import PrintError, render_pdfs

    try:
        done = render_pdfs(Path(output), site_url, list(counties) or None, workers, list(only) or None,
                           Path(theme) if theme else None)
    except PrintError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    per = done["seconds"] / done["rendered"] if done["rendered"] else 0
    click.echo(f"PDF：已生成 {done['rendered']} 份，失败 {done['failed']} 份，用时 {done['seconds']:.1f} 秒"
               f"（每份 {per:.2f} 秒） / {done['rendered']} PDF(s) written, {done['failed']} failed")
    sys.exit(1 if done["failed"] else 0)


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
