"""Open a county data package safely: its descriptor, its files, nothing outside its folder."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import periods
from ..problems import Problem, error, warning
from ..schemas import ALL_RESOURCES, RESOURCES, SchemaSet
from .descriptor import DESCRIPTOR

COUNTY_CODE = re.compile(r"[1-8][0-9]{5}")


class PackageFiles:
    """The files of one package folder, each read from disk at most once: in a county's build the checks, the
    signature, the hashes, the fingerprint and the downloads all read the same bytes."""

    def __init__(self, folder: str | Path, limit: int = 200 * 1024 * 1024):
        self.folder = Path(folder)
        self.limit = limit  # a file over this many bytes is only ever hashed in chunks, never held (max_file_bytes)
        self._bytes: dict[str, bytes | None] = {}

    def get(self, name: str) -> bytes | None:
        """The bytes of the file at this path inside the folder; None when it is missing or cannot be read."""
        name = Path(name).as_posix()
        if resource_path(self.folder, name)[1]:
            return None  # nothing outside the package folder is ever read
        if name not in self._bytes:
            try:
                self._bytes[name] = (self.folder / name).read_bytes()
            except OSError:
                self._bytes[name] = None
        return self._bytes[name]

    def exists(self, name: str) -> bool:
        return self.get(name) is not None

    def digest(self, name: str) -> tuple[int, str] | None:
        """(size, "sha256:<hex>") of a file, None when missing. A file over the limit is hashed in chunks and not
        kept: the reader refuses it anyway (max_file_bytes), and memory stays small."""
        path = self.folder / Path(name).as_posix()
        if resource_path(self.folder, name)[1]:
            return None
        try:
            size = path.stat().st_size
        except OSError:
            return None
        if size > self.limit and Path(name).as_posix() not in self._bytes:
            digest = hashlib.sha256()
            try:
                with open(path, "rb") as fh:
                    for chunk in iter(lambda: fh.read(1 << 20), b""):
                        digest.update(chunk)
                        size = fh.tell()
            except OSError:
                return None
            return size, "sha256:" + digest.hexdigest()
        data = self.get(name)
        return None if data is None else (len(data), "sha256:" + hashlib.sha256(data).hexdigest())


@dataclass
class CountyPackage:
    """A county's package as found on disk: where it is, whose it is, and which files it names."""

    folder: Path
    county: str
    descriptor: dict
    resources: dict[str, Path] = field(default_factory=dict)
    files: PackageFiles | None = None

    def __post_init__(self) -> None:
        if self.files is None:
            self.files = PackageFiles(self.folder)

    def read(self, resource: str) -> bytes | None:
        """The bytes of a resource's file, read once."""
        path = self.resources.get(resource)
        return None if path is None else self.files.get(path.relative_to(self.folder).as_posix())

    @property
    def demo(self) -> bool:
        return bool(self.descriptor.get("gongshi", {}).get("demo"))

    @property
    def notice_days(self) -> str:
        """How the county's notices count their period (periods.COUNTINGS); checked by open_package."""
        counting = self.descriptor.get("gongshi", {}).get("notice_days", periods.DEFAULT)
        return counting if counting in periods.COUNTINGS else periods.DEFAULT

    @property
    def strict_from(self) -> dt.date | None:
        """From which day on the county's own records must state every fact (None: never; `strict: true`: always).
        A record's day is judged by its year."""
        strict = self.descriptor.get("gongshi", {}).get("strict")
        if strict is True:
            return dt.date.min
        if isinstance(strict, str):
            try:
                return dt.date.fromisoformat(strict)
            except ValueError:
                return None
        return None

    @property
    def title(self) -> str:
        return str(self.descriptor.get("title") or self.county)

    def display_path(self, resource: str) -> str:
        """Return the path of a resource's file as the user gave the folder."""
        return str(self.folder / self.resources.get(resource, Path(f"{resource}.csv")).name)


ATTACHMENTS = "attachments"  # the folder of a package that holds its notices' attachments


def attachment_files(folder: Path) -> list[str]:
    """Every file in the package's attachments folder, as a path inside the package."""
    root = Path(folder) / ATTACHMENTS
    if not root.is_dir():
        return []
    return sorted(p.relative_to(folder).as_posix() for p in root.rglob("*") if p.is_file())


def signed_attachments(descriptor: dict) -> list[dict]:
    """The attachments a signed package records (gongshi.attachments): each with its path, size and hash."""
    meta = descriptor.get("gongshi") if isinstance(descriptor.get("gongshi"), dict) else {}
    entries = meta.get("attachments", [])
    return [a for a in entries if isinstance(a, dict) and isinstance(a.get("path"), str)] \
        if isinstance(entries, list) else []


