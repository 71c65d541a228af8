"""The ledgers the standard forms keep (performance indicators, payment claims, supervision, problems, assets),
the rules they carry, each at its boundary, and the printed-only forms: the letters (DOCX and PDF) and the board."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from gongshi.county import check_county
from gongshi.forms import load_forms
from gongshi.forms.importer import import_form
from gongshi.forms.make import make_forms
from gongshi.schemas import OPTIONAL_RESOURCES, load_schemas
from gongshi.settings import Settings

from conftest import ROOT

DEMO = ROOT / "data" / "519901"
SCHEMAS = load_schemas()
FORMS = load_forms(SCHEMAS)
SITE = "https://gongshi.example.org"


@pytest.fixture
def package(tmp_path) -> Path:
    folder = tmp_path / "519901"
    shutil.copytree(DEMO, folder)
    return folder


def table(folder: Path, name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO((folder / f"{name}.csv").read_text(encoding="utf-8"))))


def write(folder: Path, name: str, rows: list[dict]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(table(folder, name)[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (folder / f"{name}.csv").write_text(buffer.getvalue(), encoding="utf-8")


def found(folder: Path, code: str) -> list[tuple[str, int | None, str | None]]:
    check = check_county(folder, Settings())
    return [(Path(p.path).name, p.row, p.field) for p in check.problems if p.code == code]


def passed_on(folder: Path, project: str) -> dt.date:
    """The day since which the project has stood accepted: its first pass after its last acceptance that did not."""
    rows = sorted((a for a in table(folder, "acceptances") if a["project_id"] == project),
                  key=lambda a: a["accepted_on"])
    day = None
    for a in rows:
        day = (day or a["accepted_on"]) if a["result"] == "passed" else None
    assert day is not None
    return dt.date.fromisoformat(day)


def test_the_demo_keeps_every_ledger_and_each_is_valid():
    check = check_county(DEMO, Settings())
    assert not check.errors, check.errors[:3]
    for name in ("indicators", "disbursements", "problems", "supervisors", "assets"):
        assert name in OPTIONAL_RESOURCES and check.tables[name], name
    # A few honest findings for the supervisors: a rectification open past its deadline, one still within it.
    problems = check.tables["problems"]
    today = dt.date(2026, 11, 21)
    assert any(p["status"] in ("open", "in-progress") and p["deadline"] < today for p in problems)
    assert any(p["status"] == "open" and p["deadline"] > today for p in problems)


def test_a_county_without_ledgers_still_validates(package):
    descriptor = (package / "datapackage.json").read_text(encoding="utf-8")
    import json

    doc = json.loads(descriptor)
    doc["resources"] = [r for r in doc["resources"] if r["name"] not in OPTIONAL_RESOURCES]
    (package / "datapackage.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    for name in OPTIONAL_RESOURCES:
        (package / f"{name}.csv").unlink(missing_ok=True)
    assert not check_county(package, Settings(allow_unsigned=True)).errors


def test_every_project_needs_an_output_a_benefit_and_a_satisfaction_indicator(package):
    rows = table(package, "indicators")
    project = rows[0]["project_id"]
    write(package, "indicators", [r for r in rows if not (r["project_id"] == project
                                                          and r["level1"] == "satisfaction")])
    first = next(i for i, r in enumerate(table(package, "indicators")) if r["project_id"] == project)
    assert found(package, "indicators-incomplete") == [("indicators.csv", first + 2, "level1")]


def test_a_score_may_equal_its_weight_but_not_exceed_it(package):
    rows = table(package, "indicators")
    i = next(i for i, r in enumerate(rows) if r["weight"])
    rows[i]["score"] = rows[i]["weight"]
    write(package, "indicators", rows)
    assert found(package, "score-over-weight") == []
    rows[i]["score"] = str(Decimal(rows[i]["weight"]) + Decimal("0.01"))
    write(package, "indicators", rows)
    assert found(package, "score-over-weight") == [("indicators.csv", i + 2, "score")]


def test_the_final_payment_is_claimed_on_or_after_acceptance(package):
    rows = table(package, "disbursements")
    i = next(i for i, r in enumerate(rows) if r["stage"] == "final")
    accepted = passed_on(package, rows[i]["project_id"])
    rows[i]["applied_on"] = accepted.isoformat()
    write(package, "disbursements", rows)
    assert found(package, "claim-before-acceptance") == []
    rows[i]["applied_on"] = (accepted - dt.timedelta(days=1)).isoformat()
    write(package, "disbursements", rows)
    assert found(package, "claim-before-acceptance") == [("disbursements.csv", i + 2, "applied_on")]
    # An advance is paid before work is done, and a project not yet accepted cannot claim its final account.
    j = next(i for i, r in enumerate(rows) if r["stage"] == "advance")
    assert dt.date.fromisoformat(rows[j]["applied_on"]) < passed_on(package, rows[j]["project_id"])
    rows[i]["applied_on"] = accepted.isoformat()
    moving = next(p["project_id"] for p in table(package, "projects") if p["status"] == "in-progress")
    rows.append({**rows[i], "disbursement_id": "BZ2099-001", "project_id": moving, "allocation_id": "",
                 "amount": "100.00"})
    write(package, "disbursements", rows)
    assert found(package, "claim-before-acceptance") == [("disbursements.csv", len(rows) + 1, "applied_on")]


def test_a_projects_claims_may_reach_its_funds_but_not_pass_them(package):
    rows = table(package, "disbursements")
    project = rows[0]["project_id"]
    funds = sum(Decimal(f["amount"]) for f in table(package, "project_funds") if f["project_id"] == project)
    mine = [i for i, r in enumerate(rows) if r["project_id"] == project]
    others = sum(Decimal(rows[i]["amount"]) for i in mine[:-1])
    rows[mine[-1]]["amount"] = f"{funds - others:.2f}"
    write(package, "disbursements", rows)
    assert found(package, "claims-over-funds") == []
    rows[mine[-1]]["amount"] = f"{funds - others + Decimal('0.01'):.2f}"
    write(package, "disbursements", rows)
    assert found(package, "claims-over-funds") == [("disbursements.csv", mine[-1] + 2, "amount")]


def test_acceptance_levels_follow_each_other(package):
    rows = table(package, "acceptances")
    i = next(i for i, r in enumerate(rows) if r["stage"] == "township")
    village = min(r["accepted_on"] for r in rows if r["project_id"] == rows[i]["project_id"] and r["stage"] == "village")
    rows[i]["accepted_on"] = village
    write(package, "acceptances", rows)
    assert found(package, "acceptance-order") == []
    rows[i]["accepted_on"] = (dt.date.fromisoformat(village) - dt.timedelta(days=1)).isoformat()
    write(package, "acceptances", rows)
    assert ("acceptances.csv", i + 2, "accepted_on") in found(package, "acceptance-order")


def test_a_package_without_the_new_ledger_columns_reads_them_as_empty_without_a_warning(package):
    for name in ("projects", "acceptances", "beneficiaries"):
        quiet = [f["name"] for f in SCHEMAS.fields(name) if f.get("optionalColumn")]
        assert quiet
        rows = table(package, name)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=[k for k in rows[0] if k not in quiet], extrasaction="ignore",
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        (package / f"{name}.csv").write_text(buffer.getvalue(), encoding="utf-8")
    check = check_county(package, Settings(allow_unsigned=True))
    assert not check.errors
    assert not [p for p in check.problems if p.code == "column-added"]


# The rules at the cells a clerk typed in: a claim form, a self-evaluation, a target form.
@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("ledger-forms")
    made = make_forms(DEMO, out, Settings(), ("claim", "evaluation", "targets", "notice", "responsibility", "board",
                                             "application"), project="XM2025-005", site_url=SITE)
    return {f"{m.form}:{m.path.stem.split('-', 2)[-1]}": m.path for m in made}


def fill(source: Path, target: Path, sheet: str, cells: dict[str, object]) -> Path:
    book = load_workbook(source)
    for ref, value in cells.items():
        book[sheet][ref].value = value
    book.save(target)
    return target


def where(result) -> set[tuple[str, str | None, str | None]]:
    return {(p.code, p.sheet, p.cell) for p in result.problems}


def test_a_final_claim_before_acceptance_is_refused_at_its_date_cell(made, package, tmp_path):
    claims = [r for r in table(package, "disbursements") if r["project_id"] == "XM2025-005"]
    row = 5 + len(claims)  # the first blank row, already naming the project
    accepted = passed_on(package, "XM2025-005")
    form = fill(made["claim:XM2025-005"], tmp_path / "claim.xlsx", "报账明细",
                {f"A{row}": "BZ2099-001", f"D{row}": "完工结算款", f"E{row}": "工程尾款",
                 f"F{row}": dt.datetime.combine(accepted - dt.timedelta(days=3), dt.time()), f"G{row}": 1000})
    result = import_form(form, package, Settings())
    assert ("claim-before-acceptance", "报账明细", f"F{row}") in where(result) and not result.written
    problem = next(p for p in result.problems if p.code == "claim-before-acceptance")
    assert "BZ2099-001" in problem.message and "验收合格" in problem.message
    # The same claim on the day after acceptance, and for more than the project has: refused at the amount.
    form = fill(made["claim:XM2025-005"], tmp_path / "claim2.xlsx", "报账明细",
                {f"A{row}": "BZ2099-001", f"D{row}": "完工结算款", f"E{row}": "工程尾款",
                 f"F{row}": dt.datetime.combine(accepted + dt.timedelta(days=1), dt.time()), f"G{row}": 99_999_999})
    result = import_form(form, package, Settings())
    assert where(result) & {("claims-over-funds", "报账明细", f"G{row}")} and not result.written
    form = fill(made["claim:XM2025-005"], tmp_path / "claim3.xlsx", "报账明细",
                {f"A{row}": "BZ2099-001", f"D{row}": "完工结算款", f"E{row}": "工程尾款",
                 f"F{row}": dt.datetime.combine(accepted + dt.timedelta(days=1), dt.time()), f"G{row}": 1})
    result = import_form(form, package, Settings())
    assert not result.errors and result.added == ["BZ2099-001"], result.errors[:3]


def test_the_self_evaluation_fills_in_the_targets_with_update(made, package, tmp_path):
    ours = [r for r in table(package, "indicators") if r["project_id"] == "XM2025-005"]
    assert ours and all(r["target"] for r in ours)
    score = f"J{5 + len(ours) - 1}"  # the score of its last indicator
    form = fill(made["evaluation:XM2025-005"], tmp_path / "eval.xlsx", "绩效自评", {score: 8})
    assert ("row-exists", "绩效自评", score) in where(import_form(form, package, Settings()))
    result = import_form(form, package, Settings(), update=True)
    assert not result.errors and [d[0] for _, diffs in result.changed for d in diffs] == ["score"]
    # A score above its weight is refused at its cell.
    form = fill(made["evaluation:XM2025-005"], tmp_path / "eval2.xlsx", "绩效自评", {score: 99})
    assert ("score-over-weight", "绩效自评", score) in where(import_form(form, package, Settings(), update=True))


def test_targets_without_a_satisfaction_indicator_are_refused(made, package, tmp_path):
    project = next(p["project_id"] for p in table(package, "projects") if p["status"] == "planned")
    write(package, "indicators", [r for r in table(package, "indicators") if r["project_id"] != project])
    blank = made["targets:空白"]
    cells = {}
    for n, (level1, level2, name, target, unit) in enumerate(
            [("产出指标", "数量指标", "新建道路长度", "≥2", "公里"), ("效益指标", "社会效益指标", "受益农户", "≥60", "户")], 5):
        cells.update({f"A{n}": project, f"B{n}": str(n - 4), f"C{n}": level1, f"D{n}": level2, f"E{n}": name,
                      f"F{n}": target, f"G{n}": unit})
    result = import_form(fill(blank, tmp_path / "t.xlsx", "绩效目标", cells), package, Settings())
    assert ("indicators-incomplete", "绩效目标", "C5") in where(result) and not result.written
    cells.update({"A7": project, "B7": "3", "C7": "满意度指标", "D7": "服务对象满意度指标", "E7": "受益群众满意度", "F7": "≥90",
                  "G7": "%"})
    result = import_form(fill(blank, tmp_path / "t2.xlsx", "绩效目标", cells), package, Settings())
    assert not result.errors and len(result.added) == 3


def test_a_printed_only_form_is_never_imported(made, package, tmp_path):
    before = {p.name: p.read_bytes() for p in package.iterdir()}
    result = import_form(made["notice:XM2025-005"], package, Settings())
    assert [p.code for p in result.errors] == ["form-not-importable"]
    letter = import_form(made["application:空白"], package, Settings())
    assert [p.code for p in letter.errors] == ["form-unreadable"] and "不导入" in letter.errors[0].message
    assert {p.name: p.read_bytes() for p in package.iterdir()} == before


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout.replace(" ", "")


def test_the_responsibility_letter_is_prefilled_as_docx_and_pdf(made, tmp_path):
    from docx import Document

    docx = made["responsibility:XM2025-005"]
    text = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    assert text.startswith("金竹村通组道路硬化工程项目监管责任书")
    assert "项目编号：XM2025-005" in text and "822,800.00 元" in text and "演示县交通运输局" in text
    assert "2025年7月12日" in text and text.count("负责人（签字）") == 2
    pdf = pdf_text(docx.with_suffix(".pdf"))
    assert "项目编号：XM2025-005" in pdf and pdf.count("负责人（签字）") == 2 and "甲方（监管单位）" in pdf
    # The same letter gives the same bytes; the blank one leaves lines to write on.
    again = make_forms(DEMO, tmp_path, Settings(), ("responsibility",), project="XM2025-005", site_url=SITE)
    assert next(m.path for m in again if m.path.name == docx.name).read_bytes() == docx.read_bytes()
    blank = "\n".join(p.text for p in Document(str(made["responsibility:空白"])).paragraphs)
    assert "项目编号：＿＿＿＿" in blank


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_letter_opens_in_libreoffice(made, tmp_path):
    docx = made["application:空白"]
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(docx)], check=True, capture_output=True, timeout=180)
    text = pdf_text(tmp_path / docx.with_suffix(".pdf").name)
    assert "到户项目申请书" in text and "本人承诺" in text and "村民代表会议评议" in text


def test_the_application_is_blank_and_says_it_is_kept_by_the_village(made):
    text = pdf_text(made["application:空白"].with_suffix(".pdf"))
    assert "演示县到户项目申请书" in text and "申请人（签字、按手印）" in text and "□脱贫户" in text
    assert text.count("意见：") == 2  # the village committee and the township write their opinions


def test_the_board_is_a3_with_a_qr_code_that_opens_the_projects_page(made):
    board = made["board:XM2025-005"]
    info = subprocess.run(["pdfinfo", str(board)], capture_output=True, text=True, check=True).stdout
    size = [float(x) for x in info.split("Page size:")[1].split("pts")[0].split(" x ")]
    assert [round(x) for x in size] == [1191, 842]  # A3 landscape
    text = pdf_text(board)
    assert "金竹村通组道路硬化工程" in text and "822,800.00元" in text and "12317" in text
    assert "演示县桂花镇金竹村" in text  # the place by its name, not its code
    image = board.parent / "board.png"
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(board), str(image.with_suffix(""))], check=True)
    decoded = subprocess.run(["zbarimg", "--raw", "-q", str(image)], capture_output=True, text=True).stdout.strip()
    assert decoded == f"{SITE}/519901/project/XM2025-005/"


def test_data_that_looks_like_markup_prints_as_text_in_letters_and_boards(package, tmp_path):
    rows = table(package, "projects")
    i = next(i for i, r in enumerate(rows) if r["project_id"] == "XM2025-005")
    rows[i]["name"] = '金竹村]#read("/etc/passwd")<w:p>&amp;'
    write(package, "projects", rows)
    made = make_forms(package, tmp_path / "out", Settings(allow_unsigned=True), ("responsibility", "board"),
                      project="XM2025-005", site_url=SITE)
    pdfs = [m.path.with_suffix(".pdf") for m in made if m.path.stem.endswith("XM2025-005")]
    assert len(pdfs) == 2
    for pdf in pdfs:
        assert 'read("/etc/passwd")<w:p>&amp;' in pdf_text(pdf), pdf
    from docx import Document

    letter = next(m.path for m in made if m.path.name.endswith("XM2025-005.docx"))
    assert '金竹村]#read("/etc/passwd")<w:p>&amp;' in Document(str(letter)).paragraphs[0].text


# Real performance-target tables as counties published them, row by row (一级, 二级 as written, 三级, 指标值): 岳阳县
# 2022 高标准农田建设 (www.yyx.gov.cn/37584/38137/content_2016103.html) and 清涧县 2021 果园路
# (qjzhf.gov.cn/Government/PublicInfoShow.aspx?ID=15161). Their second-level names lack 指标, their values carry
# their units, one value is a rate, one a cost per mu.
REAL_TARGETS = [
    ("产出指标", "数量指标", "脱贫村村内道路硬化里程", "≥100公里"),
    ("产出指标", "数量指标", "脱贫户供水设施数量", "≥20座"),
    ("产出指标", "质量指标", "项目(工程)验收合格率", "100%"),
    ("产出指标", "时效指标", "项目(工程)完成及时率", "≥100%"),
    ("产出指标", "成本指标", "财政资金补助", "1600元/亩"),
    ("效益指标", "经济效益", "年增粮食", "3500公斤"),
    ("效益指标", "社会效益", "受益脱贫(监测)人口数", "≥500人"),
    ("效益指标", "生态效益", "新增和改善灌溉达标面积", "≥500亩"),
    ("效益指标", "可持续影响", "工程设计使用年限", "≥20年"),
    ("满意度指标", "服务对象满意度指标", "受益脱贫(监测)户满意度", "≥95%"),
    ("产出指标", "成本指标", "硬化水泥砼公路补助标准", "≤120万元"),
]


def test_real_target_tables_import_as_the_counties_wrote_them(made, package, tmp_path):
    project = next(p["project_id"] for p in table(package, "projects") if p["status"] == "planned")
    write(package, "indicators", [r for r in table(package, "indicators") if r["project_id"] != project])
    cells = {}
    for n, (level1, level2, name, target) in enumerate(REAL_TARGETS, 5):
        cells.update({f"A{n}": project, f"B{n}": str(n - 4), f"C{n}": level1, f"D{n}": level2, f"E{n}": name,
                      f"F{n}": target})
    result = import_form(fill(made["targets:空白"], tmp_path / "real.xlsx", "绩效目标", cells), package, Settings())
    assert not result.errors and len(result.added) == len(REAL_TARGETS), result.errors[:3]
    ours = [r for r in table(package, "indicators") if r["project_id"] == project]
    assert [r["level2"] for r in ours] == ["quantity", "quantity", "quality", "timeliness", "cost", "economic", "social",
                                           "ecological", "sustainability", "satisfaction", "cost"]
    assert [r["target"] for r in ours] == [t for *_, t in REAL_TARGETS]


def test_a_claim_after_a_failed_higher_level_is_refused(package):
    """A village pass does not make a project accepted when the township then asked for rectification; a later
    pass does again, from its own day."""
    rows = table(package, "disbursements")
    i = next(i for i, r in enumerate(rows) if r["stage"] == "final")
    project = rows[i]["project_id"]
    accepted = table(package, "acceptances")
    last = max((a for a in accepted if a["project_id"] == project), key=lambda a: a["accepted_on"])
    later = (dt.date.fromisoformat(last["accepted_on"]) + dt.timedelta(days=1)).isoformat()
    stage = {"village": "township", "township": "county", "county": "county"}[last["stage"]]
    accepted.append({**last, "stage": stage, "accepted_on": later, "result": "rectify"})
    write(package, "acceptances", accepted)
    assert ("disbursements.csv", i + 2, "applied_on") in found(package, "claim-before-acceptance")


def test_every_claim_past_the_funds_is_reported(made, package, tmp_path):
    rows = table(package, "disbursements")
    project = "XM2025-005"
    funds = sum(Decimal(f["amount"]) for f in table(package, "project_funds") if f["project_id"] == project)
    mine = [i for i, r in enumerate(rows) if r["project_id"] == project]
    rows[mine[0]]["amount"] = f"{funds + 1:.2f}"
    write(package, "disbursements", rows)
    assert [r for _, r, _ in found(package, "claims-over-funds")] == [i + 2 for i in mine]
    # A further claim on a project already over its funds is refused at its cell, not let through.
    row = 5
    accepted = passed_on(package, project)
    form = fill(made["claim:空白"], tmp_path / "more.xlsx", "报账明细",
                {f"A{row}": "BZ2099-002", f"B{row}": project, f"D{row}": "完工结算款", f"E{row}": "再报一笔",
                 f"F{row}": dt.datetime.combine(accepted + dt.timedelta(days=2), dt.time()), f"G{row}": 900_000})
    result = import_form(form, package, Settings(allow_unsigned=True))
    assert ("claims-over-funds", "报账明细", f"G{row}") in where(result) and not result.written


def test_forms_are_not_made_from_a_package_with_errors(package, tmp_path):
    """A personal number validate refuses must not reach a board, a posted notice or a letter."""
    from gongshi.forms.make import FormsError

    rows = table(package, "projects")
    rows[0]["responsible_person"] = "林志刚 13812345678"
    write(package, "projects", rows)
    with pytest.raises(FormsError, match="gongshi validate"):
        make_forms(package, tmp_path / "out", Settings(allow_unsigned=True), ("board", "notice", "responsibility"),
                   project=rows[0]["project_id"], site_url=SITE)
    assert not (tmp_path / "out").exists()


def test_a_board_without_its_project_is_refused(tmp_path):
    from gongshi.forms.make import FormsError

    with pytest.raises(FormsError, match="--project"):
        make_forms(DEMO, tmp_path, Settings(), ("board",))


def test_a_control_character_in_the_data_does_not_break_the_letter(package, tmp_path):
    rows = table(package, "projects")
    i = next(i for i, r in enumerate(rows) if r["project_id"] == "XM2025-005")
    rows[i]["content"] = "硬化道路\x0b1.8公里"
    write(package, "projects", rows)
    made = make_forms(package, tmp_path, Settings(allow_unsigned=True), ("responsibility",), project="XM2025-005")
    from docx import Document

    letter = next(m.path for m in made if m.path.name.endswith("XM2025-005.docx"))
    assert "硬化道路1.8公里" in "\n".join(p.text for p in Document(str(letter)).paragraphs)


def test_a_table_without_the_new_columns_takes_an_import(made, package, tmp_path):
    """A county that has not run gongshi repair since the ledger columns were added imports as before; the table is
    written with them, empty."""
    rows = table(package, "acceptances")
    quiet = [f["name"] for f in SCHEMAS.fields("acceptances") if f.get("optionalColumn")]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[k for k in rows[0] if k not in quiet], extrasaction="ignore",
                            lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (package / "acceptances.csv").write_text(buffer.getvalue(), encoding="utf-8")
    forms = make_forms(package, tmp_path / "f", Settings(allow_unsigned=True), ("acceptance",), project="XM2025-014")
    form = next(m.path for m in forms if m.path.name.endswith("XM2025-014.xlsx"))
    filled = fill(form, tmp_path / "a.xlsx", "验收登记",
                  {"B6": "乡级复验", "C6": dt.datetime(2025, 12, 8), "D6": "合格", "G6": "王家富、林霞"})
    result = import_form(filled, package, Settings(allow_unsigned=True))
    assert not result.errors and result.added == ["XM2025-014、township、2025-12-08"], result.errors[:3]
    assert table(package, "acceptances")[0].keys() >= set(quiet)
