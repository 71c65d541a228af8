"""A wall notice's content as plain data: its heading, period, tables, sign-off and verification lines, every value
already formatted as text. The print page (templates/print.html) and the PDF (site/typeset.py) are both drawn from it,
so that paper and screen show the same fields; a test compares their text.

A table is {"label", "caption", "wide", "widths", "columns", "rows", "foot"}; each row is {"cells", "kind"} (kind is
"" or "subtotal") and each cell {"text", "small", "num", "th", "span", "total"}.
"""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup, escape

from ..model import ALLOCATION_NOTICES, ZERO
from ..money import amount
from .filters import stated, yuan_stated, zh_date, zh_span
from .sheets import Sheet

Label = Callable[[str, str, str | None], str]  # SchemaSet.label(resource, field, value)

PROJECT_COLUMNS = ["序号", "项目名称", "实施地点", "建设内容", "建设期限", "实施单位及责任人", "施工单位及责任人", "资金来源",
                   "补助标准", "政府采购及招标情况", "绩效目标", "联农带农机制", "受益对象"]


def cell(text: str = "", *, small: str | None = None, num: bool = False, th: bool = False, span: int = 1,
         total: bool = False) -> dict:
    return {"text": text, "small": small, "num": num, "th": th, "span": span, "total": total}


def row(cells: list[dict], kind: str = "") -> dict:
    return {"cells": cells, "kind": kind}


def table(label: str, columns: list[dict], rows: list[dict], foot: list[dict], *, widths: list[int] | None = None,
          caption: str | None = None, wide: bool = False) -> dict:
    return {"label": label, "caption": caption, "wide": wide, "widths": widths, "columns": columns, "rows": rows,
            "foot": foot}


def _acceptance(project, label: Label) -> str:
    if not project.acceptances:
        return "尚未验收"
    return "；".join(f"{label('acceptances', 'stage', a.stage)}{label('acceptances', 'result', a.result)}"
                    f"（{zh_date(a.accepted_on)}）" for a in project.acceptances)


def _spending(project) -> tuple[str, str | None]:
    notes = []
    if project.management_fee is not None:
        notes.append(f"含管理费 {amount(project.management_fee)}")
    if project.remainder_recovered is not None:
        notes.append(f"结余资金 {amount(project.remainder_recovered)}")
    if project.spending_note:
        notes.append(project.spending_note)
    return amount(project.actual_spending), "\n".join(notes) or None


def project_table(projects: list, done: bool, total, label: Label) -> dict:
    """The projects of a notice, as the 公示表 columns the rules list (and results, once completed)."""
    widths = [3, 8, 6, 7, 6, 7, 7, 8, 6, 6, 6, 5, 4, 8, 7, 6] if done else [3, 9, 6, 10, 6, 7, 7, 9, 6, 8, 9, 9, 4, 7]
    columns = [cell(c) for c in PROJECT_COLUMNS]
    if done:
        columns += [cell("实施结果"), cell("实际支出（元）", num=True)]
    columns.append(cell("总投资（元）", num=True))
    rows = []
    for number, p in enumerate(projects, 1):
        funds = "；".join(f"{f.allocation.source_name}"
                         f"{'（' + f.allocation.document_no + '）' if f.allocation.document_no else ''} "
                         f"{yuan_stated(f.amount)}" for f in p.funds)
        if p.funding_note:
            funds = f"{funds}；{p.funding_note}" if funds else p.funding_note
        who = "".join(filter(None, [f"{p.beneficiary_households}户" if p.beneficiary_households is not None else "",
                                    f"{p.beneficiary_people}人" if p.beneficiary_people is not None else ""]))
        cells = [cell(str(number), num=True), cell(p.name, small=p.project_id), cell(stated(p.location)),
                 cell(p.content), cell(zh_span(p.start_date, p.end_date)),
                 cell(f"{p.implementing_unit.name} {stated(p.responsible_person)}"),
                 cell(f"{p.construction_unit or ''} {p.construction_responsible or ''}"), cell(funds),
                 cell(p.subsidy_standard or ""), cell(p.procurement or ""), cell(stated(p.performance_targets)),
                 cell(stated(p.benefit_mechanism)), cell(who)]
        if done:
            result = f"{label('projects', 'status', p.status)}；"
            if p.completed_on:
                result += f"竣工 {zh_date(p.completed_on)}；"
            spent, notes = _spending(p)
            cells += [cell(result + _acceptance(p, label)), cell(spent, small=notes, num=True)]
        cells.append(cell(amount(p.budget), num=True))
        rows.append(row(cells))
    if not projects:
        rows.append(row([cell("暂无项目", span=len(columns))]))
    spent = [p.actual_spending for p in projects if p.actual_spending is not None]
    foot = [cell(f"合计（{len(projects)} 个项目）", th=True, span=14 if done else 13)]
    if done:
        foot.append(cell(amount(sum(spent, ZERO)) if spent and len(spent) == len(projects) else "", num=True))
    foot.append(cell(amount(total), num=True, total=True))
    return table("项目明细", columns, rows, [row(foot)], widths=widths, wide=True)


