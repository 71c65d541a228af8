"""Project tasks, run with `invoke <task>`; `invoke --list` shows them."""

import shlex
import shutil
import sys
from pathlib import Path

from invoke import task

ROOT = Path(__file__).resolve().parent
PELICAN = f"{sys.executable} -m pelican content"


def _run(c, command: str) -> None:
    with c.cd(str(ROOT)):
        c.run(command, pty=False)


@task
def build(c):
    """Build the site for a local preview into output/."""
    _run(c, f"{PELICAN} -s pelicanconf.py")


@task
def publish(c):
    """Build the public site into output/ with publishconf.py."""
    _run(c, f"{PELICAN} -s publishconf.py")


@task(help={"code": "the county's code, such as 519901", "out": "folder to write (default parts/CODE)",
            "settings": "pelicanconf.py for a preview, publishconf.py for the public site",
            "today": "the build day, as 2026-11-21 (default today): every job of one run must use the same"})
def county(c, code, out=None, settings="publishconf.py", today=None):
    """Build one county's folder of the site on its own: one job of a batch run; `invoke merge` then merges."""
    from pelican import Pelican
    from pelican.settings import read_settings

    config = read_settings(str(ROOT / settings))
    gongshi = {**config.get("GONGSHI", {}), "data_path": str(Path(config.get("GONGSHI", {}).get("data_path", "data"))
                                                              / code)}
    if today:
        gongshi["today"] = today
    target = Path(out) if out else ROOT / "parts" / code
    # The folder may be the county's previous one (restored from a cache): without its stamp, a failed build cannot
    # pass for a good one. Its PDFs are still carried over (they are listed in its PDF manifest).
    (target / code / ".gongshi-build.json").unlink(missing_ok=True)
    Pelican(read_settings(str(ROOT / settings), override={"OUTPUT_PATH": str(target), "GONGSHI": gongshi})).run()
    if not (target / code / ".gongshi-build.json").is_file():
        sys.exit(f"gongshi: 县 {code} 未能生成 / county {code} was not built")
    print(f"built {target / code}; invoke merge puts it into output/")


@task(help={"state": "the last published run's record (.gongshi-published.json), if any",
            "out": "append counties=... and day=... to this file (a runner's step outputs)",
            "today": "the build day (default: today in China)"})
def plan(c, state=".gongshi-published.json", out=None, today=None):
    """List the counties this run must build: changed since the last published run, or all (a new day)."""
    import datetime as dt
    import json

    from pelican.settings import read_settings

    from gongshi.ci import plan as make_plan
    from gongshi.ci import read_state
    from gongshi.dates import china_today

    config = read_settings(str(ROOT / "publishconf.py")).get("GONGSHI", {})
    day = dt.date.fromisoformat(today) if today else china_today()
    planned = make_plan(ROOT, ROOT / config.get("data_path", "data"), ROOT / config.get("history_path", "history"),
                        read_state(Path(state)), day)
    print(f"{len(planned['counties'])} county job(s): {planned['why']}")
    if out:
        with open(out, "a", encoding="utf-8") as fh:
            fh.write(f"counties={json.dumps(planned['counties'])}\nday={planned['day']}\n")


@task(help={"parts": "the folder the county jobs' folders were gathered in", "today": "the run's build day",
            "settings": "publishconf.py for the public site"})
def merge(c, parts="parts", today=None, settings="publishconf.py"):
    """Put the county jobs' folders into output/, then build the site (every other county is reused)."""
    import datetime as dt

    from pelican import Pelican
    from pelican.settings import read_settings

    from gongshi.ci import merge as merge_parts
    from gongshi.ci import write_state
    from gongshi.dates import china_today

    merged = merge_parts(ROOT / parts, ROOT / "output")
    print(f"merged {len(merged)} county folder(s): {' '.join(merged)}")
    day = (dt.date.fromisoformat(today) if today else china_today()).isoformat()
    config = read_settings(str(ROOT / settings))
    gongshi = {**config.get("GONGSHI", {}), "today": day}
    Pelican(read_settings(str(ROOT / settings), override={"OUTPUT_PATH": str(ROOT / "output"),
                                                           "GONGSHI": gongshi})).run()
    head = c.run("git rev-parse HEAD", hide=True, warn=True).stdout.strip()
    write_state(ROOT / "output", {"commit": head, "day": day})


@task(help={"county": "only this county's PDFs", "only": "only this notice (or project's household list)",
            "settings": "pelicanconf.py for output/ of a preview, publishconf.py for the public site"})
def pdf(c, county=None, only=None, settings="pelicanconf.py"):
    """Render the wall notices' PDFs in output/ that are missing or out of date (after invoke build)."""
    from pelican.settings import read_settings

    config = read_settings(str(ROOT / settings))
    theme = config.get("THEME", "theme")
    options = f" --theme {shlex.quote(str(theme))}"
    options += f" --county {county}" if county else ""
    options += f" --only {only}" if only else ""
    _run(c, f"{sys.executable} -m gongshi pdf output{options}")


