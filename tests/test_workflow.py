"""The GitHub Actions workflow (.github/workflows/site.yml): valid, audited, and its jobs' own commands, run here
on a checkout with two counties, build, rebuild only the county that changed, and publish a whole site.

The workflow's `run` steps are run as they are written (expressions filled in as the runner would); its `uses`
steps are played by a small stand-in for the runner's cache and artifact stores, and every job starts from a clean
checkout, as on a runner. Only the `install` steps are left out: this machine has the project installed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    return str(BIN / name) if (BIN / name).exists() else name


def test_the_workflow_matches_github_actions_schema():
    done = subprocess.run([_tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_workflow_passes_the_security_audit():
    """zizmor, offline: no template injection, no credentials left in artifacts, actions pinned by the policy."""
    done = subprocess.run([_tool("zizmor"), "--offline", "--config", str(ROOT / ".github" / "zizmor.yml"),
                           "--format", "plain", str(WORKFLOW)], capture_output=True, text=True)
    assert done.returncode == 0 and "No findings" in done.stdout + done.stderr, done.stdout + done.stderr


@pytest.mark.skipif(shutil.which("actionlint") is None, reason="actionlint is not installed")
def test_actionlint_finds_nothing():
    done = subprocess.run(["actionlint", str(WORKFLOW)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


class Runner:
    """Runs the workflow's jobs in a checkout: `run` steps for real, `uses` steps against folders that stand in for
    the runner's cache and artifacts."""

    def __init__(self, repo: Path, store: Path, variables: dict | None = None):
        self.repo, self.store, self.variables = repo, store, variables or {}
        store.mkdir(parents=True, exist_ok=True)
        self.jobs = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]
        self.top_env = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8")).get("env", {})
        self.run_id = 0
        self.logs: dict[str, str] = {}

    def run(self) -> dict:
        """One run of the workflow: plan, one county job per planned county, merge. Returns the plan's outputs."""
        self.run_id += 1
        self.artifacts = self.store / f"artifacts-{self.run_id}"
        sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=self.repo, capture_output=True, text=True).stdout.strip()
        context = {"github.sha": sha, "github.run_id": str(self.run_id)}
        plan = self.job("plan", context)
        outputs = {name: self.fill(value, {**context, **{f"steps.plan.outputs.{k}": v for k, v in plan.items()}})
                   for name, value in self.jobs["plan"]["outputs"].items()}
        needs = {f"needs.plan.outputs.{k}": v for k, v in outputs.items()}
        counties = json.loads(outputs["counties"])
        for county in counties:
            self.job("county", {**context, **needs, "matrix.county": county}, label=f"county {county}")
        # A county job that fails stops the test, so the county jobs' result is success, or skipped without any.
        self.job("merge", {**context, **needs, "needs.county.result": "success" if counties else "skipped"})
        self.job("deploy", context)
        return outputs

    def fill(self, text: str, context: dict) -> str:
        def value(match: re.Match) -> str:
            name = match.group(1).strip()
            if name.startswith("env."):
                return str(self.top_env[name[4:]])
            if name.startswith("vars."):  # a repository variable not set is empty, as on GitHub
                return self.variables.get(name[5:], "")
            return context[name]  # an expression this stand-in does not know fails the test
        return re.sub(r"\$\{\{\s*([^}]+?)\s*\}\}", value, str(text))

    @staticmethod
    def holds(condition: str, context: dict) -> bool:
        """A step's `if`: comparisons of known context values joined by || and &&."""
        python = re.sub(r"[a-z_]+(\.[a-z_]+)+", lambda m: repr(context[m.group(0)]), condition)
        python = python.replace("||", " or ").replace("&&", " and ")
        assert re.fullmatch(r"[\s'a-z_]*(==|!=|or|and|[\s'a-z_])*", python), condition
        return bool(eval(python))  # noqa: S307 - the workflow's own conditions, reduced to literals above

    def job(self, name: str, context: dict, label: str | None = None) -> dict:
        label = label or name
        # A runner starts from a clean checkout: nothing of an earlier job is left in it.
        for leftover in ("parts", "output", ".gongshi-published.json"):
            path = self.repo / leftover
            shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)
        spec = self.jobs[name]
        env = {**os.environ, **{k: self.fill(v, context) for k, v in {**self.top_env, **spec.get("env", {})}.items()}}
        step_outputs: dict[str, str] = {}
        log = []
        for step in spec["steps"]:
            if "if" in step and not self.holds(step["if"], context):
                continue
            if "run" in step:
                if step.get("name") == "install":
                    continue
                output_file = self.store / "github-output"
                output_file.write_text("", encoding="utf-8")
                done = subprocess.run(["bash", "-e", "-c", self.fill(step["run"], context)], cwd=self.repo,
                                      env={**env, "GITHUB_OUTPUT": str(output_file)}, capture_output=True,
                                      text=True, timeout=600)
                log.append(done.stdout + done.stderr)
                assert done.returncode == 0, f"{label}: {step['run']}\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
                for line in output_file.read_text(encoding="utf-8").splitlines():
                    key, _, value = line.partition("=")
                    step_outputs[key] = value
            else:
                self.uses(step["uses"], {k: self.fill(v, context) for k, v in step.get("with", {}).items()})
        self.logs[label] = "\n".join(log)
        return step_outputs

    def uses(self, action: str, given: dict) -> None:
        name = action.split("@")[0]
        cache = self.store / "cache"
        if name in ("actions/checkout", "actions/setup-python", "actions/deploy-pages"):
            return
        if name == "actions/cache/restore":
            keys = sorted(cache.iterdir(), key=lambda p: p.stat().st_mtime_ns, reverse=True) if cache.is_dir() else []
            hit = next((k for k in keys if k.name == given["key"]), None) or next(
                (k for k in keys if k.name.startswith(given.get("restore-keys", "\0"))), None)
            if hit:
                _copy(hit, self.repo / given["path"])
        elif name == "actions/cache/save":
            if not (cache / given["key"]).exists():  # a cache entry is never overwritten
                _copy(self.repo / given["path"], cache / given["key"])
        elif name == "actions/upload-artifact":
            _copy(self.repo / given["path"], self.artifacts / given["name"])
            if str(given.get("include-hidden-files", "false")).lower() != "true":  # as upload-artifact@v4 does
                for hidden in sorted(self.artifacts.glob(f"{given['name']}/**/.*"), reverse=True):
                    shutil.rmtree(hidden) if hidden.is_dir() else hidden.unlink(missing_ok=True)
        elif name == "actions/download-artifact":
            pattern = re.compile(given["pattern"].replace("*", ".*"))
            for artifact in sorted(self.artifacts.iterdir()) if self.artifacts.is_dir() else ():
                if pattern.fullmatch(artifact.name):
                    shutil.copytree(artifact, self.repo / given["path"], dirs_exist_ok=True, symlinks=True)
        elif name == "actions/upload-pages-artifact":
            _copy(self.repo / given["path"], self.store / "deployed")
        else:
            raise AssertionError(f"the stand-in runner does not know {action}")


