"""电视播、掌中看: one summary of each notice in its period, and every channel made from it at build time.

A notice is *on air* from the first day of its period to its last (plus `broadcast.days_after` days), on the build's
day; a notice whose period is not stated is never on air (nobody can say when it ends). Each summary is made only
from public fields (title, place, units, amount, period, hotline) and carries a 查询码: six characters derived from the
notice id and the signed package's fingerprint, shown on the notice page too, so a villager can check a TV slide, an
LED line or an SMS against the site, and a new version of the package gives new codes.

The channels: TV slides that advance by meta refresh (`tv/`), a crawl band (`tv/crawl/`), the county's "now" page
(`now/`, the fixed link an SMS carries), LED board text (`led/`, GB2312), bulk-SMS lines (`sms/`), feeds for
signage players (`ticker.rss`, `ticker.atom`, `ticker.txt`), set-top box pages (`itv/`) and WeChat articles with
their images (`wechat/`, site/wechat.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import io
import json
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import feedgenerator

from ..dates import midnight
from ..model import KIND_TITLES, County, Notice
from ..money import wan
from ..problems import Problem, warning
from .context import CrawlPage, ItvPage, NowPage, TvPage, WechatPage
from .qr import qr_png

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud and typed on a phone without doubt
CODE_LENGTH = 6

# LED boards: a 16-dot font draws a 汉字 16 dots wide and an ASCII character 8, so a line is 8 dots per GB2312 byte.
LED_WIDTHS = (64, 96, 128, 160, 192, 256, 320)
LED_HEIGHTS = (16, 32)
LED_MAX_BYTES = 500  # what a controller takes for one item (CX-H: 250 汉字 or 500 bytes a window)

SMS_ONE_PART = 70  # characters, 【签名】 included; above it the message is billed in parts of 67
SMS_MAX = 134  # two parts: a notice's SMS never goes above
SMS_BANNED = {"【": "〔", "】": "〕", "[": "〔", "]": "〕", "¥": "", "★": "", "※": ""}

# The crawl: a fixed type size, so its speed in px/s is a whole multiple of 50 (whole pixels per 50 Hz frame).
CRAWL_FONT_PX = 50
CRAWL_SEPARATOR = "　　◆　　"


def query_code(county: str, notice_id: str, fingerprint: str | None) -> str:
    """The notice's 查询码 in this version of the county's package."""
    digest = hashlib.sha256(f"{fingerprint or 'unsigned'}/{county}/{notice_id}".encode()).digest()
    number = int.from_bytes(digest[:8], "big")
    chars = []
    for _ in range(CODE_LENGTH):
        number, rest = divmod(number, len(CODE_ALPHABET))
        chars.append(CODE_ALPHABET[rest])
    return "".join(chars)


def short_date(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


@dataclass(frozen=True)
class Summary:
    """What every channel says of one notice: public fields only."""

    notice: Notice
    code: str
    url: str  # the notice's public address
    hotline: str  # the nearest local supervision phone, else the national one
    national: str
    demo: bool = False  # a demo county's outputs say so, every line of them

    @property
    def headline(self) -> str:
        """Short enough for a TV line or an LED page: the place and the kind (红星村项目实施前公示)."""
        return f"{self.notice.region.name}{KIND_TITLES.get(self.notice.kind, '公告')}"

    @property
    def title(self) -> str:
        return self.notice.title

    @property
    def place(self) -> str:
        return self.notice.region.full_name

    @property
    def disclosers(self) -> str:
        return self.notice.discloser_names

    @property
    def amount(self) -> Decimal:
        return self.notice.total

    @property
    def amount_text(self) -> str:
        return wan(self.amount).replace(" ", "")

    @property
    def start(self) -> dt.date:
        return self.notice.start_date

    @property
    def end(self) -> dt.date:
        return self.notice.end_date

    @property
    def hotlines(self) -> str:
        return self.hotline if self.hotline == self.national else f"{self.hotline}、{self.national}"

    @property
    def mark(self) -> str:
        return "演示数据：" if self.demo else ""

    def line(self) -> str:
        """One line for a crawl, an LED board or a feed reader."""
        return (f"{self.mark}{self.headline}：{self.amount_text}，公示至{short_date(self.end)}，查询码{self.code}，"
                f"监督电话{self.hotlines}")


def on_air(county: County, today: dt.date, days_after: int = 0) -> list[Notice]:
    """The county's notices in their period on the build's day (or ended at most days_after days ago), the one
    ending soonest first."""
    found = [n for n in county.notices.values() if n.start_date is not None and n.end_date is not None
             and n.start_date <= today <= n.end_date + dt.timedelta(days=days_after)]
    return sorted(found, key=lambda n: (n.end_date, n.notice_id))


def summaries(county: County, notices: list[Notice], public_url: str, national: str) -> list[Summary]:
    return [Summary(n, query_code(county.code, n.notice_id, county.fingerprint), f"{public_url}/{n.url}",
                    n.region.hotline or national, national, county.demo) for n in notices]


# --- LED boards ---------------------------------------------------------------------------------------------------

def led_text(summary: Summary) -> tuple[str, list[Problem]]:
    """The LED line of a notice in GB2312 (what the boards' fonts hold). A place name outside GB2312 (堃, 喆) falls
    back to the place above it; any other character outside it becomes □ and is reported."""
    text = summary.line()
    problems = []
    if not _gb2312(text):
        region = summary.notice.region
        parent = region.parent or region
        text = text.replace(region.name, parent.name, 1) if not _gb2312(region.name) else text
        bad = sorted({c for c in text if not _gb2312(c)})
        if bad:
            text = "".join("□" if c in bad else c for c in text)
        problems.append(warning(
            "led-not-gb2312", "notices.csv", None, summary.notice.notice_id,
            f"公告 {summary.notice.notice_id} 有 LED 条屏字库（GB2312）里没有的字"
            f"{'（' + '、'.join(bad) + '）' if bad else ''}：条屏上{'改用上级地名' if not bad else '显示为 □'}。"
            "网页和公示栏照常显示原字。",
            f"Notice {summary.notice.notice_id} has characters outside GB2312, which LED boards cannot draw: the board "
            "shows the place above it, or □ for other characters. Pages and wall notices show them as written."))
    if len(text.encode("gb2312")) > LED_MAX_BYTES:
        problems.append(warning(
            "led-too-long", "notices.csv", None, summary.notice.notice_id,
            f"公告 {summary.notice.notice_id} 的条屏文字超过 {LED_MAX_BYTES} 字节，条屏控制卡放不下，已截断。",
            f"Notice {summary.notice.notice_id}'s LED text is over {LED_MAX_BYTES} bytes; it is cut."))
        text = text.encode("gb2312")[:LED_MAX_BYTES].decode("gb2312", errors="ignore")
    return text, problems


def _gb2312(text: str) -> bool:
    try:
        text.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


# A line never starts with closing punctuation (禁则), and a phone number or a code is not cut when it fits a line.
NO_LINE_START = set("，。、：；！？）》」』”’%")
TOKEN = re.compile(r"[0-9A-Za-z\-./:]+|.", re.S)


def led_pages(text: str, width: int, height: int) -> list[list[str]]:
    """Split a line into pages of a W×H board: H/16 lines a page, each at most W/8 GB2312 bytes (W dots)."""
    per_line, lines_per_page = width // 8, height // 16
    tokens: list[str] = []
    for token in TOKEN.findall(text):
        if tokens and token in NO_LINE_START:
            tokens[-1] += token  # glued to what it closes
        else:
            tokens.append(token)
    lines, line = [], ""
    for token in tokens:
        while _bytes(token) > per_line:  # longer than a line: cut where it must be
            room = per_line - _bytes(line)
            head = _fit(token, room)
            if not head:
                lines.append(line)
                line = ""
                continue
            lines.append(line + head)
            line, token = "", token[len(head):]
        if _bytes(line + token) > per_line:
            lines.append(line)
            line = ""
        line += token
    if line:
        lines.append(line)
    return [lines[i:i + lines_per_page] for i in range(0, len(lines), lines_per_page)]


def _bytes(text: str) -> int:
    return len(text.encode("gb2312"))


def _fit(text: str, room: int) -> str:
    out = ""
    for char in text:
        if _bytes(out + char) > room:
            break
        out += char
    return out


def write_led(folder: Path, items: list[tuple[Summary, str]]) -> None:
    """led.gbk.txt (what controller software loads), led.utf8.txt, one <W>x<H>.pages.txt per board size and
    led.json with each item's period and pages."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [text for _, text in items]
    (folder / "led.gbk.txt").write_bytes("".join(f"{line}\r\n" for line in lines).encode("gbk"))
    (folder / "led.utf8.txt").write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    boards = [(w, h) for h in LED_HEIGHTS for w in LED_WIDTHS]
    for width, height in boards:
        pages = [page for text in lines for page in led_pages(text, width, height)]
        (folder / f"{width}x{height}.pages.txt").write_text(
            "\n\n".join("\n".join(page) for page in pages) + ("\n" if pages else ""), encoding="utf-8")
    (folder / "led.json").write_text(json.dumps({"items": [
        {"notice_id": s.notice.notice_id, "code": s.code, "text": text, "start": s.start.isoformat(),
         "end": s.end.isoformat(), "bytes": len(text.encode("gb2312")),
         "pages": {f"{w}x{h}": len(led_pages(text, w, h)) for w, h in boards}}
        for s, text in items]}, ensure_ascii=False, indent=1), encoding="utf-8")


# --- SMS ----------------------------------------------------------------------------------------------------------

def sms_text(summary: Summary, signature: str, now_url: str) -> tuple[str | None, list[Problem]]:
    """The SMS of a notice: 【签名】, the notice in a few words, the 查询码, the county's fixed "now" page and one
    phone (the local landline or the national hotline). None (and an error) when it would take more than two parts."""
    body = (f"{summary.mark}{summary.headline}至{short_date(summary.end)}，查询码{summary.code}，详见{now_url} "
            f"监督电话{summary.hotline}")
    problems = []
    cleaned = "".join(SMS_BANNED.get(c, c) for c in body)
    if cleaned != body:
        problems.append(warning(
            "sms-character-replaced", "notices.csv", None, summary.notice.notice_id,
            f"公告 {summary.notice.notice_id} 的短信里有运营商会弄乱的字符（【】[]¥★※），已替换或去掉。",
            f"Notice {summary.notice.notice_id}'s SMS had characters carriers garble (【】[]¥★※): replaced."))
    text = f"【{signature}】{cleaned}"
    length = len(text.encode("utf-16-le")) // 2
    if length > SMS_MAX:
        problems.append(warning(
            "sms-too-long", "notices.csv", None, summary.notice.notice_id,
            f"公告 {summary.notice.notice_id} 的短信有 {length} 字，超过两条（{SMS_MAX} 字），不生成短信。"
            "请缩短地名或短信签名。",
            f"Notice {summary.notice.notice_id}'s SMS is {length} characters, over two parts ({SMS_MAX}); no SMS is "
            "made. Shorten the place name or the SMS signature."))
        return None, problems
    return text, problems


def sms_parts(text: str) -> int:
    length = len(text.encode("utf-16-le")) // 2
    return 1 if length <= SMS_ONE_PART else math.ceil(length / 67)


def write_sms(folder: Path, items: list[tuple[Summary, str]], signature: str, now_url: str) -> None:
    """sms.csv for a bulk-SMS platform (one row a notice) and template.txt, the template to register."""
    folder.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["查询码", "公示编号", "短信内容", "字数", "条数", "公示开始", "公示结束"])
    for summary, text in items:
        writer.writerow([summary.code, summary.notice.notice_id, text, len(text.encode("utf-16-le")) // 2,
                         sms_parts(text), summary.start.isoformat(), summary.end.isoformat()])
    # With a BOM, so that Excel and WPS open it as UTF-8.
    (folder / "sms.csv").write_text("\ufeff" + buffer.getvalue(), encoding="utf-8")
    (folder / "template.txt").write_text(
        f"【{signature}】${{notice}}至${{end}}，查询码${{code}}，详见{now_url} 监督电话${{phone}}\n", encoding="utf-8")


