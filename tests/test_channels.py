"""电视播、掌中看: the TV slides, the crawl, the now page, LED text, SMS lines and feeds of the notices in their period,
checked on the demo site as built for BUILD_DAY, in real headless Chromium where it is a matter of the screen."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import statistics
import subprocess
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from conftest import BUILD_DAY, GOOD, ROOT, build_site

COUNTY = "519901"
SMS_BANNED = set("【】[]¥★※")


def soup(site, url):
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def notices_on(day: str) -> list[str]:
    """The demo notices in their period on that day, read from the package itself."""
    with open(ROOT / "data" / COUNTY / "notices.csv", encoding="utf-8") as fh:
        return sorted(n["notice_id"] for n in csv.DictReader(fh)
                      if n["start_date"] and n["end_date"] and n["start_date"] <= day <= n["end_date"])


def code_on_notice_page(site, notice_id):
    return soup(site, f"{COUNTY}/notice/{notice_id}").select_one(".meta .query-code").get_text()


def next_slide(page) -> str:
    """Where a TV slide's meta refresh goes, as a folder of the site."""
    target = page.select_one('meta[http-equiv="refresh"]')["content"].split("url=")[1]
    return f"{COUNTY}/" + target.split(f"/{COUNTY}/", 1)[1].removesuffix("index.html").strip("/")


def test_every_channel_carries_the_notices_in_their_period_with_their_codes(demo_site):
    expected = notices_on(BUILD_DAY)
    assert expected, "the demo has notices in their period on the build day"
    codes = {n: code_on_notice_page(demo_site, n) for n in expected}
    assert all(re.fullmatch(r"[2-9A-HJKMNP-Z]{6}", c) for c in codes.values()), codes
    # The now page: one row a notice, its code as on the notice page.
    rows = soup(demo_site, f"{COUNTY}/now").select("table.now tbody tr")
    assert sorted(r.select_one("a")["href"].split("/notice/")[1].strip("/").removesuffix("index.html").strip("/")
                  for r in rows) == expected
    assert {r["id"] for r in rows} == set(codes.values())
    # The TV slides: a chain of meta refreshes through every notice and back to the first.
    url, seen = f"{COUNTY}/tv", []
    for _ in range(len(expected) + 1):
        page = soup(demo_site, url)
        code = page.select_one(".code").get_text().split()[-1]
        seen.append(code)
        url = next_slide(page)
    assert sorted(seen[:-1]) == sorted(codes.values()) and seen[-1] == seen[0]
    # SMS: one line a notice, one or two parts, its code, the fixed now page, no character carriers garble.
    text = (demo_site / COUNTY / "sms" / "sms.csv").read_text(encoding="utf-8-sig")
    sms = list(csv.DictReader(io.StringIO(text)))
    assert sorted(r["公示编号"] for r in sms) == expected
    for row in sms:
        body = row["短信内容"]
        assert body.startswith("【演示县】") and len(body) <= 134 and int(row["字数"]) == len(body)
        assert codes[row["公示编号"]] in body and f"/{COUNTY}/now/" in body
        assert not SMS_BANNED & set(body.removeprefix("【演示县】"))
    # LED: GB2312 text, one line a notice; each board's pages fit its dots.
    lines = (demo_site / COUNTY / "led" / "led.gbk.txt").read_bytes().decode("gb2312").splitlines()
    assert len(lines) == len(expected) and all(any(c in line for line in lines) for c in codes.values())
    for width, height in ((64, 16), (128, 16), (256, 32)):
        pages = (demo_site / COUNTY / "led" / f"{width}x{height}.pages.txt").read_text(encoding="utf-8").split("\n\n")
        for page in pages:
            rows_ = page.strip("\n").split("\n")
            assert len(rows_) <= height // 16 and all(len(r.encode("gb2312")) * 8 <= width for r in rows_), page
            assert not any(r[:1] in "，。、：" for r in rows_ if r), page  # no line starts with closing punctuation
    # Feeds for signage players.
    rss = ET.parse(demo_site / COUNTY / "ticker.rss").getroot()
    titles = [item.findtext("title") for item in rss.iter("item")]
    assert len(titles) == len(expected) and all(any(c in t for t in titles) for c in codes.values())
    atom = ET.parse(demo_site / COUNTY / "ticker.atom").getroot()
    assert len(atom.findall("{http://www.w3.org/2005/Atom}entry")) == len(expected)
    assert len((demo_site / COUNTY / "ticker.txt").read_text(encoding="utf-8").splitlines()) == len(expected)


