"""Atom feeds (RFC 4287): "subscribe to my village".

- `/<code>/feed.atom`: the county's notices and each new version of its data, with a link to what changed;
- `/<code>/place/<region>/feed.atom`: a township's or a village's: the notices its page lists (the money that went
  there, its projects, its households) and the versions that changed something there;
- `/feed.atom`: the newest notices of every county.

Entry ids are stable `tag:` URIs (RFC 4151) made from the county, the notice id or the version number, so that a
reader never shows an entry twice. A feed is dated by its newest entry, never by the clock: the same data gives the
same file.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

import feedgenerator

from ..dates import CHINA, midnight

LIMIT = 100  # entries a feed keeps, newest first
TAG_YEAR = 2026  # the year in the tag URIs' authority: fixed, so ids never change
# The tables whose rows name a place, and the field that does: a version concerns a place when it changed one of them.
PLACE_FIELDS = {"projects": "region_code", "allocations": "recipient_region_code", "beneficiaries": "region_code",
                "problems": "region_code", "inspections": "region_code", "regions": "code"}
PROJECT_ROWS = ("project_funds", "acceptances", "beneficiaries", "indicators", "disbursements", "supervisors",
                "evaluations", "assets")


def tag(site: str, path: str) -> str:
    host = urlsplit(site).hostname if site else None
    return f"tag:{host or 'gongshi'},{TAG_YEAR}:{path}"




class _Feed(feedgenerator.Atom1Feed):
    """Dated by its newest entry, so that the file does not change from one build to the next."""

    def latest_post_date(self):
        dates = [item["updateddate"] or item["pubdate"] for item in self.items
                 if item["updateddate"] or item["pubdate"]]
        return max(dates) if dates else midnight(dt.date(TAG_YEAR, 1, 1))


def notice_day(county, notice) -> dt.date:
    """The day a feed dates a notice by, never the clock: the start of its period, else the day it was published,
    else 1 January of its year, so that a notice stating no day sits among its year's notices and never shows as
    new when the data is released again."""
    for day in (notice.start_date, notice.published_on):
        if isinstance(day, dt.date):
            return day
    return dt.date(notice.year, 1, 1) if isinstance(notice.year, int) and 1900 < notice.year < 3000 else \
        dt.date(TAG_YEAR, 1, 1)


def _summary(discloser: str, start, end) -> str:
    """The entry's summary: Atom says it is HTML, so the data in it is escaped."""
    period = f"公示期 {start.isoformat()} 至 {end.isoformat()}" if start and end else "公示期未载明"
    return f"{escape(discloser)}：{period}。"


def _notice_entry(site: str, county, notice) -> dict:
    day = midnight(notice_day(county, notice))
    return {"title": notice.title, "link": f"{site}/{notice.url}", "unique_id": tag(site, f"{county.code}/notice/"
                                                                                     f"{notice.notice_id}"),
            "description": _summary(notice.discloser_names, notice.start_date, notice.end_date), "pubdate": day,
            "updateddate": day, "author_name": notice.discloser_names, "categories": ["公告"]}


def _version_entry(site: str, county, entry, diffs) -> dict:
    counts = [(d.resource, len(d.added), len(d.changed), len(d.removed)) for d in diffs if not d.empty]
    said = "；".join(f"{name}：新增 {a}、修改 {c}、删除 {r}" for name, a, c, r in counts) or "没有表格变化"
    day = dt.datetime.fromisoformat(str(entry.date).replace("Z", "+00:00"))
    if day.tzinfo is None:
        day = day.replace(tzinfo=dt.UTC)
    return {"title": f"{county.name}数据第 {entry.seq} 版", "link": f"{site}/{county.code}/versions/{entry.seq}/",
            "unique_id": tag(site, f"{county.code}/version/{entry.seq}"),
            "description": f"签名发布的第 {entry.seq} 版数据。变化：{said}。", "pubdate": day, "updateddate": day,
            "author_name": county.name, "categories": ["数据版本"]}


def _places_changed(county, diffs) -> set[str]:
    """The codes of the places a version's changes concern (each row's own place, or its project's)."""
    codes: set[str] = set()
    for d in diffs:
        rows = [row for _, row in d.added] + [row for _, row in d.removed]
        keys = [key for key, _ in d.changed]
        field = PLACE_FIELDS.get(d.resource)
        for row in rows:
            if field and row.get(field):
                codes.update(c for c in row[field].replace("；", "、").split("、") if c)
            if d.resource in PROJECT_ROWS and row.get("project_id") in county.projects:
                codes.update(r.code for r in county.projects[row["project_id"]].regions)
        for key in keys:
            first = key.split(" / ")[0]
            if d.resource in ("projects", *PROJECT_ROWS) and first in county.projects:
                codes.update(r.code for r in county.projects[first].regions)
            elif d.resource == "allocations" and first in county.allocations:
                codes.add(county.allocations[first].recipient_region.code)
            elif d.resource == "notices" and first in county.notices:
                codes.update(r.code for r in county.notices[first].places)
            elif d.resource == "regions":
                codes.add(first)
    return codes


def _write(path: Path, title: str, link: str, feed_url: str, site: str, feed_id: str, entries: list[dict]) -> None:
    feed = _Feed(title=title, link=link, description=title, language="zh-CN", feed_url=feed_url, feed_guid=feed_id,
                 author_name="gongshi")
    entries = sorted(entries, key=lambda e: (e["updateddate"] or dt.datetime.min.replace(tzinfo=CHINA),
                                             e["unique_id"]), reverse=True)[:LIMIT]
    for e in entries:
        feed.add_item(**e)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        feed.write(fh, "utf-8")


def write_county(root: Path, county, site: str, versions: list) -> list[Path]:
    """The county's feed and one per township and village; `versions` pairs each release log entry with its
    diffs."""
    written = []
    released = [(_version_entry(site, county, entry, diffs), _places_changed(county, diffs))
                for entry, diffs in versions]
    notices = [_notice_entry(site, county, n) for n in county.notices.values()]
    path = root / county.code / "feed.atom"
    _write(path, f"{county.name}：公告公示和数据更新", f"{site}/{county.url}", f"{site}/{county.code}/feed.atom", site,
           tag(site, f"{county.code}/feed"), notices + [v for v, _ in released])
    written.append(path)
    for region in county.regions.values():
        if region.level == "county":
            continue
        mine = [_notice_entry(site, county, n) for n in region.notices]
        mine += [v for v, codes in released if any(region.contains(c) for c in codes)]
        path = root / region.url / "feed.atom"
        _write(path, f"{region.full_name}：公告公示和数据更新", f"{site}/{region.url}", f"{site}/{region.url}feed.atom",
               site, tag(site, f"{county.code}/place/{region.code}/feed"), mine)
        written.append(path)
    return written


def write_site(output: Path, site: str, counties: list) -> Path:
    """The newest notices of every county (from their summaries)."""
    entries = []
    for c in counties:
        for n in c.notices:
            day = midnight(n.dated or dt.date(TAG_YEAR, 1, 1))
            entries.append({"title": f"{c.name}：{n.title}", "link": f"{site}/{n.url}",
                            "unique_id": tag(site, f"{c.code}/notice/{n.notice_id}"),
                            "description": _summary(n.discloser.name, n.start_date, n.end_date),
                            "pubdate": day, "updateddate": day, "author_name": n.discloser.name,
                            "categories": ["公告"]})
    path = output / "feed.atom"
    _write(path, "扶贫资金项目公告公示：各县最新公告", f"{site}/", f"{site}/feed.atom", site, tag(site, "feed"), entries)
    return path