# --- feeds --------------------------------------------------------------------------------------------------------

def write_feeds(folder: Path, county: County, items: list[Summary], public_url: str, today: dt.date) -> None:
    """RSS and Atom of the notices on air (a signage player's ticker reads them) and the same as plain text. A feed
    is dated by the build's day, never by the clock, so that the same data gives the same files."""
    built = midnight(today)
    for name, kind in (("ticker.rss", feedgenerator.Rss201rev2Feed), ("ticker.atom", feedgenerator.Atom1Feed)):
        feed = _dated(kind, built)(title=f"{county.name}正在公示", link=f"{public_url}/{county.code}/now/",
                    description=f"{county.name}扶贫资金项目公告公示：正在公示的公告", language="zh-CN",
                    feed_url=f"{public_url}/{county.code}/{name}")
        for s in items:
            day = s.notice.published_on if isinstance(s.notice.published_on, dt.date) else s.start
            feed.add_item(title=f"{s.headline}（查询码{s.code}）", link=s.url, description=s.line(),
                          unique_id=f"{s.url}#{s.code}",
                          pubdate=midnight(day))
        with open(folder / name, "w", encoding="utf-8") as fh:
            feed.write(fh, "utf-8")
    (folder / "ticker.txt").write_text("".join(f"{s.line()}\n" for s in items), encoding="utf-8")