def allocation_table(sheet: Sheet) -> dict:
    columns = [cell(c) for c in ("序号", "文号", "资金来源", "分配到", "使用单位", "资金用途", "分配原则")]
    columns.append(cell("金额（元）", num=True))
    rows = []
    for number, a in enumerate(sheet.rows, 1):
        rows.append(row([cell(str(number), num=True), cell(stated(a.document_no)), cell(a.source_name),
                         cell(a.recipient_region.full_name), cell(a.recipient_unit.name if a.recipient_unit else ""),
                         cell(stated(a.purpose)),
                         cell(a.allocation_basis or "", small=f"支出科目：{a.budget_subject}" if a.budget_subject else None),
                         cell(amount(a.amount), num=True)]))
    if not sheet.rows:
        rows.append(row([cell("暂无记录", span=8)]))
    foot = []
    if sheet.notice and len(sheet.notice.by_source) > 1:
        foot += [row([cell(f"其中：{name}（{count} 笔）", th=True, span=7), cell(amount(money), num=True)], "subtotal")
                 for name, count, money in sheet.notice.by_source]
    foot.append(row([cell(f"合计（{len(sheet.rows)} 笔）", th=True, span=7),
                     cell(amount(sheet.total), num=True, total=True)]))
    return table("资金分配结果", columns, rows, foot, widths=[6, 10, 11, 9, 11, 17, 19, 17])


def household_list(project) -> dict:
    columns = [cell(c) for c in ("序号", "户编号", "户主", "所在村")]
    columns += [cell("家庭人口", num=True), cell("补助金额（元）", num=True), cell("发放日期"), cell("备注")]
    rows = [row([cell(str(number), num=True), cell(b.household_id), cell(b.household), cell(b.region.name),
                 cell(str(b.members) if b.members is not None else "", num=True), cell(amount(b.subsidy), num=True),
                 cell(zh_date(b.paid_on)), cell(b.notes or "")])
            for number, b in enumerate(project.listed_households, 1)]
    total = sum((b.subsidy for b in project.listed_households), ZERO)
    foot = [row([cell(f"合计（{len(project.listed_households)} 户）", th=True, span=5),
                 cell(amount(total), num=True, total=True), cell(span=2)])]
    return table("到户补助名单", columns, rows, foot, widths=[7, 11, 11, 13, 11, 16, 19, 12])


def household_totals(projects: list, total) -> dict:
    """Totals by place where a notice gives no list of households (HouseholdSum rows)."""
    many = len(projects) > 1
    given_h, given_n = total.households_given, total.people_given
    caption = "到户补助按乡镇（村）汇总（原公告未列到户"
    caption += ("" if given_h else "，未载明户数") + ("" if given_n else "，未载明人数") + "）"
    columns = ([cell("项目")] if many else []) + [cell("乡镇（村）")]
    columns += ([cell("户数", num=True)] if given_h else []) + ([cell("人数", num=True)] if given_n else [])
    columns += [cell("补助金额（元）", num=True), cell("备注")]
    rows = []
    for p in projects:
        for b in p.household_totals:
            cells = ([cell(p.name)] if many else []) + [cell(b.region.name)]
            cells += ([cell(stated(b.households), num=True)] if given_h else [])
            cells += ([cell(stated(b.members), num=True)] if given_n else [])
            rows.append(row(cells + [cell(amount(b.subsidy), num=True), cell(b.notes or "")]))
        if many:
            sub = p.households_sum
            cells = [cell(f"小计：{p.name}", th=True, span=2)]
            cells += ([cell(stated(sub.households), num=True)] if given_h else [])
            cells += ([cell(stated(sub.people), num=True)] if given_n else [])
            rows.append(row(cells + [cell(amount(sub.amount), num=True), cell()], "subtotal"))
    head = cell("合计" + (f"（{len(projects)} 个项目）" if many else ""), th=True,
                span=(2 if many else 1) + ((given_h + given_n) if many else 0))
    cells = [head]
    if not many:
        cells += ([cell(stated(total.households), num=True)] if given_h else [])
        cells += ([cell(stated(total.people), num=True)] if given_n else [])
    cells += [cell(amount(total.amount), num=True, total=True), cell()]
    return table("到户补助按乡镇（村）汇总", columns, rows, [row(cells)], caption=caption)


def blocks(sheet: Sheet, label: Label) -> list[dict]:
    """The sheet's tables and the lines between them, in order."""
    out: list[dict] = []
    if sheet.kind in ALLOCATION_NOTICES:
        out.append({"type": "table", **allocation_table(sheet)})
        if sheet.kind == "allocation-and-projects":
            out.append({"type": "sub", "text": "安排的项目"})
            out.append({"type": "table", **project_table(sheet.notice.projects, False, sheet.notice.projects_total,
                                                         label)})
    elif sheet.kind == "households":
        p = sheet.project
        lines = [f"项目名称：{p.name}", f"补助标准：{p.subsidy_standard or '—'}"]
        if p.listed_households:
            lines.append("户主姓名已脱敏，只显示部分字。")
        out.append({"type": "lead", "lines": lines})
        if p.household_totals:
            out.append({"type": "table", **household_totals([p], p.households_sum)})
        if p.listed_households:
            out.append({"type": "table", **household_list(p)})
    else:
        out.append({"type": "table", **project_table(sheet.rows, sheet.kind == "after-completion", sheet.total,
                                                     label)})
    if sheet.notice and sheet.notice.household_projects:
        out.append({"type": "table", **household_totals(sheet.notice.household_projects,
                                                         sheet.notice.households_sum)})
    return out


