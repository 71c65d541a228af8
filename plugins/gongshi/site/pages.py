"""A county's pages: rendered from its model with the build's templates, as Pelican's writer would render them.

Each page is rendered from its record (`context.py`). The version pages keep what does not change once a version is
published: a version's diff against the one before and its bundle are made once and carried from build to build in
`<code>/.gongshi-versions.json`, so a county's history costs the same however many versions it has.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

from ..model import County
from ..package.load import PackageFiles
from ..trust.diff import FieldChange, TableDiff, diff_tables
from ..trust.history import LOG, archive_stamp, county_history, read_log
from ..trust.verify import ALLOWED_SIGNERS, REVOKED
from .context import (
    AllocationPage,
    CountyPage,
    NoticePage,
    Page,
    ProjectPage,
    RegionPage,
    ReportPage,
    UnitPage,
    VersionPage,
    VersionsPage,
)
from .downloads import Download, write_log_downloads, write_version_downloads
from .kept import link_or_copy, read_kept

VERSIONS = ".gongshi-versions.json"


class PageWriter:
    """Renders pages with the build's templates and site context, and counts them."""

    def __init__(self, env, context: dict, relative_urls: bool, templates: tuple[str, ...]):
        self.context = context
        self.relative_urls = relative_urls
        self.templates = {name: env.get_template(f"{name}.html") for name in templates}
        self.count = 0

    def html(self, url: str, page: Page) -> str:
        """The HTML of the page at url, as Pelican's writer would make it."""
        local = self.context.copy()
        if self.relative_urls:
            depth = url.count("/")
            local["SITEURL"] = "/".join([".."] * depth) if depth else "."
        local["output_file"] = url + "index.html"
        local.update(page.names())
        self.count += 1
        return self.templates[page.template].render(local)

    def write(self, root: Path, url: str, page: Page) -> None:
        """Render one page to root/url/index.html."""
        path = root / url / "index.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(self.html(url, page))


def write_county_pages(writer: PageWriter, root: Path, county: County, problems: list) -> None:
    """Every page of a county's model: the county, its places, units, allocations, projects and notices."""
    write = writer.write
    write(root, county.url, CountyPage(county, county.root))
    if county.rejection:
        write(root, f"{county.code}/report/", ReportPage(county, problems))
    for region in county.regions.values():
        if region.level != "county":
            write(root, region.url, RegionPage(county, region))
    for unit in county.units.values():
        write(root, unit.url, UnitPage(county, unit))
    for allocation in county.allocations.values():
        write(root, allocation.url, AllocationPage(county, allocation))
    for project in county.projects.values():
        write(root, project.url, ProjectPage(county, project))
    for notice in county.notices.values():
        write(root, notice.url, NoticePage(county, notice))


def trust_digest(keys: Path) -> str:
    """What the version bundles hold besides the archived package: the trust files."""
    digest = hashlib.sha256()
    for name in (ALLOWED_SIGNERS, ALLOWED_SIGNERS + ".sig", REVOKED):
        path = Path(keys) / name
        digest.update(name.encode() + b"\0" + (path.read_bytes() if path.is_file() else b"-") + b"\0")
    return digest.hexdigest()


def read_versions(folder: Path, fmt: str) -> dict:
    """What an earlier build of the county kept of its versions, by version number; nothing when it was kept by
    another version of gongshi or for other schemas (`fmt`), whose diffs and bundles may differ."""
    kept = read_kept(Path(folder) / VERSIONS)
    versions = kept.get("versions") if kept.get("format") == fmt else None
    return versions if isinstance(versions, dict) else {}


def verified_versions(folder: Path, fmt: str) -> set[str]:
    """The archive stamps of the versions an earlier build of the county verified clean."""
    return {v["stamp"] for v in read_versions(folder, fmt).values()
            if isinstance(v, dict) and v.get("clean") and isinstance(v.get("stamp"), str)}


