"""A site built by a CI runner's matrix: which counties a run must build, and the merge of their folders.

The workflow in `.github/workflows/site.yml` runs three jobs: `plan` (this module's `plan`, through `invoke plan`)
lists the counties whose package or history changed since the site was last published, or every county when the
build day or anything else pages are made from changed; one `county` job per listed county builds its folder with
`invoke county`, starting from that county's previous folder kept in the runner's cache, so that only its changed
sheets are typeset again; `merge` puts the new folders into the last published site (`invoke merge`) and runs the
ordinary build, which reuses every county whose folder matches its inputs and writes the province pages.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
from importlib.metadata import distributions
from pathlib import Path

from .site.job import STAMP

STATE = ".gongshi-published.json"  # in the published site: the commit and day it was built from
# Paths whose changes no page shows: they never make a county build again.
UNSHOWN = ("docs/", "tests/", ".ci/", ".github/", "README.md", "CHANGELOG.md", "LICENSE")
# GitHub Actions runs at most 256 jobs of one matrix.
MATRIX_LIMIT = 256


def environment() -> str:
    """A fingerprint of what pages are made with besides the repository: the public address and every installed
    package's version (a new Typst, Pelican or font library changes pages or PDFs of every county)."""
    installed = sorted(f"{d.metadata['Name']}=={d.version}".lower() for d in distributions() if d.metadata["Name"])
    given = {"GONGSHI_SITEURL": os.environ.get("GONGSHI_SITEURL", ""), "packages": installed}
    return hashlib.sha256(json.dumps(given, sort_keys=True).encode()).hexdigest()[:16]


class PlanError(RuntimeError):
    """The run cannot be planned (too many counties for one matrix): the message says what to do."""


def counties(data: Path) -> list[str]:
    """The county codes with a package under data."""
    return sorted(p.name for p in Path(data).iterdir() if (p / "datapackage.json").is_file())


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, timeout=120)


def plan(repo: Path, data: Path, history: Path, state: dict | None, today: dt.date) -> dict:
    """What this run builds: {"counties": [...], "day": ISO date, "commit": HEAD, "why": reason}.

    `state` is what the last published site recorded (None when there is none). Every county is built when there
    is no earlier run, when its commit is not in this checkout's history, on a new build day (pages show which
    notices are in their period), or when anything but a county's own data and history changed."""
    repo = Path(repo).resolve()
    codes = counties(data)
    head = _git(repo, "rev-parse", "HEAD").stdout.strip()
    result = {"day": today.isoformat(), "commit": head, "environment": environment()}

    def every(why: str) -> dict:
        return {**result, "counties": codes, "why": why}

    if not state or not state.get("commit"):
        return _checked(every("no earlier run recorded"))
    if state.get("day") != today.isoformat():
        return _checked(every(f"new build day ({state.get('day')} → {today.isoformat()})"))
    if state.get("environment") != result["environment"]:
        return _checked(every("the public address or an installed package changed"))
    since = str(state["commit"])
    if _git(repo, "cat-file", "-e", f"{since}^{{commit}}").returncode:
        return _checked(every(f"commit {since[:12]} is not in this checkout's history"))
    listed = _git(repo, "diff", "--name-only", "-z", "--no-renames", since, "HEAD", "--")
    if listed.returncode:
        return _checked(every(f"git diff failed: {listed.stderr.strip()}"))
    folders = [Path(root).resolve().relative_to(repo).as_posix() + "/" for root in (data, history)
               if Path(root).resolve().is_relative_to(repo)]
    changed = set()
    for path in filter(None, listed.stdout.split("\0")):
        owner = next((prefix for prefix in folders if path.startswith(prefix)), None)
        if owner:
            changed.add(path[len(owner):].split("/", 1)[0])
        elif not path.startswith(UNSHOWN):
            return _checked(every(f"{path} changed"))
    return _checked({**result, "counties": [c for c in codes if c in changed],
                     "why": f"changed since {since[:12]}" if changed else f"nothing changed since {since[:12]}"})


def _checked(planned: dict) -> dict:
    if len(planned["counties"]) > MATRIX_LIMIT:
        raise PlanError(
            f"gongshi: 本次需生成 {len(planned['counties'])} 个县，超过一个矩阵最多 {MATRIX_LIMIT} 个作业；请按省份分站点"
            f"生成。 {len(planned['counties'])} counties to build, more than one matrix's {MATRIX_LIMIT} jobs: build "
            f"one site per province.")
    return planned


def merge(parts: Path, output: Path) -> list[str]:
    """Put every built county folder found under parts (a folder holding its stamp, at most three levels down: as
    `invoke county` writes them, or as a runner's artifacts unpack) into output in place of the county's old
    folder; return their codes. A folder without a stamp (a job that did not finish) is left out: the county keeps
    what the site had."""
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    done = []
    stamps = [p for depth in ("*", "*/*", "*/*/*") for p in Path(parts).glob(f"{depth}/{STAMP}")]
    for stamp in sorted(stamps):
        try:
            code = str(json.loads(stamp.read_text(encoding="utf-8"))["summary"]["code"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if not code.isdigit() or len(code) != 6 or code in done:
            continue
        target = output / code
        incoming, old = output / f".{code}.incoming", output / f".{code}.old"
        shutil.rmtree(incoming, ignore_errors=True)
        shutil.copytree(stamp.parent, incoming, symlinks=True)
        shutil.rmtree(old, ignore_errors=True)  # left by a merge that was interrupted
        if target.exists():
            os.replace(target, old)
        os.replace(incoming, target)
        shutil.rmtree(old, ignore_errors=True)
        done.append(code)
    return done


def write_state(output: Path, planned: dict) -> None:
    """Record in the published site the commit, day and environment it was built from (the next run's plan starts
    there)."""
    record = {"commit": planned["commit"], "day": planned["day"], "environment": environment()}
    (Path(output) / STATE).write_text(json.dumps(record), encoding="utf-8")


def read_state(path: Path) -> dict | None:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