def _dated(kind, built: dt.datetime):
    class Dated(kind):
        def latest_post_date(self):
            return built
    return Dated


# --- the crawl ----------------------------------------------------------------------------------------------------

def half_units(text: str) -> int:
    """The text's width in half-ems: 2 for a 汉字 or a full-width form, 1 for ASCII (drawn half-width, `hwid`)."""
    return sum(1 if " " <= c <= "~" else 2 for c in text)


@dataclass(frozen=True)
class Crawl:
    """One line that moves right to left at a whole number of pixels per 50 Hz frame."""

    text: str  # one copy of the loop, with its separator
    chars_per_second: float  # 汉字 a second

    @property
    def segments(self) -> list[tuple[str, bool]]:
        """The text in runs, each with True when it is ASCII (drawn half an em wide, with the font's `hwid`)."""
        return [(run, run[0] <= "~") for run in re.findall(r"[ -~]+|[^ -~]+", self.text)]

    @property
    def font_px(self) -> int:
        return CRAWL_FONT_PX

    @property
    def width_px(self) -> int:
        return half_units(self.text) * CRAWL_FONT_PX // 2

    @property
    def speed_px(self) -> int:
        """chars_per_second × the type size, rounded to a multiple of 50 px/s (1 px a frame at 50 Hz)."""
        return max(50, round(self.chars_per_second * CRAWL_FONT_PX / 50) * 50)

    @property
    def seconds(self) -> float:
        return self.width_px / self.speed_px


