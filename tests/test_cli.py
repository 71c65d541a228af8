"""The command line: exit codes, the three output formats, and help for every command."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from gongshi.cli import main

from conftest import DEMO, GOOD, ROOT, package_with_defect

KEYS = {"code", "severity", "path", "row", "field", "message", "message_en"}


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_clean_package_exits_0():
    result = run("validate", str(GOOD))
    assert result.exit_code == 0, result.output
    assert "检查通过" in result.output and "No problems found" in result.output


def test_demo_validates_clean_through_invoke():
    result = subprocess.run([sys.executable, "-m", "invoke", "validate", "--path", "data/519901"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    # The demo shows a notice that states no period, as real ones do: warnings, no errors.
    assert "0 error(s), 3 warning(s)" in result.stdout
    assert set(re.findall(r"warning: ([a-z-]+)\]", result.stdout)) == {"not-stated", "cannot-judge"}


def test_errors_exit_1_and_name_file_row_column(tmp_path):
    folder = package_with_defect("negative-amount", tmp_path / "pkg")
    result = run("validate", str(folder))
    assert result.exit_code == 1
    assert f"{folder / 'allocations.csv'} 第3行 (row 3) 列 amount (column amount)" in result.output
    assert "不能为负数" in result.output and "below the minimum" in result.output


def test_warnings_alone_exit_0(tmp_path):
    folder = package_with_defect("project-underfunded", tmp_path / "pkg")
    result = run("validate", str(folder))
    assert result.exit_code == 0
    assert "project-underfunded" in result.output


def test_json_format(tmp_path):
    folder = package_with_defect("allocation-overspent", tmp_path / "pkg")
    result = run("validate", str(folder), "--format", "json")
    assert result.exit_code == 1
    problems = json.loads(result.output)
    assert all(set(p) == KEYS for p in problems)
    assert [(p["code"], p["severity"], p["path"], p["row"], p["field"]) for p in problems] == [
        ("allocation-overspent", "error", str(folder / "allocations.csv"), 3, "amount"),
        ("project-overfunded", "warning", str(folder / "projects.csv"), 3, "budget"),
    ]


def test_json_format_clean_is_an_empty_list():
    result = run("validate", str(GOOD), "--format", "json")
    assert result.exit_code == 0 and json.loads(result.output) == []


def test_github_format(tmp_path):
    folder = package_with_defect("notice-period-too-short", tmp_path / "pkg")
    result = run("validate", str(folder), "--format", "github")
    assert result.exit_code == 1
    line, = result.output.strip().splitlines()
    assert line.startswith(f"::error file={folder / 'notices.csv'},line=2,title=notice-period-too-short (end_date)::")


def test_parent_folder_validates_every_county(tmp_path):
    package_with_defect("negative-amount", tmp_path / "data" / "519902")
    import shutil

    shutil.copytree(DEMO, tmp_path / "data" / "519901")
    result = run("validate", str(tmp_path / "data"), "--format", "json")
    assert result.exit_code == 1
    assert {p["path"].split("/")[-2] for p in json.loads(result.output) if p["severity"] == "error"} == {"519902"}


@pytest.mark.parametrize("args", [
    ("validate",),
    ("validate", "no/such/folder"),
    ("validate", str(GOOD), "--format", "xml"),
    ("validate", str(ROOT / "schemas")),
    ("validate", str(GOOD), "--min-notice-days", "0"),
    ("frobnicate",),
])
def test_usage_mistakes_exit_2(args):
    result = run(*args)
    assert result.exit_code == 2, result.output


def test_setting_changes_the_notice_minimum():
    assert run("validate", str(GOOD), "--min-notice-days", "12").exit_code == 1  # its notices run 11 days


def test_every_command_has_help_with_an_example():
    assert "Example" in run("--help").output
    for name, command in main.commands.items():
        result = run(name, "--help")
        assert result.exit_code == 0
        assert command.help and "Example" in result.output, name


def test_console_script_is_installed():
    result = subprocess.run(["gongshi", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and "version" in result.stdout


def test_update_schemas_rewrites_embedded_schemas(tmp_path):
    import shutil

    folder = shutil.copytree(GOOD, tmp_path / "519902")
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0]["schema"]["fields"][0]["title"] = "旧标题"
    (folder / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    before = json.loads(run("validate", str(folder), "--format", "json").output)
    assert [(p["code"], p["field"]) for p in before] == [("schema-outdated", "regions")]
    assert run("update-schemas", str(folder)).exit_code == 0
    assert json.loads(run("validate", str(folder), "--format", "json").output) == []
    assert json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))["gongshi"]["county"] == "519902"


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    commands = readme[readme.index("```sh") + 1:readme.index("```sh") + 3]
    assert "invoke build" in commands[0] and "pytest" in commands[1]
    assert (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1] == commands[1]


def test_every_command_reads_the_settings_the_same_way(tmp_path):
    """--settings (or ./pelicanconf.py): schemas_path, data_path, keys_path and history_path, for every command and
    for the templates' labels."""
    from conftest import build_site

    schemas = tmp_path / "my-schemas"
    shutil.copytree(ROOT / "schemas", schemas)
    projects = schemas / "projects.json"
    projects.write_text(projects.read_text(encoding="utf-8").replace("实施中", "正在实施（本省用语）"), encoding="utf-8")
    config = tmp_path / "site.py"
    config.write_text('GONGSHI = {"schemas_path": "my-schemas", "data_path": "d", "history_path": "h", '
                      '"keys_path": "k", "allow_unsigned": True}\n', encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    def gongshi(*args):
        return subprocess.run([sys.executable, "-m", "gongshi", *args, "--settings", str(config)], cwd=elsewhere,
                              capture_output=True, text=True)

    assert gongshi("new-county", "410503").returncode == 0  # into data_path
    folder = tmp_path / "d" / "410503"
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert "正在实施（本省用语）" in json.dumps(descriptor, ensure_ascii=False)  # the settings' schemas embedded
    assert "schema-outdated" not in gongshi("validate", str(folder)).stdout
    projects.write_text(projects.read_text(encoding="utf-8").replace("（本省用语）", "（本省）"), encoding="utf-8")
    assert "schema-outdated" in gongshi("validate", str(folder)).stdout
    assert gongshi("update-schemas", str(folder)).returncode == 0
    assert "schema-outdated" not in gongshi("validate", str(folder)).stdout
    key = tmp_path / "key"
    assert subprocess.run([sys.executable, "-m", "gongshi", "keygen", "410503", "--out", str(key)],
                          capture_output=True).returncode == 0
    assert gongshi("sign", str(folder), "--key", str(key)).returncode == 0
    assert (tmp_path / "h" / "410503" / "log.jsonl").is_file()  # history_path
    (tmp_path / "k").mkdir()
    verified = gongshi("verify", str(folder))
    assert f"{tmp_path / 'k' / 'allowed_signers'}" in verified.stdout  # keys_path
    assert gongshi("scan", str(folder)).returncode == 0
    # The templates label values from the same schemas.
    shutil.copytree(GOOD, tmp_path / "data" / "519902")
    output = tmp_path / "site"
    built = build_site(tmp_path / "data", output, schemas_path=str(schemas), search=False)
    assert built.returncode == 0, built.stderr
    pages = "".join(p.read_text(encoding="utf-8") for p in (output / "519902" / "project").rglob("index.html"))
    assert "正在实施（本省）" in pages


def test_a_failure_exits_1_with_its_message_and_a_usage_mistake_exits_2(tmp_path):
    broken = tmp_path / "519901.zip"
    broken.write_bytes(b"not a zip")
    result = run("verify", str(broken))
    assert result.exit_code == 1 and "不是可用的 zip" in result.output and "not a usable zip" in result.output
    key = tmp_path / "not-a-key"
    key.write_text("hello", encoding="utf-8")
    package = shutil.copytree(GOOD, tmp_path / "data" / "519902")
    result = run("sign", str(package), "--key", str(key), "--history", str(tmp_path / "history"))
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "Error:" in result.output and "Traceback" not in result.output
    assert run("sign", str(tmp_path), "--key", str(key)).exit_code == 2  # not a package folder
    assert run("verify", str(tmp_path), "--log").exit_code == 2  # no release log there