@task
def serve(c, port=8000):
    """Build, then serve output/ on http://127.0.0.1:PORT and rebuild on changes."""
    _run(c, f"{PELICAN} -s pelicanconf.py --autoreload --listen --port {int(port)}")


@task(help={"path": "a county folder such as data/519901, or data for all", "format": "text, json or github"})
def validate(c, path="data", format="text"):
    """Check county data packages and list every problem (gongshi validate)."""
    _run(c, f"{sys.executable} -m gongshi validate {path} --format {format}")


@task
def test(c):
    """Run the test suite, on every core."""
    _run(c, f"{sys.executable} -m pytest -n auto")


@task(help={"minutes": "how long to leave the TV rotation running", "county": "the county whose slides to show"})
def soak(c, minutes=60, county="519901"):
    """Leave a county's TV slides in output/ running in headless Chromium and record the renderer's memory and DOM
    at every slide (tests/tv_soak.py; after invoke build). Writes build/tv-soak.json."""
    out = ROOT / "build" / "tv-soak.json"
    out.parent.mkdir(exist_ok=True)
    _run(c, f"{sys.executable} tests/tv_soak.py output --county {county} --seconds {float(minutes) * 60:.0f} "
            f"--out {out}")
    import json

    samples = json.loads(out.read_text(encoding="utf-8"))["samples"]
    rss = [s["rss_kib"] for s in samples]
    print(f"{len(samples)} slides in {samples[-1]['seconds']:.0f} s; DOM nodes {sorted({s['nodes'] for s in samples})}, "
          f"documents {sorted({s['documents'] for s in samples})}; renderer memory {min(rss) / 1024:.0f}–"
          f"{max(rss) / 1024:.0f} MiB, first {rss[0] / 1024:.0f} MiB, last {rss[-1] / 1024:.0f} MiB")


@task
def lint(c):
    """Check the code with ruff."""
    _run(c, f"{sys.executable} -m ruff check .")


@task
def codes(c):
    """Write README's table of every problem code from the registry (plugins/gongshi/codes.py)."""
    from gongshi.codes import in_readme

    readme = ROOT / "README.md"
    readme.write_text(in_readme(readme.read_text(encoding="utf-8")), encoding="utf-8")


@task
def clean(c):
    """Remove output/."""
    shutil.rmtree(ROOT / "output", ignore_errors=True)


@task(help={"scale": "1.0 is a whole province (~200,000 projects); 0.01 for tests", "seed": "random seed",
            "out": "folder to write (outside data/)"})
def province(c, scale=1.0, seed=1, out=None):
    """Generate a Sichuan-sized province of valid, signed county packages (default build/province-SCALE)."""
    from gongshi.synth.province import generate_province

    target = Path(out) if out else ROOT / "build" / f"province-{scale}"
    shutil.rmtree(target, ignore_errors=True)
    print(generate_province(target, float(scale), int(seed)))
    print(f"written to {target}")


@task(help={"scale": "province scale to measure", "seed": "random seed", "sample": "records in the Pelican peer"})
def bench(c, scale=1.0, seed=1, sample=5000):
    """Generate a province (if missing) and print validation, page and build figures beside their peers."""
    from gongshi.synth.bench import run

    target = ROOT / "build" / f"province-{scale}"
    if not (target / "data").is_dir():
        province(c, scale=scale, seed=seed, out=target)
    print(run(target, int(sample)))


@task
def golden(c):
    """Rebuild the test county's site and renew the golden pages in tests/golden."""
    import tempfile

    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import GOLDEN, GOOD, build_site, golden_pages

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(GOOD, data / "519902")
        result = build_site(data, Path(tmp) / "out")
        if result.returncode:
            sys.exit(result.stdout + result.stderr)
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for name, html in golden_pages(Path(tmp) / "out").items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_text(html, encoding="utf-8")
    print(f"renewed {GOLDEN}; review with: git diff --stat tests/golden")


@task
def demo(c):
    """Regenerate the demo county data/519901 and its two published versions, signed with the demo key."""
    from gongshi.synth.demo import CURRENT, EARLIER, make_earlier_version, write_demo
    from gongshi.trust.history import release
    from gongshi.trust.sign import sign_package

    package, key, history = ROOT / "data" / "519901", ROOT / "keys" / "demo" / "519901_DEMO_KEY", ROOT / "history"
    shutil.rmtree(history / "519901", ignore_errors=True)
    write_demo(package)
    make_earlier_version(package)
    sign_package(package, key)
    release(package, history, "519901", key, when=EARLIER)
    write_demo(package)
    sign_package(package, key)
    release(package, history, "519901", key, when=CURRENT)
