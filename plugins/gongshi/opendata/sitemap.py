"""Sitemaps (sitemaps.org 0.9) and robots.txt, so that search engines find every village's page.

Each county's job writes `/<code>/sitemap.xml` with the county's pages (its TV, print and WeChat copies left out:
they repeat what the pages say); the province build writes `/sitemap.xml`, an index of the counties' sitemaps and
the province's own, and `/robots.txt` naming it. A sitemap holds at most 50,000 addresses, so a county's is split
into `sitemap-2.xml` … when it has more. Addresses are absolute, on the public site (`PUBLIC_SITEURL`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from xml.sax.saxutils import escape

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
LIMIT = 50_000
# Copies of what the pages say, for screens and paper; a search engine is sent to the pages themselves.
LEFT_OUT = ("tv", "itv", "print", "wechat", "report")


def page_urls(folder: Path, root: Path) -> list[str]:
    """The site-relative addresses of the pages under folder (each an index.html), in a fixed order."""
    urls = []
    for page in sorted(folder.rglob("index.html")):
        parts = page.relative_to(root).parent.parts
        if any(part in LEFT_OUT for part in parts[1:]):
            continue
        urls.append("/".join(parts) + "/" if parts else "")
    return urls


def _urlset(site: str, urls: list[str], lastmod: dt.date | None) -> str:
    mod = f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod else ""
    body = "".join(f"<url><loc>{escape(f'{site}/{url}')}</loc>{mod}</url>\n" for url in urls)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{NAMESPACE}">\n{body}</urlset>\n'


def write_county(root: Path, code: str, site: str, lastmod: dt.date | None) -> list[str]:
    """Write the county's sitemap(s) under root/<code>/; return their site-relative names (none without a public
    address: a sitemap's addresses must be absolute)."""
    if not site:
        return []
    urls = page_urls(root / code, root)
    names = []
    for i in range(0, max(len(urls), 1), LIMIT):
        name = f"{code}/sitemap.xml" if i == 0 else f"{code}/sitemap-{i // LIMIT + 1}.xml"
        (root / name).write_text(_urlset(site, urls[i:i + LIMIT], lastmod), encoding="utf-8")
        names.append(name)
    return names


def _is_county(name: str) -> bool:
    return len(name) == 6 and name.isascii() and name.isdigit()


def write_site(output: Path, site: str, counties: list[str], today: dt.date) -> None:
    """The province's own pages' sitemap, the index of every sitemap, and robots.txt."""
    robots = "User-agent: *\nAllow: /\n"
    if site:
        own = [""] if (output / "index.html").is_file() else []
        # Every county folder is left out here: a published county has its own sitemap, and a folder left from a
        # county this build did not publish is not sent to search engines.
        for folder in sorted(p for p in output.iterdir() if p.is_dir() and not _is_county(p.name)
                             and not p.name.startswith(".")):
            own += page_urls(folder, output)
        (output / "sitemap-site.xml").write_text(_urlset(site, own, today), encoding="utf-8")
        maps = ["sitemap-site.xml"] + [name.relative_to(output).as_posix() for code in counties
                                       for name in sorted((output / code).glob("sitemap*.xml"))]
        body = "".join(f"<sitemap><loc>{escape(f'{site}/{name}')}</loc></sitemap>\n" for name in maps)
        (output / "sitemap.xml").write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns='
                                            f'"{NAMESPACE}">\n{body}</sitemapindex>\n', encoding="utf-8")
        robots += f"Sitemap: {site}/sitemap.xml\n"
    (output / "robots.txt").write_text(robots, encoding="utf-8")