@pytest.fixture(scope="module")
def odd_site(tmp_path_factory):
    """The test county on a day in its notices' period, with a village named with a character no LED board has,
    and a notice title that tries to inject markup."""
    root = tmp_path_factory.mktemp("channels")
    folder = shutil.copytree(GOOD, root / "data" / "519902")
    regions = folder / "regions.csv"
    regions.write_text(regions.read_text(encoding="utf-8").replace(",一村,", ",喆村,"), encoding="utf-8")
    notices = folder / "notices.csv"
    notices.write_text(notices.read_text(encoding="utf-8").replace(
        "一村2025年度茶叶基地提升项目实施前公示", "一村<script>alert(1)</script>公示"), encoding="utf-8")
    result = build_site(root / "data", root / "site", today="2025-03-20", search=False,
                        broadcast={"sms_signature": "测试县公示"})
    assert result.returncode == 0, result.stderr[-3000:]
    return root / "site", result.stdout + result.stderr


def test_a_character_no_led_board_has_falls_back_and_is_said(odd_site):
    site, log = odd_site
    led = (site / "519902" / "led" / "led.gbk.txt").read_bytes().decode("gb2312")
    assert "喆" not in led and "：甲镇项目实施前公示：" in led  # the township's name instead
    assert "led-not-gb2312" in log
    # Pages, SMS and feeds keep the name as written.
    assert "喆村" in (site / "519902" / "ticker.txt").read_text(encoding="utf-8")
    assert (site / "519902" / "sms" / "sms.csv").read_text(encoding="utf-8-sig").count("【测试县公示】") >= 1


def test_every_channel_escapes_what_the_data_says(odd_site):
    site, _ = odd_site
    for page in ("519902/now/index.html", "519902/tv/index.html", "519902/tv/crawl/index.html",
                 "519902/ticker.rss", "519902/ticker.atom"):
        text = (site / page).read_text(encoding="utf-8")
        assert "<script>alert" not in text, page
    assert "&lt;script&gt;alert(1)" in (site / "519902/now/index.html").read_text(encoding="utf-8")


# --- on the screen ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("width, height", [(1920, 1080), (1280, 720), (3840, 2160)])
def test_a_tv_slide_keeps_inside_the_safe_area_in_large_type_and_its_qr_decodes(server, browser, demo_site, tmp_path,
                                                                                 width, height):
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        page.goto(f"{server}/{COUNTY}/tv/2/")
        boxes = page.evaluate("""() => [...document.querySelectorAll('h1, p, dt, dd, .code, svg, .side div')]
            .map(e => { const r = e.getBoundingClientRect(); return {tag: e.tagName, text: e.textContent.slice(0, 20),
              left: r.left, top: r.top, right: r.right, bottom: r.bottom, size: parseFloat(getComputedStyle(e).fontSize),
              clipped: getComputedStyle(e).overflow !== 'visible' &&
                (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1)}; })""")
        slack = 10  # the anti-burn-in shift, a few pixels
        for box in boxes:
            assert box["left"] >= 0.05 * width - 1 and box["right"] <= 0.95 * width + slack, box
            assert box["top"] >= 0.05 * height - 1 and box["bottom"] <= 0.95 * height + slack, box
            assert not box["clipped"] or box["tag"] == "svg", box
            assert box["tag"] == "svg" or box["size"] >= height / 30 - 0.5, box
        notice = page.evaluate("() => document.querySelector('svg.qr title').textContent")
        if width <= 1920:  # the 4K picture is the 1080p one scaled: its layout is checked above, its QR there
            shot = tmp_path / "slide.png"
            page.screenshot(path=str(shot))
            decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(shot)], capture_output=True, text=True)
            assert decoded.stdout.strip() == notice and f"/{COUNTY}/notice/" in notice
        code = page.locator(".code").inner_text().split()[-1]
        notice_id = notice.rstrip("/").rsplit("/", 1)[1]
        assert code == code_on_notice_page(demo_site, notice_id)
    finally:
        page.close()