def crawl(items: list[Summary], empty: str, chars_per_second: float) -> Crawl:
    lines = [s.line() for s in items] or [empty]
    return Crawl(CRAWL_SEPARATOR.join(lines) + CRAWL_SEPARATOR, chars_per_second)


# --- set-top boxes -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ItvView:
    """A set-top box's page size (page-view-size) and the fixed pixel layout drawn for it, inside 90% of it."""

    name: str  # "hd", or "sd" (its pages under itv/sd/)
    width: int
    height: int
    font: int  # px
    big: int
    per_page: int  # notices a list page shows

    @property
    def left(self) -> int:
        return self.width * 5 // 100

    @property
    def top(self) -> int:
        return self.height * 5 // 100

    @property
    def inner_width(self) -> int:
        return self.width - 2 * self.left

    @property
    def inner_height(self) -> int:
        return self.height - 2 * self.top

    @property
    def line(self) -> int:
        return self.font * 3 // 2

    @property
    def head(self) -> int:
        return self.big * 3 // 2

    @property
    def row(self) -> int:
        """The height of one notice in a list: what is left under the heading and above the page links."""
        return (self.inner_height - self.head - self.line - 8) // self.per_page

    @property
    def qr(self) -> int:
        return self.inner_height * 45 // 100

    def base(self, county: str) -> str:
        return f"{county}/itv/" if self.name == "hd" else f"{county}/itv/{self.name}/"


ITV_VIEWS = (ItvView("hd", 1280, 720, 26, 36, 5), ItvView("sd", 640, 530, 20, 26, 4))


