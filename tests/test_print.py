"""Wall notices: print pages and PDFs a clerk pins on the village notice board (PDFs typeset with Typst from the
sheet model the print page shows)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
from bs4 import BeautifulSoup

from gongshi.site.pdf import render_pdfs
from gongshi.site.sheets import MANIFEST

from conftest import GOOD, ROOT, build_site, project_settings

A4 = (595.28, 841.89)  # portrait, in points
A3 = (1190.55, 841.89)  # landscape
PUBLIC = "https://gongshi.example.org"  # PUBLIC_SITEURL in pelicanconf.py


def sheet_pdfs(folder: Path) -> list[Path]:
    """The wall notices' PDFs under folder (a county's forms have PDFs of their own, made with the pages)."""
    return sorted(p for p in Path(folder).rglob("*.pdf") if "forms" not in p.relative_to(folder).parts)


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def text_of(pdf: Path) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(pdf).pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def rows(page: Path) -> int:
    return len(soup(page).select(".sheet-table tbody tr"))


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("print-site")
    result = build_site(ROOT / "data", output, allow_unsigned=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return output


@pytest.fixture(scope="module")
def chosen(site) -> dict[str, Path]:
    """The longest project notice, the longest allocation notice and the longest household list; their PDFs."""
    county = site / "519901"
    manifest = json.loads((county / MANIFEST).read_text(encoding="utf-8"))
    pages = {pdf: county / entry["page"] / "index.html" for pdf, entry in manifest.items()}
    kinds = {"project": [p for p in pages if p.startswith("notice/") and 'class="sheet-table wide"' in
                         pages[p].read_text(encoding="utf-8")],
             "allocation": [p for p in pages if p.startswith("notice/") and 'class="sheet-table wide"' not in
                            pages[p].read_text(encoding="utf-8")],
             "households": [p for p in pages if p.endswith("-households.pdf")]}
    picked = {kind: max(sorted(found), key=lambda p: rows(pages[p])) for kind, found in kinds.items()}
    ids = [Path(p).name.removesuffix(".pdf").removesuffix("-households") for p in picked.values()]
    done = render_pdfs(site, ["519901"], 2, ids)
    assert done["rendered"] == 3 and done["failed"] == 0, done
    return {kind: county / pdf for kind, pdf in picked.items()}


def test_every_notice_and_household_list_has_print_pages_in_both_sizes(site):
    county = site / "519901"
    manifest = json.loads((county / MANIFEST).read_text(encoding="utf-8"))
    notices = [p for p in (county / "notice").iterdir() if p.is_dir()]
    households = [p for p in (county / "project").glob("*/households") if p.is_dir()]
    assert len(notices) > 100 and households
    assert len(manifest) == len(notices) + len(households)
    for folder in notices + households:
        default, other = folder / "print" / "index.html", list((folder / "print").glob("a?/index.html"))
        assert default.is_file() and len(other) == 1, folder
        sizes = {re.search(r"@page \{ size: ([^;]+);", p.read_text(encoding="utf-8")).group(1) for p in [default, *other]}
        assert sizes == {"A4 portrait", "A3 landscape"}, folder
    # Without PDFs in this build every PDF is listed as still to be made, and none is linked from a half state.
    assert all(entry["pending"] for entry in manifest.values())


def test_notice_village_township_and_project_pages_link_print_and_pdf(site):
    county = site / "519901"
    notice = soup(county / "notice" / "GS2025-008" / "index.html")
    links = {a.get_text(strip=True): a["href"] for a in notice.select(".print-links a")}
    assert links["打印公示"].endswith("/519901/notice/GS2025-008/print/")
    assert links["下载PDF"].endswith("/519901/notice/GS2025-008/GS2025-008.pdf")
    for place in ("519901101000", "519901101201"):  # a township, a village of it
        page = soup(county / "place" / place / "index.html")
        hrefs = [a["href"] for a in page.select("ul.notices a")]
        assert any(h.endswith("/print/") for h in hrefs) and any(h.endswith(".pdf") for h in hrefs), place
    project = next(p for p in (county / "project").glob("*/households"))
    page = soup(project.parent / "index.html")
    assert [a["href"] for a in page.select(".print-links a")][0].endswith("households/print/")


@pytest.mark.parametrize("kind, paper", [("project", A3), ("allocation", A4), ("households", A4)])
def test_long_notice_pdf_paginates_with_everything_a_wall_notice_needs(site, chosen, kind, paper):
    pdf = chosen[kind]
    sheet = soup(pdf.parent / "print" / "index.html")
    reader = pypdf.PdfReader(pdf)
    pages = text_of(pdf)
    title = sheet.select_one("h1").get_text(strip=True)
    period = flat(sheet.select_one(".period").get_text())
    cells = sheet.select_one(".sheet-table").select("tbody tr")[-1].select("td")  # the notice's own table
    # A short cell of the last row that no line break splits: the project id, the amount, the household id.
    last_row = {"project": cells[1].select_one(".small"), "allocation": cells[-1], "households": cells[1]}[kind]
    whole = flat("".join(pages))
    # Size in points, and the count printed at the foot of every page.
    assert len(pages) >= 2, f"{pdf.name}: a long table should take more than one page"
    for page in reader.pages:
        assert (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2)) == paper
    # The table runs to the page with its total; each page of it starts with the header row.
    table_end = next(i for i, text in enumerate(pages) if "合计（" in flat(text))
    header = flat(sheet.select_one(".sheet-table thead th:nth-of-type(2)").get_text(strip=True))
    for number, text in enumerate(pages, start=1):
        assert f"第{number}页/共{len(pages)}页" in flat(text), (number, text[-80:])
        if number <= table_end + 1:
            assert header in flat(text), f"page {number} lacks the header row"
    assert flat(title) in whole and period in whole and "12317" in whole
    assert flat(last_row.get_text()) in flat(pages[table_end]), "the table's last row should be on its last page"
    assert table_end >= 1, f"{pdf.name}: a long table should take more than one page"
    assert "（公示单位盖章）" in whole and "负责人签字" in whole
    # The period and how to object open the notice; the seal, signature and QR code end it, on the page of the
    # table's last rows, never alone on a page of their own.
    assert period in flat(pages[0]) and "12317" in flat(pages[0])
    assert table_end == len(pages) - 1 and "（公示单位盖章）" in flat(pages[table_end])
    fingerprint = sheet.select_one(".fingerprint").get_text(strip=True)
    assert flat(fingerprint) in whole and re.fullmatch(r"([0-9a-f]{4} ){3}[0-9a-f]{4}（第 \d+ 版）", fingerprint)
    # No tofu: every character of the title is in the text, set in an embedded CJK font.
    for char in flat(title):
        assert char in whole
    fonts = {str(f["/BaseFont"]) for p in reader.pages for f in p["/Resources"]["/Font"].get_object().values()
             if "/BaseFont" in f.get_object()}
    assert any("CJK" in f for f in fonts), fonts


def test_fingerprint_is_the_start_of_the_published_package_hash(site, chosen):
    sheet = soup(chosen["project"].parent / "print" / "index.html")
    hexes = sheet.select_one(".fingerprint").get_text(strip=True).split("（")[0].replace(" ", "")
    versions = (site / "519901" / "versions" / "index.html").read_text(encoding="utf-8")
    assert re.search(rf"<code class=\"hash\">{hexes}[0-9a-f]{{48}}</code>", versions)


@pytest.mark.parametrize("kind", ["project", "allocation"])
def test_qr_code_in_the_pdf_decodes_to_the_notice_public_url(chosen, tmp_path, kind):
    pdf = chosen[kind]
    last = len(pypdf.PdfReader(pdf).pages)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", str(last), "-l", str(last), str(pdf), str(tmp_path / "p")],
                   check=True)
    image = next(tmp_path.glob("p*.png"))
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(image)],
                             capture_output=True, text=True)
    notice = pdf.parent.name
    assert decoded.stdout.strip() == f"{PUBLIC}/519901/notice/{notice}/", decoded


def test_a_first_build_into_an_empty_output_makes_complete_pdfs(tmp_path):
    """The PDFs are rendered before Pelican copies the theme into output/: they must still have their stylesheet."""
    data = tmp_path / "data"
    shutil.copytree(GOOD, data / "519902")
    output = tmp_path / "site"
    assert not output.exists()
    result = build_site(data, output, allow_unsigned=True, pdf=True, search=False)
    assert result.returncode == 0, result.stderr
    log = result.stdout + result.stderr
    assert "Failed to load" not in log and "PDF not written" not in log, log
    pdfs = sorted(sheet_pdfs(output / "519902"))
    assert len(pdfs) == 2
    for pdf in pdfs:
        pages = [flat(t) for t in text_of(pdf)]
        assert "第1页" in pages[0] and all(f"第{i}页" in t for i, t in enumerate(pages, 1)), pdf
        assert not any("返回网上公示" in t or "下载PDF" in t for t in pages), pdf  # print.css hides the links


def test_a_missing_template_writes_no_pdf_and_names_the_file(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(GOOD, data / "519902")
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    (theme / "static" / "typst" / "sheet.typ").unlink()
    output = tmp_path / "site"
    result = build_site(data, output, pelican={"THEME": str(theme)}, allow_unsigned=True, pdf=True, search=False)
    assert result.returncode == 0, result.stderr
    failures = [line for line in (result.stdout + result.stderr).splitlines() if "PDF not written" in line]
    assert len(failures) == 2 and all("theme/typst/sheet.typ" in line for line in failures), failures
    assert "Traceback" not in result.stdout + result.stderr
    county = output / "519902"
    assert not list(sheet_pdfs(county))
    manifest = json.loads((county / MANIFEST).read_text(encoding="utf-8"))
    assert len(manifest) == 2 and all(entry["pending"] for entry in manifest.values())
    # gongshi pdf reads the site's own copy of the theme, which this build did put in place without the template.
    again = subprocess.run([sys.executable, "-m", "gongshi", "pdf", str(output)], capture_output=True, text=True,
                           cwd=tmp_path)  # no pelicanconf.py here to name the theme
    assert again.returncode == 1 and "theme/typst/sheet.typ" in again.stdout + again.stderr
    assert not list(sheet_pdfs(county))
    # With the theme given, it renders them.
    done = subprocess.run([sys.executable, "-m", "gongshi", "pdf", str(output), "--theme", str(ROOT / "theme")],
                          capture_output=True, text=True)
    assert done.returncode == 0 and "已生成 2 份" in done.stdout, done.stdout + done.stderr
    assert not any(e["pending"] for e in json.loads((county / MANIFEST).read_text(encoding="utf-8")).values())


@pytest.mark.parametrize("value", ['#read("/etc/passwd")', '#import "/etc/passwd"', "#{panic()}", "] #[", "$x^2$",
                                   "\\", "<script>alert(1)</script>", '#image("/etc/passwd")'])
def test_typst_shows_data_as_text_and_reads_nothing_outside_its_folder(tmp_path, value):
    """A value from data that looks like Typst code is shown as it is; nothing is evaluated or read."""
    from gongshi.site.pdf import PdfJob, _render_job
    from gongshi.site.sheets import SHEET_MODEL

    output = tmp_path / "site"
    page = output / "519902" / "notice" / "GS-1" / "print"
    page.mkdir(parents=True)
    doc = _minimal_model()
    doc["title"] = f"公示{value}"
    doc["head"] = [value]
    (page / SHEET_MODEL).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    job = PdfJob(str(output), "519902", "notice/GS-1/GS-1.pdf", "notice/GS-1/print", str(ROOT / "theme" / "static"))
    assert _render_job(job) == 1
    text = flat("".join(text_of(output / "519902" / "notice" / "GS-1" / "GS-1.pdf")))
    assert flat(f"公示{value}") in text and "root:" not in text


def test_a_template_cannot_read_outside_its_folder_nor_a_model_outside_its_county(tmp_path):
    from gongshi.site.pdf import PdfJob, _render_job
    from gongshi.site.sheets import SHEET_MODEL

    (tmp_path / "secret.txt").write_text("机密", encoding="utf-8")
    static = tmp_path / "theme" / "static"
    (static / "typst").mkdir(parents=True)
    (static / "typst" / "sheet.typ").write_text('#read("../../../secret.txt")', encoding="utf-8")
    output = tmp_path / "site"
    page = output / "519902" / "notice" / "GS-1" / "print"
    page.mkdir(parents=True)
    (page / SHEET_MODEL).write_text(json.dumps(_minimal_model(), ensure_ascii=False), encoding="utf-8")
    job = PdfJob(str(output), "519902", "notice/GS-1/GS-1.pdf", "notice/GS-1/print", str(static))
    outcome = _render_job(job)
    assert isinstance(outcome, str) and "escape the project root" in outcome, outcome
    assert not (output / "519902" / "notice" / "GS-1" / "GS-1.pdf").exists()
    escape = PdfJob(str(output), "519902", "notice/GS-1/GS-1.pdf", "../../secret", str(ROOT / "theme" / "static"))
    assert "not a file of the county" in str(_render_job(escape))
    assert not (output / "519902" / "notice" / "GS-1" / "GS-1.pdf").exists()
    (static / "typst" / "sheet.typ").write_text("公示", encoding="utf-8")
    away = PdfJob(str(output), "519902", "../../escaped.pdf", "notice/GS-1/print", str(static))
    assert "not a file of the county" in str(_render_job(away)) and not (tmp_path / "escaped.pdf").exists()
    gone = PdfJob(str(output), "519902", "notice/GS-2/GS-2.pdf", "notice/GS-2/print", str(static))
    assert "build the county again" in str(_render_job(gone))


def _minimal_model() -> dict:
    """The smallest sheet model the template accepts: a title, the period, a seal and a QR code."""
    return {"paper": "A4", "title": "公示", "url": "https://gongshi.example.org/519902/notice/GS-1/", "demo": None,
            "head": [], "period": "公示期：未载明", "objection": [{"text": "监督电话 12317", "strong": False}],
            "remarks": [], "blocks": [], "attachments": None,
            "sign": {"seal": "（公示单位盖章）", "signature": "负责人签字：", "units": ["某县财政局"], "date": "____年__月__日"},
            "verify": ["扫码查看网上公示"]}


def test_pdfs_of_an_older_format_are_rendered_again_once(tmp_path):
    """PDFs printed from HTML with WeasyPrint (format 2) are typeset again by the next build, then carried over."""
    from gongshi.site.job import STAMP

    data = tmp_path / "data"
    shutil.copytree(GOOD, data / "519902")
    output = tmp_path / "site"
    settings = {"allow_unsigned": True, "pdf": True, "search": False}
    assert build_site(data, output, **settings).returncode == 0
    county = output / "519902"
    manifest = json.loads((county / MANIFEST).read_text(encoding="utf-8"))
    for entry in manifest.values():  # as an earlier gongshi keyed them: WeasyPrint's version, the stylesheets, the page
        entry["digest"] = hashlib.sha256(b"weasyprint 66.0 format 2" + entry["digest"].encode()).hexdigest()
    (county / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    (county / STAMP).unlink()  # a new gongshi rebuilds every county
    pdfs = sorted(sheet_pdfs(county))
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in pdfs}
    assert build_site(data, output, **settings).returncode == 0
    assert all((p.stat().st_ino, p.stat().st_mtime_ns) != before[p] for p in pdfs)
    # Once: the next build carries them over.
    (county / STAMP).unlink()
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in pdfs}
    assert build_site(data, output, **settings).returncode == 0
    assert all((p.stat().st_ino, p.stat().st_mtime_ns) == before[p] for p in pdfs)


def test_pdfs_are_redone_only_for_notices_whose_data_changed(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(GOOD, data / "519902")
    output = tmp_path / "site"
    settings = {"allow_unsigned": True, "pdf": True, "search": False}
    first = build_site(data, output, **settings)
    assert first.returncode == 0, first.stderr
    county = output / "519902"
    pdfs = sorted(sheet_pdfs(county))
    manifest = json.loads((county / MANIFEST).read_text(encoding="utf-8"))
    assert len(pdfs) == len(manifest) == 2 and not any(e["pending"] for e in manifest.values())
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in pdfs}
    # A correction to one notice's title; the other notice shows what it showed.
    notices = data / "519902" / "notices.csv"
    notices.write_text(notices.read_text(encoding="utf-8").replace("茶叶基地提升项目实施前公示",
                                                                   "茶叶基地提升项目实施前公示（更正）"),
                       encoding="utf-8")
    second = build_site(data, output, **settings)
    assert second.returncode == 0, second.stderr
    changed = [p.name for p in pdfs if (p.stat().st_ino, p.stat().st_mtime_ns) != before[p]]
    assert changed == ["GS-1.pdf"], changed
    assert "（更正）" in flat("".join(text_of(county / "notice" / "GS-1" / "GS-1.pdf")))
    # A changed print stylesheet changes the print pages, not the PDFs; a changed Typst template changes every PDF.
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    with (theme / "static" / "css" / "print.css").open("a", encoding="utf-8") as css:
        css.write("\n.sheet-head h1 { letter-spacing: 0.1em; }\n")
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in pdfs}
    third = build_site(data, output, pelican={"THEME": str(theme)}, **settings)
    assert third.returncode == 0, third.stderr
    assert all((p.stat().st_ino, p.stat().st_mtime_ns) == before[p] for p in pdfs)
    with (theme / "static" / "typst" / "sheet.typ").open("a", encoding="utf-8") as template:
        template.write("\n// a wider margin next year\n")
    fourth = build_site(data, output, pelican={"THEME": str(theme)}, **settings)
    assert fourth.returncode == 0, fourth.stderr
    assert all((p.stat().st_ino, p.stat().st_mtime_ns) != before[p] for p in pdfs)


def test_without_a_chinese_font_no_pdf_is_written_and_the_message_names_the_package(site, tmp_path):
    empty = tmp_path / "fonts"
    empty.mkdir()
    config = tmp_path / "fonts.conf"
    config.write_text(f"<?xml version='1.0'?><fontconfig><dir>{empty}</dir><cachedir>{tmp_path / 'cache'}</cachedir>"
                      "</fontconfig>", encoding="utf-8")
    before = sorted(sheet_pdfs(site))
    result = subprocess.run([sys.executable, "-m", "gongshi", "pdf", str(site), "--only", "GS2025-002"],
                            capture_output=True, text=True, env={**os.environ, "FONTCONFIG_FILE": str(config)})
    assert result.returncode == 1
    assert "fonts-noto-cjk" in result.stderr and "没有可用的中文字体" in result.stderr and "Traceback" not in result.stderr
    assert sorted(sheet_pdfs(site)) == before


def test_invoke_pdf_renders_on_demand_from_a_relative_folder(site):
    result = subprocess.run([sys.executable, "-m", "gongshi", "pdf", site.name, "--only", "GS2025-003"],
                            cwd=site.parent, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "已生成 1 份" in result.stdout
    assert pypdf.PdfReader(site / "519901" / "notice" / "GS2025-003" / "GS2025-003.pdf").pages


def test_print_page_escapes_data_and_fetches_nothing_from_elsewhere(site):
    page = (site / "519901" / "notice" / "GS2025-008" / "print" / "index.html").read_text(encoding="utf-8")
    assert 'lang="zh-CN"' in page and "<script" not in page
    assert not re.search(r"""(src|href)=["']https?://""", page)  # everything from the site itself