def signed_attachment_paths(descriptor: dict, folder: Path) -> list[str]:
    """The paths of the recorded attachments that are safe to read: inside the package's attachments folder."""
    return [a["path"] for a in signed_attachments(descriptor)
            if a["path"].startswith(ATTACHMENTS + "/") and not resource_path(folder, a["path"])[1]]


def resource_path(folder: Path, raw: object) -> tuple[Path | None, str | None]:
    """Return the resolved file of a resource path, or why it is refused."""
    if not isinstance(raw, str) or not raw:
        return None, "not-a-path"
    if "://" in raw or raw.startswith("//"):
        return None, "remote"
    candidate = Path(raw)
    if candidate.is_absolute() or ".." in candidate.parts:
        return None, "outside"
    resolved = (folder / candidate).resolve()
    if not resolved.is_relative_to(folder.resolve()):
        return None, "outside"
    return folder / candidate, None


def open_package(folder: str | Path, schemas: SchemaSet,
                 files: PackageFiles | None = None) -> tuple[CountyPackage | None, list[Problem]]:
    """Read folder/datapackage.json; return the package (None if unusable) and the problems found."""
    folder = Path(folder)
    files = files or PackageFiles(folder)
    problems: list[Problem] = []
    descriptor = _descriptor(folder, files, problems)
    county = _county(folder, descriptor, problems) if descriptor is not None else None
    if county is None:
        return None, problems
    package = CountyPackage(folder=folder, county=county, descriptor=descriptor, files=files)
    _options(package, problems)
    _resources(package, schemas, problems)
    return package, problems


def _options(package: CountyPackage, problems: list[Problem]) -> None:
    """The county's own settings in datapackage.json (gongshi.notice_days, gongshi.strict) must be ones gongshi
    knows: a wrong one is an error, never silently read as the default."""
    where, meta = str(package.folder / DESCRIPTOR), package.descriptor.get("gongshi", {})
    counting = meta.get("notice_days", periods.DEFAULT)
    if counting not in periods.COUNTINGS:
        problems.append(error(
            "package-setting-invalid", where, None, "gongshi.notice_days",
            f"gongshi.notice_days 写的是“{counting}”，应是 {'、'.join(periods.COUNTINGS)} 之一："
            "natural-days-inclusive 按自然日、首尾两天都算（公告写“共10个自然日”时）；days-after-start 首日不计；"
            "working-days 按工作日。",
            f"gongshi.notice_days is {counting!r}; it must be one of {', '.join(periods.COUNTINGS)}."))
    strict = meta.get("strict", False)
    if not (isinstance(strict, bool) or (isinstance(strict, str) and _is_date(strict))):
        problems.append(error(
            "package-setting-invalid", where, None, "gongshi.strict",
            f"gongshi.strict 写的是“{strict}”，应是 true、false 或一个日期（如 \"2026-01-01\"：这一天所在年度起的记录"
            "必须写明每一项）。",
            f"gongshi.strict is {strict!r}; it must be true, false or a date such as \"2026-01-01\"."))
    as_of = meta.get("as_of")
    if as_of is not None and not (isinstance(as_of, str) and _is_date(as_of)):
        problems.append(error(
            "package-setting-invalid", where, None, "gongshi.as_of",
            f"gongshi.as_of 写的是“{as_of}”，应是一个日期（如 \"2026-11-21\"）：演示数据所描述的那一天。",
            f"gongshi.as_of is {as_of!r}; it must be a date such as \"2026-11-21\", the day demo data describes."))


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _descriptor(folder: Path, files: PackageFiles, problems: list[Problem]) -> dict | None:
    """datapackage.json as a JSON object, or None (and why) when it is missing or malformed."""
    where = str(folder / DESCRIPTOR)
    if not files.exists(DESCRIPTOR):
        problems.append(error(
            "package-missing", where, None, None,
            f"文件夹 {folder} 中没有 datapackage.json。新建本县的数据包请运行 gongshi new-county 本县6位代码。",
            f"There is no datapackage.json in {folder}. Start a county's package with: gongshi new-county CODE",
        ))
        return None
    try:
        descriptor = json.loads(files.get(DESCRIPTOR).decode("utf-8", errors="replace"))
    except json.JSONDecodeError as exc:
        problems.append(error(
            "package-invalid-json", where, exc.lineno, None,
            f"datapackage.json 第{exc.lineno}行第{exc.colno}列不是有效的 JSON（{exc.msg}）。"
            "常见原因：少了逗号或引号、多了最后一个逗号。请按行列改正。",
            f"datapackage.json is not valid JSON at line {exc.lineno}, column {exc.colno} ({exc.msg}). "
            "Usually a missing comma or quote, or a trailing comma.",
        ))
        return None
    if not isinstance(descriptor, dict):
        problems.append(error(
            "package-invalid-json", where, None, None,
            "datapackage.json 的内容应是一个 JSON 对象（以 { 开头）。",
            "datapackage.json must contain a JSON object (starting with {).",
        ))
        return None
    return descriptor