def write_versions(writer: PageWriter, root: Path, county: County, history_root: Path, keys: Path, schemas,
                   previous: Path, clean: set[str], fmt: str) -> list:
    """Write the county's version list and a page per published version with what changed and its bundle.

    A version that this build found clean (`clean`, its archive stamps), whose predecessor and trust files are what
    the previous build (`previous`, the county's live folder) saw, is not diffed or bundled again: its diff is read
    from there and its files are linked. `fmt` names the code and schemas the kept diffs were made with. Returns each
    release log entry with its diffs, oldest first."""
    output = root / county.code / "versions"
    history = county_history(history_root, county.code)
    entries = read_log(history / LOG)
    by_seq = {entry.seq: entry for entry in entries}
    kept, keep = read_versions(previous, fmt), {}
    trust = trust_digest(keys)
    versions = []
    for entry in entries:
        seq = str(entry.seq)
        stamp = archive_stamp(history, entry)
        before = by_seq[entry.seq - 1].package_sha256 if entry.seq - 1 in by_seq else ""
        reused = _kept_version(kept.get(seq), stamp, before, trust, clean, previous / "versions" / seq,
                               output / seq)
        if reused:
            diffs, downloads = reused
        else:
            diffs = diff_tables(history / str(entry.seq - 1) if entry.seq > 1 else None, history / seq, schemas)
            downloads = write_version_downloads(output / seq, county.code, entry.seq, PackageFiles(history / seq),
                                                keys)
        keep[seq] = {"stamp": stamp, "clean": stamp in clean, "before": before, "trust": trust,
                     "diffs": [_diff_to_json(d) for d in diffs], "downloads": [asdict(d) for d in downloads]}
        writer.write(root, f"{county.code}/versions/{seq}/", VersionPage(county, entry, diffs, downloads))
        versions.append((entry, diffs))
    writer.write(root, f"{county.code}/versions/", VersionsPage(county, versions[::-1],
                                                                write_log_downloads(output, history / LOG)))
    (root / county.code / VERSIONS).write_text(json.dumps({"format": fmt, "versions": keep}, ensure_ascii=False),
                                               encoding="utf-8")
    return versions


def _kept_version(was, stamp: str, before: str, trust: str, clean: set[str], old: Path,
                  new: Path) -> tuple[list[TableDiff], list[Download]] | None:
    """The diffs and bundle an earlier build made of this version, linked into `new`, when they still hold: the
    archive was verified clean now and then, and its predecessor and the trust files are the same."""
    if not isinstance(was, dict) or stamp not in clean or not was.get("clean"):
        return None
    if (was.get("stamp"), was.get("before"), was.get("trust")) != (stamp, before, trust):
        return None
    try:
        diffs = [_diff_from_json(d) for d in was["diffs"]]
        downloads = [Download(**d) for d in was["downloads"]]
    except (KeyError, TypeError, ValueError):
        return None
    # Only plain file names of the version's own folder, each still there.
    if not all(Path(d.name).name == d.name and d.name not in ("", ".", "..") and (old / d.name).is_file()
               for d in downloads):
        return None
    new.mkdir(parents=True, exist_ok=True)
    for download in downloads:
        link_or_copy(old / download.name, new / download.name)
    return diffs, downloads


def _diff_to_json(diff: TableDiff) -> list:
    """A diff as plain lists, quick to write and read (dataclasses.asdict would copy every row)."""
    return [diff.resource, list(diff.key_fields), diff.added, diff.removed,
            [[key, [[c.field, c.old, c.new] for c in changes]] for key, changes in diff.changed]]


def _diff_from_json(data: list) -> TableDiff:
    resource, keys, added, removed, changed = data
    return TableDiff(resource, tuple(keys), [tuple(a) for a in added], [tuple(r) for r in removed],
                     [(key, [FieldChange(*c) for c in changes]) for key, changes in changed])