def _objection(sheet: Sheet, national_hotline: str) -> list[dict]:
    """How to object, as runs of text (bold where the page sets a phone number in bold)."""
    phones = [u for u in sheet.disclosers if u.phone]
    said = ""
    if phones:
        said = "（电话 " + "；".join((f"{u.name} " if len(sheet.disclosers) > 1 else "") + u.phone for u in phones) + "）"
    runs = [{"text": f"公示期内，对公示内容如有异议，请向公示单位反映{said}，或拨打监督举报电话：", "strong": False}]
    if sheet.region.hotline:
        runs += [{"text": "本地监督电话 ", "strong": False}, {"text": sheet.region.hotline, "strong": True},
                 {"text": "；", "strong": False}]
    return runs + [{"text": "全国扶贫监督举报电话 ", "strong": False}, {"text": national_hotline, "strong": True},
                   {"text": "。", "strong": False}]


def sheet_doc(sheet: Sheet, paper: str, fingerprint: str, national_hotline: str, public_url: str,
              label: Label, tables: list[dict] | None = None) -> dict:
    """The whole wall notice as text, in the order the print page shows it: what the PDF is typeset from. `tables`
    are the sheet's blocks when they are made already (the same for both papers)."""
    notice = sheet.notice
    head = "公示单位：" + "、".join(u.name for u in sheet.disclosers)
    head += f"　公示编号：{notice.notice_id}" if notice else f"　项目编号：{sheet.project.project_id}"
    heads = [head] + ([f"涉及：{'、'.join(r.full_name for r in notice.covers)}"] if notice and notice.covers else [])
    if sheet.start_date or sheet.end_date:
        period = zh_span(sheet.start_date, sheet.end_date)
        if notice and notice.period_days is not None:
            period += f"（共{notice.period_days}{notice.period_unit}）"
    else:
        period = "未载明" if notice else "____年__月__日至____年__月__日"
    attachments = None
    if notice and notice.attachments:
        attachments = ("附件：" + "、".join(name.rsplit("/", 1)[-1] for name in notice.attachments)
                       + "（扫码在网上公示页查看、下载）")
    public = f"{public_url}/{sheet.public_page}"
    verify = [f"扫码查看网上公示：{public}"]
    if fingerprint:
        verify += [f"数据包指纹：{fingerprint}", "即网上“历史版本”页所列数据包哈希的前 16 位，可据此核对本公示所依据的签名数据。"]
    return {
        "paper": paper, "title": sheet.title, "url": public,
        "demo": "演示数据：本公示及其全部数据均为虚构，仅用于演示。" if sheet.demo else None,
        "head": heads, "period": f"公示期：{period}", "objection": _objection(sheet, national_hotline),
        "remarks": [line for line in (notice.remarks or "").splitlines() if line.strip()] if notice else [],
        "blocks": blocks(sheet, label) if tables is None else tables, "attachments": attachments,
        "sign": {"seal": "（公示单位盖章）", "signature": "负责人签字：", "units": [u.name for u in sheet.disclosers],
                 "date": zh_date(sheet.published_on) if sheet.published_on else "____年__月__日"},
        "verify": verify,
    }


_ROWS_HTML: dict[int, tuple[list, Markup]] = {}


def rows_html(rows: list[dict]) -> Markup:
    """The `<tr>` rows of a sheet table as HTML, every value escaped once. A sheet's tables are the same on both
    papers, so the HTML of the same rows is made once (the print page's table body is most of its time)."""
    kept = _ROWS_HTML.get(id(rows))
    if kept is not None and kept[0] is rows:
        return kept[1]
    out = []
    for r in rows:
        out.append(f'<tr class="{escape(r["kind"])}">' if r["kind"] else "<tr>")
        for c in r["cells"]:
            tag = "th" if c["th"] else "td"
            classes = " ".join(name for name, on in (("num", c["num"]), ("total", c["total"])) if on)
            out.append(f"<{tag}" + (f' colspan="{int(c["span"])}"' if c["span"] > 1 else "")
                       + (f' class="{classes}"' if classes else "") + f">{escape(c['text'])}")
            if c["small"]:
                out.extend(f'<br><span class="small">{escape(line)}</span>' for line in c["small"].split("\n"))
            out.append(f"</{tag}>")
        out.append("</tr>\n")
    html = Markup("".join(out))
    if len(_ROWS_HTML) > 16:
        _ROWS_HTML.clear()
    _ROWS_HTML[id(rows)] = (rows, html)
    return html
