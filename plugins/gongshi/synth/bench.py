"""Measure a generated province: validation, page generation and the whole build, beside their peers.

Each stage runs in a fresh Python process, so its wall time and peak memory are its own. The peers are measured in
the same run on the same data: `frictionless validate` on the same packages, and a plain Pelican build of a sample
of the same records written as Markdown articles.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

_MEASURE = """
import json, os, resource, sys, threading, time


def _tree_memory():
    # Memory of this process and all its descendants (the build's workers, Pagefind, the PDF workers): the sum of
    # their proportional set sizes, so that pages forked workers share are counted once.
    parents = {{}}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{{name}}/stat") as fh:
                    parents.setdefault(int(fh.read().rsplit(")", 1)[1].split()[1]), []).append(int(name))
            except (OSError, IndexError, ValueError):
                pass
    total, todo = 0, [os.getpid()]
    while todo:
        pid = todo.pop()
        todo += parents.get(pid, [])
        try:
            with open(f"/proc/{{pid}}/smaps_rollup") as fh:
                total += next(int(line.split()[1]) for line in fh if line.startswith("Pss:")) * 1024
        except (OSError, StopIteration, ValueError):
            pass
    return total


_peak = [0]
_stop = threading.Event()


def _sample():
    while not _stop.wait(0.25):
        _peak[0] = max(_peak[0], _tree_memory())


threading.Thread(target=_sample, daemon=True).start()
started = time.perf_counter()
result = {{}}
{body}
_stop.set()
usage = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(json.dumps({{"seconds": time.perf_counter() - started, "peak_mb": usage / 1024,
                  "whole_mb": max(_peak[0], _tree_memory()) / 2**20, **result}}))