def test_the_crawl_moves_smoothly_at_its_set_speed_without_layout(server, browser):
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    try:
        page.goto(f"{server}/{COUNTY}/tv/crawl/")
        cdp = page.context.new_cdp_session(page)
        cdp.send("Performance.enable")
        layouts = lambda: next(m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]  # noqa: E731
                               if m["name"] == "LayoutCount")
        page.wait_for_timeout(500)
        before = layouts()
        samples = page.evaluate("""() => new Promise(done => {
            const track = document.querySelector('.track'), out = [], start = performance.now();
            function frame(t) {
              out.push([t, new DOMMatrixReadOnly(getComputedStyle(track).transform).m41]);
              if (t - start < 10000) requestAnimationFrame(frame); else done(out);
            }
            requestAnimationFrame(frame);
          })""")
        after = layouts()
        copy = page.evaluate("() => document.querySelector('.copy').getBoundingClientRect().width")
        font = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.copy')).fontSize)")
    finally:
        page.close()
    seconds = (samples[-1][0] - samples[0][0]) / 1000
    positions = len({round(x, 2) for _, x in samples})
    steps = [(b[0] - a[0], (a[1] - b[1]) % copy) for a, b in zip(samples, samples[1:], strict=False)]
    speeds = [d / (t / 1000) for t, d in steps if t > 0]
    speed = statistics.median(speeds)
    setting = 4  # characters a second, the default
    assert positions / seconds >= 50, positions / seconds
    assert abs(speed - setting * font) <= 0.05 * setting * font, (speed, setting * font)
    # No jump: each step is as far as the time since the last frame explains (a frame the machine dropped under
    # load is a longer step, not a jump of the crawl).
    jumps = [(t, d) for t, d in steps if d > 1.2 * speed * t / 1000 + 1]
    assert not jumps, (jumps[:5], speed)
    assert after == before, "the crawl must move without layout"


def test_a_day_without_notices_in_their_period_still_has_a_slide_and_empty_lists(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(GOOD, data / "519902")
    day = (dt.date(2025, 3, 25) + dt.timedelta(days=400)).isoformat()
    result = build_site(data, tmp_path / "site", today=day, search=False)
    assert result.returncode == 0, result.stderr[-2000:]
    slide = soup(tmp_path / "site", "519902/tv")
    assert "今天没有正在公示的公告" in slide.get_text()
    assert slide.select_one('meta[http-equiv="refresh"]')["content"].endswith("/519902/tv/")
    assert (tmp_path / "site" / "519902" / "led" / "led.gbk.txt").read_bytes() == b""
    assert len((tmp_path / "site" / "519902" / "sms" / "sms.csv").read_text(encoding="utf-8-sig").splitlines()) == 1


@pytest.mark.parametrize("base, size", [("itv", (1280, 720)), ("itv/sd", (640, 530))])
def test_set_top_box_pages_are_fixed_paged_links_without_script(server, browser, demo_site, base, size):
    """From the list page, plain links reach every notice in its period; each page is drawn for the box's
    page-view-size in pixels, without script, inside the central 90% of the picture."""
    width, height = size
    expected = notices_on(BUILD_DAY)
    todo, seen, reached = [f"{COUNTY}/{base}"], set(), set()
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        html = (demo_site / url / "index.html").read_text(encoding="utf-8")
        page = BeautifulSoup(html, "html.parser")
        assert page.select_one('meta[name="page-view-size"]')["content"] == f"{width}*{height}", url
        assert "<script" not in html and not re.search(r"\d(vw|vh|rem|em|%)\b", page.style.string), url
        if "/n/" in url:
            notice_id = url.rstrip("/").rsplit("/", 1)[1]
            reached.add(notice_id)
            assert code_on_notice_page(demo_site, notice_id) in page.get_text()
            decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(demo_site / url / "qr.png")],
                                     capture_output=True, text=True)
            assert decoded.stdout.strip().endswith(f"/{COUNTY}/notice/{notice_id}/"), decoded
        for link in page.select("a[href]"):
            target = link["href"].split(f"/{COUNTY}/", 1)[1].removesuffix("index.html").strip("/")
            if target.startswith(base.split("/")[0]):
                todo.append(f"{COUNTY}/{target}")
    assert sorted(reached) == expected
    context = browser.new_context(viewport={"width": width, "height": height}, java_script_enabled=False)
    try:
        for url in (f"{COUNTY}/{base}/", f"{COUNTY}/{base}/n/{expected[0]}/"):
            page = context.new_page()
            page.goto(f"{server}/{url}")
            boxes = page.evaluate("""() => [...document.querySelectorAll('#box *')].filter(e => e.textContent.trim()
                || e.tagName === 'IMG').map(e => { const r = e.getBoundingClientRect();
                return [e.tagName, r.left, r.top, r.right, r.bottom]; })""")
            for tag, left, top, right, bottom in boxes:
                assert left >= 0.05 * width - 1 and right <= 0.95 * width + 1, (url, tag, left, right)
                assert top >= 0.05 * height - 1 and bottom <= 0.95 * height + 1, (url, tag, top, bottom)
            page.close()
    finally:
        context.close()