def _county(folder: Path, descriptor: dict, problems: list[Problem]) -> str | None:
    """The package's county code (gongshi.county), or None when it is not one; its folder should bear it too."""
    where = str(folder / DESCRIPTOR)
    county = str(descriptor.get("gongshi", {}).get("county", "")) if isinstance(descriptor.get("gongshi"), dict) else ""
    if not COUNTY_CODE.fullmatch(county):
        problems.append(error(
            "county-code-invalid", where, None, "gongshi.county",
            f"datapackage.json 中 gongshi.county 应是6位县级区划代码，现在是“{county}”。",
            f"gongshi.county in datapackage.json must be the 6-digit county code, got {county!r}.",
        ))
        return None
    if COUNTY_CODE.fullmatch(folder.name) and folder.name != county:
        problems.append(error(
            "county-code-mismatch", where, None, "gongshi.county",
            f"文件夹名是 {folder.name}，但 datapackage.json 写的县代码是 {county}。请把两处都改成本县代码。",
            f"The folder is named {folder.name} but datapackage.json says county {county}; make them the same.",
        ))
    return county


def _resources(package: CountyPackage, schemas: SchemaSet, problems: list[Problem]) -> None:
    """Record the file of each resource the descriptor lists, refusing paths outside the folder; say which are
    missing, unknown or carry an out-of-date schema."""
    folder, descriptor, where = package.folder, package.descriptor, str(package.folder / DESCRIPTOR)
    listed = descriptor.get("resources") if isinstance(descriptor.get("resources"), list) else []
    for entry in listed:
        name = entry.get("name") if isinstance(entry, dict) else None
        path, refusal = resource_path(folder, entry.get("path") if isinstance(entry, dict) else None)
        if name not in ALL_RESOURCES:
            problems.append(warning(
                "resource-unknown", where, None, None,
                f"datapackage.json 中的数据表“{name}”不是 gongshi 认识的表，将被忽略。",
                f"Resource {name!r} in datapackage.json is not one gongshi knows; it is ignored.",
            ))
            if refusal in ("outside", "remote"):  # ignored, but a path out of the folder is refused all the same
                problems.append(error(
                    "unsafe-path", where, None, None,
                    f"数据表“{name}”的文件路径“{entry.get('path')}”指向本文件夹以外，不安全：请删除这张表或改正路径。",
                    f"The path {entry.get('path')!r} of resource {name!r} leads out of the package folder; "
                    "remove the resource or fix its path."))
            continue
        if refusal:
            problems.append(error(
                "unsafe-path", where, None, name,
                f"数据表 {name} 的文件路径“{entry.get('path')}”不安全或无效：只能是本文件夹内的文件名，如 {name}.csv。",
                f"The path {entry.get('path')!r} of resource {name} is refused: it must be a file inside "
                f"the package folder, such as {name}.csv.",
            ))
            continue
        if not path.is_file():
            problems.append(error(
                "file-missing", str(path), None, None,
                f"找不到数据表 {name} 的文件 {path}。请把文件放进本文件夹；只有表头的空表可以从 gongshi new-county 新建的数据包中复制。",
                f"The file {path} of resource {name} is missing. Add it, or copy one with only the header row.",
            ))
            continue
        package.resources[name] = path
        if entry.get("schema") != {k: v for k, v in schemas.tables[name].items() if k != "$schema"}:
            problems.append(warning(
                "schema-outdated", where, None, name,
                f"datapackage.json 中 {name} 的表结构与 schemas/{name}.json 不同；检查和建站以 schemas/ 为准。"
                f"请运行 gongshi update-schemas {folder} 更新。",
                f"The schema of {name} embedded in datapackage.json differs from schemas/{name}.json, which "
                f"is what gongshi checks against. Run: gongshi update-schemas {folder}",
            ))
    named = {e.get("name") for e in listed if isinstance(e, dict)}
    for name in RESOURCES:
        if name not in named:
            problems.append(error(
                "resource-missing", where, None, name,
                f"datapackage.json 中缺少数据表 {name}。每个县的数据包都要有全部7张表（可以只有表头）。",
                f"datapackage.json does not list resource {name}; every county package has all seven "
                "(a file with only the header row is fine).",
            ))


def find_packages(path: str | Path) -> list[Path]:
    """Return path itself if it is a package, else the package folders directly inside it."""
    path = Path(path)
    if (path / DESCRIPTOR).is_file():
        return [path]
    if not path.is_dir():
        return []
    return sorted(p for p in path.iterdir() if p.is_dir() and (p / DESCRIPTOR).is_file())
