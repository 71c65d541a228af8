"""Frictionless validates a county's tables against the shared schemas: the reference for what every schema check
means. The column engine (`checks/schema.py`) must report what this reports; tests/test_differential.py runs both."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..problems import Problem, error
from ..schemas import SchemaSet
from .messages import LIMIT_ERRORS, code_of, translate


def schema_problems(folder: Path, present: list[str], display, schemas: SchemaSet) -> Iterator[Problem]:
    """Yield every Frictionless error of the tables in folder (one <resource>.csv each), against shared schemas.

    `display(resource)` gives the path to name in each problem.
    """
    resources = []
    for name in present:
        schema = {k: v for k, v in schemas.tables[name].items() if k != "$schema"}
        # A foreign key into a missing table cannot be checked; the missing table is reported already.
        keys = [fk for fk in schema.get("foreignKeys", []) if fk["reference"]["resource"] in present]
        schema = {**schema, "foreignKeys": keys}
        resources.append({"name": name, "path": f"{name}.csv", "schema": schema, "format": "csv", "encoding": "utf-8"})
    if not resources:
        return
    from frictionless import Package, system

    with system.use_context(trusted=False):
        frictionless_package = Package({"name": "county", "resources": resources}, basepath=str(folder))
        report = frictionless_package.validate(limit_errors=LIMIT_ERRORS)
    for task in report.tasks:
        for err in task.errors:
            yield translate(err, task.name, display(task.name), schemas)
    for err in report.errors:
        yield error(code_of(err.type), str(folder), None, None, f"数据包无法检查：{err.note}", err.message)