def test_browser_print_of_a_notice_page_shows_the_seal_space_and_qr_and_hides_the_site_chrome(site, browser):
    context = browser.new_context()
    tab = context.new_page()
    tab.goto((site / "519901" / "notice" / "GS2025-008" / "index.html").as_uri())
    assert not tab.locator(".print-only").is_visible()
    tab.emulate_media(media="print")
    assert tab.locator(".print-only .seal").is_visible() and tab.locator(".print-only svg.qr").is_visible()
    assert not tab.locator("header.site nav").is_visible() and not tab.locator(".print-links").is_visible()
    assert tab.locator(".print-only .url").inner_text() == f"{PUBLIC}/519901/notice/GS2025-008/"
    context.close()


def test_paper_setting_per_kind_chooses_the_default_size(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(GOOD, data / "519902")
    output = tmp_path / "site"
    paper = {**project_settings().get("paper", {}), "before-start": "A4"}
    result = build_site(data, output, allow_unsigned=True, paper=paper, search=False)
    assert result.returncode == 0, result.stderr
    folder = output / "519902" / "notice" / "GS-1" / "print"
    assert "@page { size: A4 portrait; }" in (folder / "index.html").read_text(encoding="utf-8")
    assert "@page { size: A3 landscape; }" in (folder / "a3" / "index.html").read_text(encoding="utf-8")
    other = output / "519902" / "notice" / "GS-2" / "print"  # a project plan keeps its A3 default
    assert "@page { size: A3 landscape; }" in (other / "index.html").read_text(encoding="utf-8")


def test_every_print_page_and_pdf_points_to_a_page_the_site_has(site):
    """The QR code and the "back" link of every print page open a page that exists: a household list's open its
    project's page, at its households."""
    county = site / "519901"
    pages = sorted(county.rglob("print/index.html")) + sorted(county.rglob("print/a*/index.html"))
    assert any("households" in str(p) for p in pages)
    for page in pages:
        html = soup(page)
        public = html.select_one(".verify svg title").get_text()
        assert public.startswith(f"{PUBLIC}/519901/"), public
        target, _, anchor = public.removeprefix(f"{PUBLIC}/").partition("#")
        assert (site / target / "index.html").is_file(), (page, public)
        if anchor:
            assert soup(site / target / "index.html").find(id=anchor), (page, public)
        back = html.select_one(".sheet-nav a")["href"]
        assert (page.parent / back.split("#")[0]).resolve().is_file() or \
            (page.parent / back.split("#")[0] / "index.html").resolve().is_file(), (page, back)
