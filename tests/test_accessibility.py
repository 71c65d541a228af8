"""掌中看 for everyone: axe-core (the engine browsers' accessibility tools use) finds nothing serious on any kind of
page of the demo site, and the search page does not jump about while its results arrive (Lighthouse's layout
shift), in real headless Chromium on a phone's screen."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from axe_playwright_python.sync_playwright import Axe

COUNTY = "519901"

# One page of each kind a villager, a clerk or a journalist opens, the screens' pages included.
PAGES = ["/", f"/{COUNTY}/", f"/{COUNTY}/place/519901101000/", f"/{COUNTY}/place/519901101201/",
         f"/{COUNTY}/notice/GS2026-133/", f"/{COUNTY}/notice/GS2025-004/print/", f"/{COUNTY}/project/XM2026-001/",
         f"/{COUNTY}/unit/czj/", f"/{COUNTY}/data/", f"/{COUNTY}/allocation/ZJ2025-001/", f"/{COUNTY}/now/",
         f"/{COUNTY}/wechat/GS2026-133/", f"/{COUNTY}/tv/", f"/{COUNTY}/tv/crawl/", f"/{COUNTY}/itv/",
         f"/{COUNTY}/itv/sd/", "/search/", "/dictionary/",
         "/pages/clerk-guide/", f"/{COUNTY}/supervision/", f"/{COUNTY}/problem/WT2026-004/", "/supervision/",
         f"/{COUNTY}/project/XM2026-004/", f"/{COUNTY}/forms/", "/data/"]


@pytest.fixture(scope="module")
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 640}, device_scale_factor=2, is_mobile=True)
    yield context.new_page()
    context.close()


def test_no_page_has_an_accessibility_finding(server, phone):
    """Nothing at all, serious or moderate, on any kind of page: WCAG 2.x A and AA and axe's best practices (landmarks
    included), as Lighthouse's accessibility audit runs them."""
    axe = Axe()
    found = {}
    for path in PAGES:
        response = phone.goto(server + path)
        assert response.status == 200, path
        # A TV screen's pages move on by themselves: that is what they are for (WCAG 2.2.1's "essential" exception),
        # and each carries a link that stops the motion (2.2.2). The crawl is one line under a TV picture: no heading.
        rules = {"meta-refresh": {"enabled": "/tv/" not in path},
                 "page-has-heading-one": {"enabled": not path.endswith("/crawl/")}}
        results = axe.run(phone, options={"resultTypes": ["violations"], "rules": rules, "runOnly": {
            "type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}})
        if results.response["violations"]:
            found[path] = [(v["id"], v["impact"], len(v["nodes"]), v["nodes"][0]["target"])
                           for v in results.response["violations"]]
    assert not found, found


LAYOUT_SHIFT = """() => new Promise(done => {
    let total = 0;
    new PerformanceObserver(list => {
        for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
    }).observe({type: "layout-shift", buffered: true});
    setTimeout(() => done(total), 500);
})"""


@pytest.mark.parametrize("query", ["", f"?q={quote('红星村')}&county={COUNTY}", f"?q={quote('道路硬化')}"])
def test_the_search_page_does_not_shift_while_results_arrive(server, browser, query):
    """Lighthouse's cumulative layout shift: under 0.1 counts as good; the page once scored 0.386."""
    context = browser.new_context(viewport={"width": 360, "height": 640}, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    page.goto(server + "/search/" + query)
    if query:
        page.wait_for_selector("#search[data-done]", timeout=30_000)
        assert page.locator(".search-result").count() > 0
    shift = page.evaluate(LAYOUT_SHIFT)
    context.close()
    assert shift < 0.1, shift