def test_a_wechat_article_and_its_images_for_each_notice_on_air(demo_site):
    from fontTools.ttLib import TTCollection
    from PIL import Image

    font_file, index = subprocess.run(["fc-match", "-f", "%{file}:%{index}", "Noto Sans CJK SC:bold"],
                                      capture_output=True, text=True).stdout.rsplit(":", 1)
    cmap = TTCollection(font_file).fonts[int(index)].getBestCmap()
    for notice_id in notices_on(BUILD_DAY):
        folder = demo_site / COUNTY / "wechat" / notice_id
        html = (folder / "index.html").read_text(encoding="utf-8")
        page = BeautifulSoup(html, "html.parser")
        assert "<script" not in html and "<style" not in html and 'rel="stylesheet"' not in html
        title, digest = page.title.get_text(), page.select_one('meta[name="description"]')["content"]
        assert 0 < len(title) <= 64 and 0 < len(digest) <= 120
        assert code_on_notice_page(demo_site, notice_id) in page.get_text() and "演示数据" in page.get_text()
        for name, size in (("cover-900x383.png", (900, 383)), ("cover-500x500.png", (500, 500)),
                           ("card.png", (1080, 1440))):
            with Image.open(folder / name) as image:
                assert image.size == size and image.format == "PNG", name
                assert len(image.convert("L").getcolors(65536) or []) > 8, name  # text drawn, not a flat block
        # The font the images are drawn with has every character of what they say: no tofu boxes.
        headline = BeautifulSoup(html, "html.parser").select_one("img")["alt"]
        assert all(ord(c) in cmap for c in headline + title if not c.isspace()), headline
        decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(folder / "card.png")], capture_output=True, text=True)
        assert decoded.stdout.strip().endswith(f"/{COUNTY}/notice/{notice_id}/")


def test_a_township_screen_shows_the_notices_of_its_places(demo_site):
    with open(ROOT / "data" / COUNTY / "notices.csv", encoding="utf-8") as fh:
        on_air = [n for n in csv.DictReader(fh)
                  if n["start_date"] and n["end_date"] and n["start_date"] <= BUILD_DAY <= n["end_date"]]
    with open(ROOT / "data" / COUNTY / "regions.csv", encoding="utf-8") as fh:
        townships = [r for r in csv.DictReader(fh) if r["level"] == "township"]
    shown_somewhere = set()
    for township in townships:
        expected = {code_on_notice_page(demo_site, n["notice_id"]) for n in on_air
                    if n["region_code"].startswith(township["code"][:9])}
        url, seen = f"{COUNTY}/place/{township['code']}/tv", []
        for _ in range(len(expected) + 1):
            page = soup(demo_site, url)
            code = page.select_one(".code")
            seen.append(code.get_text().split()[-1] if code else None)
            url = next_slide(page)
        if expected:
            assert set(seen) == expected, (township["name"], seen, expected)
        else:
            assert seen == [None] and f"{township['name']}今天没有正在公示的公告" in page.get_text()
        # The LED board on the township's building: the same notices, one GB2312 line each, linked from its page.
        led = demo_site / COUNTY / "place" / township["code"] / "led"
        lines = (led / "led.gbk.txt").read_bytes().decode("gb2312").splitlines()
        assert len(lines) == len(expected) and all(any(c in line for line in lines) for c in expected), lines
        assert (led / "led.utf8.txt").read_text(encoding="utf-8").splitlines() == lines
        links = [a["href"] for a in soup(demo_site, f"{COUNTY}/place/{township['code']}").select("a[download]")]
        assert any(h.endswith(f"/place/{township['code']}/led/led.gbk.txt") for h in links), links
        shown_somewhere |= expected
    assert shown_somewhere  # the demo has township notices on air on the build day
