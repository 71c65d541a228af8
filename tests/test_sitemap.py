"""Search engines find every village's page: robots.txt names a sitemap index, whose sitemaps list every page of
every county (not the TV, print and WeChat copies) with absolute addresses on the public site."""

from __future__ import annotations

import xml.etree.ElementTree as ET

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SITE = "https://gongshi.example.org"


def locs(path):
    return [e.text for e in ET.parse(path).getroot().iterfind(".//s:loc", NS)]


def test_robots_names_the_sitemap_index_which_lists_every_sitemap(demo_site):
    robots = (demo_site / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {SITE}/sitemap.xml" in robots.splitlines()
    root = ET.parse(demo_site / "sitemap.xml").getroot()
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    maps = locs(demo_site / "sitemap.xml")
    assert f"{SITE}/519901/sitemap.xml" in maps and f"{SITE}/sitemap-site.xml" in maps
    for url in maps:
        assert (demo_site / url.removeprefix(SITE + "/")).is_file(), url


def test_every_village_and_project_page_is_listed_and_exists(demo_site):
    urls = locs(demo_site / "519901" / "sitemap.xml")
    assert len(urls) == len(set(urls)) <= 50_000
    paths = {url.removeprefix(SITE + "/") for url in urls}
    assert all((demo_site / path / "index.html").is_file() for path in paths)
    villages = {p.parent.relative_to(demo_site).as_posix() + "/"
                for p in (demo_site / "519901" / "place").glob("*/index.html")}
    projects = {p.parent.relative_to(demo_site).as_posix() + "/"
                for p in (demo_site / "519901" / "project").glob("*/index.html")}
    assert villages and villages <= paths and projects <= paths
    assert "519901/supervision/" in paths and "519901/data/" in paths
    assert not any("/tv/" in p or "/print/" in p or "/wechat/" in p or "/itv/" in p for p in paths)
    site = {url.removeprefix(SITE + "/") for url in locs(demo_site / "sitemap-site.xml")}
    assert {"", "search/", "pages/clerk-guide/", "supervision/"} <= site


def test_a_county_folder_the_build_did_not_publish_is_not_sent_to_search_engines(tmp_path):
    import datetime as dt

    from gongshi.opendata.sitemap import write_county, write_site

    for page in ("index.html", "dictionary/index.html", "519901/index.html", "519901/place/519901100000/index.html",
                 "519902/index.html", "519902/project/XM-1/index.html"):
        (tmp_path / page).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / page).write_text("<html></html>", encoding="utf-8")
    write_county(tmp_path, "519901", "https://example.org", None)
    write_site(tmp_path, "https://example.org", ["519901"], dt.date(2026, 11, 21))
    own = (tmp_path / "sitemap-site.xml").read_text(encoding="utf-8")
    index = (tmp_path / "sitemap.xml").read_text(encoding="utf-8")
    assert "https://example.org/dictionary/" in own and "519902" not in own and "519901" not in own
    assert "https://example.org/519901/sitemap.xml" in index and "519902" not in index
