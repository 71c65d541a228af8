"""Subscribe to my village: Atom feeds (RFC 4287) per county, township and village and for the whole site, read by a
real feed parser, with stable tag: ids."""

from __future__ import annotations

import re

import feedparser
from bs4 import BeautifulSoup

COUNTY = "519901"
VILLAGE = "519901101201"


def parsed(path):
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def test_every_feed_has_what_rfc_4287_requires(demo_site):
    feeds = [demo_site / "feed.atom", demo_site / COUNTY / "feed.atom",
             *sorted((demo_site / COUNTY / "place").glob("*/feed.atom"))]
    assert len(feeds) > 40
    for path in feeds:
        feed = parsed(path)
        assert feed.version == "atom10"
        assert feed.feed.id.startswith("tag:gongshi.example.org,2026:") and feed.feed.title and feed.feed.updated
        ids = [e.id for e in feed.entries]
        assert len(ids) == len(set(ids)) <= 100, path
        for entry in feed.entries:
            assert re.fullmatch(r"tag:gongshi\.example\.org,2026:[0-9]{6}/(notice/[^/]+|version/\d+)", entry.id)
            assert entry.title and entry.updated and entry.link.startswith("https://gongshi.example.org/")


def test_a_village_feed_has_the_notices_its_page_lists_and_the_versions(demo_site):
    feed = parsed(demo_site / COUNTY / "place" / VILLAGE / "feed.atom")
    page = BeautifulSoup((demo_site / COUNTY / "place" / VILLAGE / "index.html").read_text(encoding="utf-8"),
                         "html.parser")
    listed = {m.group(1) for a in page.select('a[href*="/notice/"]')
              for m in [re.search(r"/notice/([^/]+)/$", a["href"])] if m}
    notices = {e.id.rsplit("/", 1)[-1] for e in feed.entries if "/notice/" in e.id}
    assert notices and notices == listed
    assert any("/version/1" in e.id for e in feed.entries)
    assert page.select_one('link[rel="alternate"][type="application/atom+xml"]')["href"].endswith(
        f"{COUNTY}/place/{VILLAGE}/feed.atom")


def test_the_county_feed_links_each_version_to_what_changed(demo_site):
    feed = parsed(demo_site / COUNTY / "feed.atom")
    versions = [e for e in feed.entries if "/version/" in e.id]
    assert versions and all(e.link.endswith(f"/{COUNTY}/versions/{e.id.rsplit('/', 1)[-1]}/") for e in versions)
    assert all("新增" in e.summary for e in versions)
    site = parsed(demo_site / "feed.atom")
    assert site.entries and all("/notice/" in e.id for e in site.entries)


def test_a_feed_never_takes_the_clock_nor_markup_from_the_data(tmp_path):
    """A notice with no period is dated by the day it was published, one with no date at all by 1 January of its
    year (among its year's notices, never new), never by the build's clock; a unit's name is text in the HTML
    summary."""
    import shutil

    from conftest import GOOD, build_site

    data = tmp_path / "data"
    folder = shutil.copytree(GOOD, data / "519902")
    units = folder / "units.csv"
    units.write_text(units.read_text(encoding="utf-8").replace("一村村民委员会", "一村<i>村委</i>"), encoding="utf-8")
    notices = folder / "notices.csv"
    lines = notices.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",2025-03-15,2025-03-25,", ",,,").replace(",2025-03-14,", ",,")  # no date at all
    lines[2] = lines[2].replace(",2025-02-20,2025-03-02,", ",,,")  # published 2025-02-19, no period
    notices.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = build_site(data, tmp_path / "site", search=False)
    assert result.returncode == 0, result.stderr[-2000:]
    for path in (tmp_path / "site" / "feed.atom", tmp_path / "site" / "519902" / "feed.atom"):
        raw = path.read_text(encoding="utf-8")
        assert set(re.findall(r"<updated>([^<]+)</updated>", raw)) == {"2025-02-19T00:00:00+08:00",
                                                                       "2025-01-01T00:00:00+08:00"}, raw
        summaries = [e.summary for e in feedparser.parse(raw, sanitize_html=False).entries]
        assert "一村&lt;i&gt;村委&lt;/i&gt;：公示期未载明。" in summaries, summaries
