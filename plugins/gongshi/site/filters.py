"""Jinja filters: templates format values, these compute them."""

from __future__ import annotations

import datetime as dt
import itertools
import re

from markupsafe import Markup

from .. import dates
from ..model import subtotals_by_source
from ..money import amount, wan, yuan
from ..schemas import SchemaSet
from .picture import money_picture
from .qr import qr_svg


def zh_date(value: dt.date | None) -> str:
    """Format a date the Chinese way, as precisely as it was written: 2018年7月4日, 2023年3月, 2019年."""
    return dates.zh(value)


def zh_period(start: dt.date, end: dt.date) -> str:
    """Format a notice period: 2018年7月4日至2018年7月14日."""
    return f"{zh_date(start)}至{zh_date(end)}"


UNSTATED = "未载明"


def stated(value) -> str:
    """A fact as the notice states it, or 未载明 (never blank, never a guess)."""
    return UNSTATED if value is None or value == "" else value


def zh_date_stated(value: dt.date | None) -> str:
    return zh_date(value) if value else UNSTATED


def zh_span(start: dt.date | None, end: dt.date | None) -> str:
    """A period or a time limit as stated: 2018年7月4日至2018年7月14日, with 未载明 for a part not stated."""
    if not start and not end:
        return UNSTATED
    return dates.zh_range(start, end) or f"{zh_date_stated(start)}至{zh_date_stated(end)}"


def yuan_stated(value) -> str:
    """An amount drawn from a source, or 未分项公开 when the notice gives the sources without their amounts."""
    return "未分项公开" if value is None else yuan(value)


def tel(phone: str | None) -> str:
    """Return a tel: link target with only the digits a phone can dial."""
    return "tel:" + "".join(c for c in (phone or "") if c.isdigit() or c == "+")


HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def han_chars(text: str) -> str:
    """Space out the Chinese characters of a text, leaving other words whole: 红星村 2025 → 红 星 村 2025.

    Search indexes a page's name this way as well as in words. The browser and the indexer cut Chinese text into
    words differently (新华村 may be one word to one and 新华 + 村 to the other), so a query that is cut into
    single characters still finds every page whose name contains it."""
    return " ".join(HAN.sub(lambda m: f" {m.group()} ", text or "").split())


PROSE_TABLE = re.compile(r"<table>.*?</table>", re.S)


def scrollable(html: str) -> Markup:
    """Our own Markdown pages (content/, trusted) as the data pages show wide things: each table in a box that
    scrolls sideways and each code block reachable with the keyboard (tabindex), so that keyboard users can scroll
    them too."""
    count = itertools.count(1)
    html = PROSE_TABLE.sub(lambda m: f'<div class="scroll" tabindex="0" role="region" aria-label="表格 {next(count)}'
                           f'（可左右滑动）">{m.group()}</div>', html)
    return Markup(html.replace("<pre>", '<pre tabindex="0">'))


def filters(schemas: SchemaSet) -> dict:
    """The filters, with `label` and `field_title` reading these schemas (the site's schemas_path)."""
    from .sheetdoc import rows_html  # sheetdoc formats with the filters above

    def label(value: str | None, resource: str, field: str) -> str:
        """The Chinese label of an enum value."""
        return schemas.label(resource, field, value)

    def field_title(field: str, resource: str) -> str:
        """The Chinese title of a field."""
        return schemas.title(resource, field)

    return {"yuan": yuan, "amount": amount, "wan": wan, "zh_date": zh_date, "zh_period": zh_period, "label": label,
            "field_title": field_title, "tel": tel, "han_chars": han_chars, "qr_svg": qr_svg, "stated": stated,
            "zh_date_stated": zh_date_stated, "zh_span": zh_span, "scrollable": scrollable, "yuan_stated": yuan_stated,
            "sheet_rows": rows_html,
            "by_source": lambda allocations: subtotals_by_source(list(allocations), ordered=True),
            "money_picture": lambda region: money_picture(region, lambda v: schemas.label("projects", "category", v))}