def _copy(source: Path, target: Path) -> None:
    if target.exists():
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        shutil.copytree(source, target, symlinks=True)
    elif source.is_file():
        shutil.copy2(source, target)


def _checkout(tmp_path: Path) -> tuple[Path, list[str]]:
    """A git checkout of the project whose data is a generated province of two counties."""
    from gongshi.synth.province import generate_province

    repo = tmp_path / "repo"
    tracked = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                             capture_output=True, text=True).stdout.split("\0")
    for name in filter(None, tracked):
        if name.split("/")[0] in ("data", "history", "keys", "tests") or not (ROOT / name).is_file():
            continue
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, repo / name)
    province = generate_province(tmp_path / "province", 0.002, 1)
    for folder in ("data", "history", "keys"):
        shutil.copytree(tmp_path / "province" / folder, repo / folder, symlinks=True)
    config = repo / "pelicanconf.py"
    config.write_text(re.sub(r'"province_key_fingerprint": "[^"]+"',
                             f'"province_key_fingerprint": "{province["province_key_fingerprint"]}"',
                             config.read_text(encoding="utf-8")), encoding="utf-8")
    for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "two counties"]):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *command], cwd=repo, check=True)
    return repo, sorted(p.name for p in (repo / "data").iterdir())


def _commit(repo: Path, message: str) -> None:
    for command in (["add", "-A"], ["commit", "-q", "-m", message]):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *command], cwd=repo, check=True)


