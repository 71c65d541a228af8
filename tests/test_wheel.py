"""gongshi installed from a wheel, not from a checkout: it finds its schemas and its reference data."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import DEMO, ROOT


def test_a_wheel_installed_in_a_fresh_venv_validates_the_demo_and_makes_its_forms(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist),
                    str(ROOT)], check=True, capture_output=True, timeout=300)
    (wheel,) = dist.glob("gongshi-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    # Every package of the source tree is in the wheel (pyproject.toml lists them), with the data they read.
    packages = {p.parent.relative_to(ROOT / "plugins").as_posix() for p in (ROOT / "plugins" / "gongshi").rglob("*.py")}
    assert packages <= {Path(n).parent.as_posix() for n in names}, packages
    assert "gongshi/table_schemas/projects.json" in names and "gongshi/package/reference/streets.csv" in names
    # A fresh environment, which borrows the installed dependencies but not gongshi from this checkout.
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True, capture_output=True,
                   timeout=300)
    work = tmp_path / "elsewhere"
    shutil.copytree(DEMO, work / "data" / "519901")
    where = subprocess.run([python, "-c", "import json, gongshi, gongshi.schemas as s; "
                            "print(json.dumps([gongshi.__file__, str(s.default_schemas_dir())]))"],
                           cwd=work, capture_output=True, text=True, check=True)
    module, schemas = json.loads(where.stdout)
    assert module.startswith(str(venv)) and schemas.startswith(str(venv)), (module, schemas)
    result = subprocess.run([python, "-m", "gongshi", "validate", "data/519901"], cwd=work, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0 and "0 error(s)" in result.stdout, result.stdout + result.stderr
    new = subprocess.run([python, "-m", "gongshi", "new-county", "410503"], cwd=work, capture_output=True, text=True)
    assert new.returncode == 0 and (work / "data" / "410503" / "regions.csv").is_file(), new.stderr
    assert "gongshi/form_specs/08-acceptance.yaml" in names
    forms = subprocess.run([python, "-m", "gongshi", "forms", "data/519901", "--out", "forms", "--form", "acceptance"],
                           cwd=work, capture_output=True, text=True, timeout=300)
    assert forms.returncode == 0 and (work / "forms" / "项目验收表-519901-空白.xlsx").is_file(), forms.stderr
