"""The demo site in real headless Chromium, as a villager's phone shows it."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest


@pytest.fixture(scope="module")
def phone(browser):
    # A small, cheap phone, with JavaScript off: every page must work without it.
    context = browser.new_context(viewport={"width": 360, "height": 640}, java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_villager_reaches_their_village_in_two_taps_and_sees_the_money(server, phone):
    requested = []
    phone.on("request", lambda request: requested.append(request.url))
    phone.goto(server + "/")
    phone.get_by_role("link", name="演示县").first.click()
    township = phone.locator(".township").first
    village = township.locator(".villages a").first
    name = village.inner_text()
    village.click()
    assert phone.locator("h1").inner_text().startswith(name)
    assert phone.locator(".hotline").first.inner_text().count("12317") == 1
    assert phone.locator("article.project").count() + phone.locator("table.allocations tbody tr").count() > 0
    # Nothing but this site is asked for anything.
    assert {urlparse(u).netloc for u in requested} == {urlparse(server).netloc}


@pytest.mark.parametrize("path", ["/", "/519901/", "/519901/unit/czj/", "/dictionary/", "/pages/clerk-guide/",
                                  # a wall notice opened on a phone: its A3 table scrolls in its own box
                                  "/519901/notice/GS2025-004/print/",
                                  # commands a journalist copies scroll in their own box
                                  "/519901/data/", "/data/", "/519901/supervision/", "/supervision/",
                                  "/519901/problem/WT2026-004/"])
def test_pages_fit_a_phone_screen(server, phone, path):
    phone.goto(server + path)
    overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path} is {overflow}px wider than the screen"


def test_wide_tables_become_labelled_rows_on_a_phone(server, phone):
    phone.goto(server + "/519901/unit/czj/")
    cell = phone.locator("table.allocations tbody td[data-label]").first
    before = cell.evaluate("el => getComputedStyle(el, '::before').content")
    assert "文号" in before


def test_local_build_can_be_browsed_from_disk(tmp_path_factory, browser):
    from conftest import ROOT, build_site

    output = tmp_path_factory.mktemp("from-disk")
    result = build_site(ROOT / "data", output, index_links=True)
    assert result.returncode == 0, result.stderr
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto((output / "index.html").as_uri())
    tab.get_by_role("link", name="演示县").first.click()
    village = tab.locator(".township .villages a").first
    name = village.inner_text()
    village.click()
    assert tab.url.endswith("/index.html") and tab.locator("h1").inner_text().startswith(name)
    tab.get_by_role("link", name="数据说明").first.click()
    assert tab.locator("h1").inner_text() == "数据说明"
    context.close()


PAYLOADS = ('<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">',
            '"><svg onload=window.__pwned=1>', "<svg onload=window.__pwned=1>")


def fill_with_payloads(folder) -> int:
    """Put HTML and script payloads into every free-text cell of a package, within each field's length limit."""
    import csv
    import io

    from gongshi.schemas import load_schemas

    schemas, filled = load_schemas(), 0
    for name in ("regions", "units", "allocations", "projects", "acceptances", "notices"):
        path = folder / f"{name}.csv"
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
        for field in schemas.fields(name):
            constraints = field.get("constraints", {})
            if field["type"] != "string" or "pattern" in constraints or "enum" in constraints \
                    or (rows and field["name"] not in rows[0]):  # a column newer than the fixture
                continue
            limit = constraints.get("maxLength", 10_000)
            for row in rows:
                payload = next(p for p in PAYLOADS if len(p) <= limit)
                row[field["name"]] = (row[field["name"]] + payload)[-limit:] if len(row[field["name"]] + payload) > limit \
                    else row[field["name"]] + payload
                filled += 1
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        path.write_text(buffer.getvalue(), encoding="utf-8")
    return filled


def test_no_script_from_data_ever_runs(tmp_path_factory, browser):
    import shutil

    from conftest import GOOD, build_site

    root = tmp_path_factory.mktemp("payloads")
    folder = shutil.copytree(GOOD, root / "data" / "519902")
    assert fill_with_payloads(folder) > 40
    result = build_site(root / "data", root / "out")
    assert result.returncode == 0 and (root / "out" / "519902" / "project" / "XM-1" / "index.html").is_file(), \
        result.stdout + result.stderr
    pages = sorted((root / "out").rglob("*.html"))
    context = browser.new_context()  # JavaScript on: a payload that could run, would
    dialogs = []
    context.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    tab = context.new_page()
    for page in pages:
        tab.goto(page.as_uri())
        assert tab.evaluate("window.__pwned") is None, page
    assert dialogs == []
    tab.goto((root / "out" / "519902" / "project" / "XM-1" / "index.html").as_uri())
    assert "<script>window.__pwned=1</script>" in tab.locator("h1").inner_text()
    assert tab.locator("main script, main svg, main img").count() == 0
    context.close()


PHONE_PAGES = ["/", "/519901/", "/519901/place/519901101201/", "/519901/notice/GS2026-133/",
               "/519901/project/XM2026-001/", "/519901/now/", "/search/", "/pages/clerk-guide/"]


@pytest.mark.parametrize("path", PHONE_PAGES)
def test_a_phone_page_fits_its_screen_with_large_tap_targets_and_reachable_tables(server, phone, path):
    """掌中看: at 360 px nothing runs off the side of the page, the links a thumb uses are at least 44 px high, labels
    are at least 14 px, and a table that scrolls sideways can be reached with the keyboard."""
    phone.goto(server + path)
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 360, path
    heights = phone.evaluate("""() => [...document.querySelectorAll(
        'header.site nav a, .crumbs a, .site-search input, .site-search button')]
        .filter(e => e.getClientRects().length).map(e => [e.textContent.trim(), e.getBoundingClientRect().height])""")
    assert heights and all(h >= 44 for _, h in heights), [x for x in heights if x[1] < 44]
    sizes = phone.evaluate("""() => [...document.querySelectorAll('.tag, .figures dt, .fields dt, .small, .meta')]
        .map(e => parseFloat(getComputedStyle(e).fontSize))""")
    assert all(size >= 14 for size in sizes), sorted(sizes)[:3]
    assert phone.evaluate("() => [...document.querySelectorAll('.scroll')].every(e => e.tabIndex === 0)"), path


def test_every_page_names_itself_for_sharing_and_has_an_icon(demo_site, server, phone):
    from bs4 import BeautifulSoup

    for path in list(demo_site.rglob("index.html"))[::25]:
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        if any(part in path.parts for part in ("tv", "itv", "print", "a4", "a3")):
            continue  # the screens' pages and wall notices are not shared
        for name in ("og:title", "og:description", "og:url"):
            tag = page.select_one(f'meta[property="{name}"]')
            assert tag is not None and tag["content"].strip(), (path, name)
        assert page.select_one('link[rel="icon"]') is not None, path
    response = phone.request.get(server + "/favicon.ico")
    assert response.status == 200 and response.body()[:4] == b"\x00\x00\x01\x00"  # an ICO file