def write_itv(writer, root: Path, county: County, items: list[Summary]) -> None:
    """Each view's list pages (itv/, itv/p/2/ …) and a page a notice (itv/n/<id>/ with its QR code as PNG: the
    boxes' browsers draw images, not SVG)."""
    for view in ITV_VIEWS:
        base = view.base(county.code)
        pages = [items[i:i + view.per_page] for i in range(0, len(items), view.per_page)] or [[]]
        url = functools.partial(_itv_list_url, base)
        for number, chunk in enumerate(pages, 1):
            writer.write(root, url(number), ItvPage(
                county, view, chunk, None, number, len(pages), url(number - 1) if number > 1 else None,
                url(number + 1) if number < len(pages) else None, base))
        for index, summary in enumerate(items):
            here = f"{base}n/{summary.notice.notice_id}/"
            writer.write(root, here, ItvPage(county, view, [], summary, index // view.per_page + 1, len(pages),
                                             None, None, url(index // view.per_page + 1)))
            (root / here / "qr.png").write_bytes(qr_png(summary.url, max(1, view.qr // 45)))


def _slides(writer, root: Path, county: County, place, items: list[Summary], base: str, seconds: int) -> None:
    """The TV slides of a place: base is the first, base/2/ … the others; the last goes back to base, which picks
    up a new build."""
    count = max(1, len(items))
    for number in range(1, count + 1):
        url = base if number == 1 else f"{base}{number}/"
        after = base if number == count else f"{base}{number + 1}/"
        writer.write(root, url, TvPage(county, place, items[number - 1] if items else None, number, count, after,
                                       seconds))


def write_wechat(writer, root: Path, county: County, items: list[Summary]) -> list[Problem]:
    """A paste-ready article a notice, with its covers and summary card (site/wechat.py)."""
    from .wechat import TITLE_MAX, clip, digest, write_images  # wechat.py reads this module's Summary

    problems = []
    for summary in items:
        url = f"{county.code}/wechat/{summary.notice.notice_id}/"
        images = write_images(root / url, summary)
        if not images:
            problems.append(warning(
                "wechat-image-missing", "notices.csv", None, summary.notice.notice_id,
                f"公告 {summary.notice.notice_id} 的微信封面和摘要图没有生成：本机没有中文字体（fonts-noto-cjk），或者公告里有"
                "字体没有的字。文章照常生成。",
                f"Notice {summary.notice.notice_id}: no WeChat cover or card, for want of a CJK font (fonts-noto-cjk) "
                "or of a character in it. The article is made."))
        writer.write(root, url, WechatPage(county, summary, clip(summary.mark + summary.title, TITLE_MAX),
                                           digest(summary), images))
    return problems


def _itv_list_url(base: str, number: int) -> str:
    return base if number == 1 else f"{base}p/{number}/"


# --- all of them --------------------------------------------------------------------------------------------------

def write_channels(writer, root: Path, county: County, settings, public_url: str) -> list[Problem]:
    """Write the county's TV slides, crawl, now page, LED text, SMS lines, feeds, set-top box pages and WeChat
    articles for the build's day under root/<county>/; return what could not be said as it stands (a character no
    LED board has, an SMS too long, an image without its font)."""
    options = settings.broadcast
    items = summaries(county, on_air(county, settings.current_date(), options["days_after"]), public_url,
                      settings.national_hotline)
    base = root / county.code
    now_url = f"{public_url}/{county.code}/now/"
    hotline = county.root.hotline or settings.national_hotline
    empty = f"{'演示数据：' if county.demo else ''}{county.name}今天没有正在公示的公告，监督电话{hotline}、{settings.national_hotline}"
    band = crawl(items, empty, options["crawl_speed"])
    writer.write(root, f"{county.code}/now/", NowPage(county, items, band))
    _slides(writer, root, county, county.root, items, f"{county.code}/tv/", options["slide_seconds"])
    # The crawl reloads itself at the end of a loop, every ten minutes or so: new builds, and no memory kept.
    loops = max(1, math.ceil(600 / band.seconds))
    writer.write(root, f"{county.code}/tv/crawl/", CrawlPage(county, band, math.ceil(loops * band.seconds)))
    problems: list[Problem] = []
    led = []
    for summary in items:
        text, found = led_text(summary)
        led.append((summary, text))
        problems += found
    write_led(base / "led", led)
    for township in county.root.children:  # a township's own screen and the board on its building: its places
        local = [(s, text) for s, text in led if any(township.contains(place.code) for place in s.notice.places)]
        _slides(writer, root, county, township, [s for s, _ in local], f"{township.url}tv/", options["slide_seconds"])
        write_led(root / township.url / "led", local)
    signature = options["sms_signature"] or county.name
    sms = []
    for summary in items:
        text, found = sms_text(summary, signature, now_url)
        problems += found
        if text is not None:
            sms.append((summary, text))
    write_sms(base / "sms", sms, signature, now_url)
    long = [s.notice.notice_id for s, text in sms if sms_parts(text) > 1]
    if long:  # the link and the signature are the same in every SMS of a county: said once, not per notice
        problems.append(warning(
            "sms-two-parts", "notices.csv", None, None,
            f"{len(long)} 条短信超过 {SMS_ONE_PART} 字，按两条计费（{'、'.join(long[:5])}{'等' if len(long) > 5 else ''}）。"
            "网站地址短一些、短信签名短一些，就能一条发完。",
            f"{len(long)} SMS are over {SMS_ONE_PART} characters and billed as two parts ({', '.join(long[:5])}). "
            "A shorter site address or SMS signature makes them fit one."))
    write_feeds(base, county, items, public_url, settings.current_date())
    write_itv(writer, root, county, items)
    problems += write_wechat(writer, root, county, items)
    return [Problem(p.code, p.severity, f"{county.code}/{p.path}", p.row, p.field, p.message, p.message_en)
            for p in problems]