"""


def _stage(body: str, env: dict | None = None) -> dict:
    code = _MEASURE.format(body=textwrap.dedent(body))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "COLUMNS": "300", **(env or {})})
    if done.returncode:
        raise RuntimeError(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def _settings(province: Path) -> dict:
    from .province import province_fingerprint

    return {"data_path": str(province / "data"), "keys_path": str(province / "keys"),
            "history_path": str(province / "history"), "schemas_path": str(ROOT / "schemas"),
            "province_key_fingerprint": province_fingerprint(province), "allow_unsigned": False,
            "today": "2026-11-21", "pdf": False}


def validate_gongshi(province: Path) -> dict:
    return _stage(f"""
        from pathlib import Path
        from gongshi.county import check_counties
        from gongshi.package.load import find_packages
        from gongshi.settings import Settings
        reports = check_counties(find_packages(Path({str(province / "data")!r})), Settings())
        result["rows"] = sum(r.rows for r in reports)
        result["errors"] = sum(1 for r in reports for p in r.problems if p.is_error)
    """)


def validate_frictionless(province: Path) -> dict:
    return _stage(f"""
        from pathlib import Path
        from frictionless import validate
        reports = [validate(str(p)) for p in sorted(Path({str(province / "data")!r}).glob("*/datapackage.json"))]
        result["rows"] = sum(t.stats["rows"] or 0 for r in reports for t in r.tasks)
        result["errors"] = sum(len(t.errors) for r in reports for t in r.tasks)
    """)


def build_site(province: Path, output: Path, workers: int | None = None) -> dict:
    timings = output.parent / "timings.json"
    settings = {**_settings(province), "workers": workers}
    measured = _stage(f"""
        from pelican import Pelican
        from pelican.settings import read_settings
        settings = read_settings({str(ROOT / "pelicanconf.py")!r}, override={{
            "OUTPUT_PATH": {str(output)!r}, "GONGSHI": {settings!r}}})
        Pelican(settings).run()
    """, env={"GONGSHI_TIMINGS": str(timings)})
    return {**measured, **json.loads(timings.read_text(encoding="utf-8"))}


def pdf_sample(site: Path, count: int, peer: bool = False) -> dict:
    """Render the PDFs of `count` wall notices and household lists spread evenly over the whole built site (all
    counties, all kinds), with every core, with Typst into the site, or with WeasyPrint from their print pages
    (`peer`, into a folder of its own); count the sheets the site has."""
    return _stage(f"""
        from pathlib import Path
        from gongshi.site.pdf import pending, render_jobs
        from gongshi.synth import weasy
        site = Path({str(site)!r})
        jobs = pending(site, theme=Path({str(ROOT / "theme")!r}))
        step = max(1, len(jobs) // {count})
        sample = jobs[::step][:{count}]
        done = weasy.render(sample, site.parent / "weasyprint") if {peer!r} else render_jobs(site, sample)
        result.update(sheets=len(jobs), pdfs=done["rendered"], failed=done["failed"], pdf_pages=done["pages"])
    """)


def pdf_rest(site: Path) -> dict:
    """Render every PDF of the site still pending, as a province's first build does."""
    return _stage(f"""
        from pathlib import Path
        from gongshi.site.pdf import render_pdfs
        done = render_pdfs(Path({str(site)!r}), theme=Path({str(ROOT / "theme")!r}))
        result.update(pdfs=done["rendered"], failed=done["failed"], pdf_pages=done["pages"])
    """)


def change_one_county(province: Path) -> str:
    """Correct one project name in the first county, then sign and release it as a county would."""
    import datetime as dt

    from ..trust.history import release
    from ..trust.sign import sign_package

    folder = sorted((province / "data").iterdir())[0]
    table = folder / "projects.csv"
    lines = table.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\r\n").split(",")
    cells = next(csv.reader([lines[1]]))
    cells[header.index("name")] += "（更正）"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n" if lines[1].endswith("\r\n") else "\n").writerow(cells)
    lines[1] = buffer.getvalue()
    table.write_text("".join(lines), encoding="utf-8")
    key = province / "keys" / "counties"
    sign_package(folder, key)
    release(folder, province / "history", folder.name, key, when=dt.datetime(2026, 11, 2, tzinfo=dt.UTC))
    return folder.name


def pelican_articles(province: Path, work: Path, sample: int) -> dict:
    """Build `sample` project records as plain Pelican Markdown articles: the ordinary way to do this."""
    content = work / "articles"
    content.mkdir(parents=True)
    written = 0
    for table in sorted((province / "data").glob("*/projects.csv")):
        with open(table, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                if written == sample:
                    break
                body = "\n".join(f"- **{k}**: {v}" for k, v in row.items())
                (content / f"{row['project_id']}-{table.parent.name}.md").write_text(
                    f"Title: {row['name']}\nDate: {row['start_date']}\nCategory: {row['category']}\n"
                    f"Slug: {table.parent.name}-{row['project_id']}\n\n{body}\n", encoding="utf-8")
                written += 1
    measured = _stage(f"""
        from pelican import Pelican
        from pelican.settings import read_settings
        settings = read_settings(override={{"PATH": {str(content)!r}, "OUTPUT_PATH": {str(work / "out")!r},
            "SITEURL": "", "TIMEZONE": "Asia/Shanghai", "FEED_ALL_ATOM": None, "CATEGORY_FEED_ATOM": None}})
        Pelican(settings).run()
    """)
    measured["pages"] = written
    return measured


def _row(name, n_rows, n_pages, seconds, peak) -> str:
    numeric = isinstance(seconds, float) and seconds > 0
    return (f"{name:52} {n_rows!s:>9} {n_pages!s:>8} {(f'{seconds:.1f}' if numeric else seconds):>9} "
            f"{(f'{n_rows / seconds:,.0f}' if numeric and n_rows else ''):>10} "
            f"{(f'{n_pages / seconds:,.0f}' if numeric and n_pages else ''):>9} "
            f"{(f'{peak:,.0f}' if peak else ''):>8}")


def run(province: Path, sample: int = 5000) -> str:
    """Run every stage and return the table of figures."""
    province = province.resolve()
    workers = os.cpu_count() or 1
    # The work folder sits beside the province, on the disk a real build writes to.
    with tempfile.TemporaryDirectory(prefix="bench-", dir=province.parent) as tmp:
        work = Path(tmp)
        ours = validate_gongshi(province)
        peer = validate_frictionless(province)
        # The rebuilds change a county, so they work on a copy of the province.
        copy = work / "province"
        shutil.copytree(province, copy, symlinks=True)
        build = build_site(copy, work / "site")
        noop = build_site(copy, work / "site")
        changed = change_one_county(copy)
        one = build_site(copy, work / "site")
        peer_pdfs = pdf_sample(work / "site", 200, peer=True)
        pdfs = pdf_sample(work / "site", 200)
        rest = pdf_rest(work / "site")
        articles = pelican_articles(province, work / "peer", sample)
    # Pages are rendered inside the county workers, between checks and downloads: their rendering wall time is
    # the sum of the workers' rendering times shared over the workers, and a rate is the pages made in that stage
    # over it (not every page of the build, print, data and version pages included, over the page stage alone).
    rendering = build["pages"] / workers if build.get("pages") else 0.0
    stage_pages = int(build.get("pages_written", 0))
    rows = [
        ("validation: gongshi", ours["rows"], "", ours["seconds"], ours["peak_mb"]),
        ("validation: frictionless validate", peer["rows"], "", peer["seconds"], peer["peak_mb"]),
        (f"page generation: gongshi ({workers} workers)", "", stage_pages, rendering, ""),
        (f"page generation: Pelican articles ({articles['pages']})", "", articles["pages"], articles["seconds"],
         articles["peak_mb"]),
        ("wall-notice print pages (both sizes)", "", int(build.get("print_pages", 0)), build.get("print", 0.0) / workers,
         ""),
        ("downloads (zip, CSV, XLSX, versions)", "", "", build["downloads"] / workers, ""),
        ("search indexing", "", "", build.get("search", 0.0) / workers or "not yet", ""),
        ("whole build, clean", ours["rows"], build["pages_total"], build["seconds"], build["peak_mb"]),
        ("rebuild, nothing changed", "", noop["pages_built"], noop["seconds"], noop["peak_mb"]),
        (f"rebuild, county {changed} changed", "", one["pages_built"], one["seconds"], one["peak_mb"]),
        (f"wall-notice PDFs, sample: Typst ({workers} workers)", "", pdfs["pdfs"], pdfs["seconds"],
         pdfs["peak_mb"]),
        (f"wall-notice PDFs, sample: WeasyPrint ({workers} workers)", "", peer_pdfs["pdfs"], peer_pdfs["seconds"],
         peer_pdfs["peak_mb"]),
        (f"wall-notice PDFs, all the rest: Typst ({workers} workers)", "", rest["pdfs"], rest["seconds"],
         rest["peak_mb"]),
    ]
    lines = [f"{'stage':52} {'rows':>9} {'pages':>8} {'seconds':>9} {'rows/s':>10} {'pages/s':>9} {'peak MB':>8}"]
    lines += [_row(*row) for row in rows]
    validation_ratio = (peer["seconds"] / ours["seconds"]) if ours["seconds"] else 0
    pages_ratio = (stage_pages / rendering) / (articles["pages"] / articles["seconds"]) if rendering else 0
    lines.append(f"validation speed vs frictionless validate: {validation_ratio:.2f}x "
                 f"(errors: gongshi {ours['errors']}, frictionless {peer['errors']})")
    lines.append(f"page generation speed vs Pelican articles: {pages_ratio:.2f}x")
    lines.append(f"counties built / reused: clean {build['built']}/{build['reused']}, no-op {noop['built']}/"
                 f"{noop['reused']}, one changed {one['built']}/{one['reused']}")
    def per_sheet(done: dict) -> float:
        return done["seconds"] * workers / done["pdfs"] if done["pdfs"] else 0.0

    ours_pdf, peer_pdf = per_sheet(pdfs), per_sheet(peer_pdfs)
    lines.append(f"PDF: Typst {ours_pdf:.3f} core-seconds a sheet, WeasyPrint {peer_pdf:.3f} on the same "
                 f"{pdfs['pdfs']} sheets ({pdfs['pdf_pages']} and {peer_pdfs['pdf_pages']} printed pages): "
                 f"{(peer_pdf / ours_pdf if ours_pdf else 0):.1f}x ({pdfs['failed']} and {peer_pdfs['failed']} failed)")
    first = pdfs["seconds"] + rest["seconds"]
    lines.append(f"PDF: all {pdfs['sheets']:,} sheets of the province from scratch with Typst: {first / 60:.1f} min on "
                 f"{workers} cores (WeasyPrint would take about {peer_pdf * pdfs['sheets'] / 3600 / workers:.1f} h); "
                 f"later builds redo only the sheets whose data changed")
    lines.append(f"memory of all the processes together (their PSS): clean build {build['whole_mb']:,.0f} MB, "
                 f"PDF step {rest['whole_mb']:,.0f} MB, WeasyPrint sample {peer_pdfs['whole_mb']:,.0f} MB")
    lines.append(f"machine: {workers} cores; Python {sys.version.split()[0]}")
    return "\n".join(lines)