def test_the_workflow_jobs_build_two_counties_then_only_the_changed_one(tmp_path):
    from gongshi.site.sheets import MANIFEST
    from gongshi.synth.bench import change_one_county

    repo, codes = _checkout(tmp_path)
    runner = Runner(repo, tmp_path / "runner", {"GONGSHI_SITEURL": "https://fupin.example.net"})
    # The first run builds both counties, each in a job of its own, and publishes the merged site.
    first = runner.run()
    assert json.loads(first["counties"]) == codes and re.fullmatch(r"\d{4}-\d{2}-\d{2}", first["day"])
    site = tmp_path / "runner" / "deployed"
    assert (site / "index.html").is_file() and (site / "search" / "indexes.json").is_file()
    for code in codes:
        manifest = json.loads((site / code / MANIFEST).read_text(encoding="utf-8"))
        assert manifest and not any(e["pending"] for e in manifest.values())
        assert all((site / code / pdf).is_file() for pdf in manifest), code
        assert code in (site / "index.html").read_text(encoding="utf-8")
        # The repository's variable names the public site: its links and the printed QR codes point there.
        notice = next((site / code / "notice").glob("*/index.html")).read_text(encoding="utf-8")
        assert "<title>https://fupin.example.net/" in notice and "gongshi.example.org" not in notice
    assert json.loads((site / ".gongshi-published.json").read_text(encoding="utf-8"))["day"] == first["day"]
    untouched = {p: p.stat().st_mtime_ns for p in (site / codes[1]).rglob("*") if p.is_file()}
    pdfs = {p: p.stat().st_mtime_ns for p in (site / codes[0]).rglob("*.pdf")}
    # A county signs and releases a correction: the next run builds that county alone.
    changed = change_one_county(repo)
    _commit(repo, f"release {changed}")
    second = runner.run()
    assert json.loads(second["counties"]) == [changed] == [codes[0]]
    assert "merged 1 county folder(s)" in runner.logs["merge"]
    # Its job started from its previous folder: only the sheets that show the corrected project were typeset.
    again = [p for p in pdfs if p.stat().st_mtime_ns != pdfs[p]]
    assert 0 < len(again) < len(pdfs) / 4, (len(again), len(pdfs))
    assert not any(e["pending"] for e in json.loads((site / changed / MANIFEST).read_text(encoding="utf-8")).values())
    assert "（更正）" in "".join(p.read_text(encoding="utf-8") for p in (site / changed / "project").rglob("*.html"))
    # The other county's folder is the one published before, file for file.
    assert {p: p.stat().st_mtime_ns for p in (site / codes[1]).rglob("*") if p.is_file()} == untouched
    # A change no page shows (the documentation) builds no county; the site is still published.
    (repo / "docs" / "scaling.md").write_text("# 说明\n", encoding="utf-8")
    _commit(repo, "docs")
    third = runner.run()
    assert json.loads(third["counties"]) == [] and (site / "index.html").is_file()
    assert all((site / code / MANIFEST).is_file() for code in codes)


def test_the_plan_builds_every_county_on_a_new_day_or_environment_and_only_changed_ones_otherwise(tmp_path,
                                                                                                 monkeypatch):
    import datetime as dt

    from gongshi.ci import environment, plan

    repo = tmp_path / "repo"
    for code in ("510104", "510105"):
        (repo / "data" / code).mkdir(parents=True)
        (repo / "data" / code / "datapackage.json").write_text("{}", encoding="utf-8")
    (repo / "docs").mkdir()
    (repo / "docs" / "a.md").write_text("a", encoding="utf-8")
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    _commit(repo, "first")
    day = dt.date(2026, 12, 2)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True).stdout.strip()
    state = {"commit": head, "day": day.isoformat(), "environment": environment()}

    def planned(**changes) -> list[str]:
        return plan(repo, repo / "data", repo / "history", {**state, **changes}, day)["counties"]

    assert planned() == []
    assert planned(day="2026-12-01") == ["510104", "510105"]  # notices open and close with the day
    assert planned(environment="0" * 16) == ["510104", "510105"]
    assert planned(commit="f" * 40) == ["510104", "510105"]  # a commit this checkout does not have
    assert plan(repo, repo / "data", repo / "history", None, day)["counties"] == ["510104", "510105"]
    (repo / "data" / "510105" / "notices.csv").write_text("notice_id\n", encoding="utf-8")
    (repo / "docs" / "a.md").write_text("b", encoding="utf-8")
    _commit(repo, "a county and the docs")
    assert planned() == ["510105"]
    monkeypatch.setenv("GONGSHI_SITEURL", "https://fupin.example.net")  # a new public address changes every page
    assert planned() == ["510104", "510105"]
    monkeypatch.delenv("GONGSHI_SITEURL")
    (repo / "theme").mkdir()
    (repo / "theme" / "x.css").write_text("p{}", encoding="utf-8")
    _commit(repo, "theme")
    assert planned() == ["510104", "510105"]
