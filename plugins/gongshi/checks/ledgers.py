"""Rules of the ledgers the standard forms keep: performance indicators, payment claims and acceptance levels.

- Every project that has performance indicators has an output, a benefit and a satisfaction indicator, and no
  score above its indicator's weight (绩效目标申报表, 绩效自评表).
- A claim for the final account or the retention money is not made before the project passed its acceptance, and
  a project's claims together do not exceed the money assigned to it (资金报账（拨付）申请表).
- The acceptance levels follow each other: a township acceptance is not dated before the project's village
  acceptance, a county acceptance not before either (项目验收表).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from ..money import yuan
from ..package.records import ROW
from ..problems import Problem, error

Tables = dict[str, list[dict]]
LEVELS = {"output": "产出指标", "benefit": "效益指标", "satisfaction": "满意度指标"}
LEVELS_EN = {"output": "an output", "benefit": "a benefit", "satisfaction": "a satisfaction"}
AFTER_ACCEPTANCE = {"final": "完工结算款", "retention": "质量保证金"}
STAGES = ("village", "township", "county")
STAGE_NAMES = {"village": "村级初验", "township": "乡级复验", "county": "县级验收"}


def ledger_rules(tables: Tables, path) -> Iterator[Problem]:
    yield from indicator_rules(tables.get("indicators") or [], path)
    yield from claim_rules(tables, path)
    yield from acceptance_order(tables.get("acceptances") or [], path)


def indicator_rules(rows: list[dict], path) -> Iterator[Problem]:
    by_project: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_project[row["project_id"]].append(row)
        weight, score = row.get("weight"), row.get("score")
        if weight is not None and score is not None and score > weight:
            yield error("score-over-weight", path("indicators"), row[ROW], "score",
                        f"项目 {row['project_id']} 指标 {row['indicator_id']}（{row['name']}）的得分 {score} 高于分值 "
                        f"{weight}。得分不能超过分值，请改正。",
                        f"Project {row['project_id']}, indicator {row['indicator_id']}: the score {score} is above "
                        f"its weight {weight}.")
    for project, found in by_project.items():
        missing = [level for level in LEVELS if all(r["level1"] != level for r in found)]
        if missing:
            yield error("indicators-incomplete", path("indicators"), found[0][ROW], "level1",
                        f"项目 {project} 的绩效指标缺少{'、'.join(LEVELS[m] for m in missing)}。"
                        "每个项目至少要有一个产出指标、一个效益指标和一个满意度指标：请照绩效目标申报表补上。",
                        f"Project {project} lacks {' and '.join(LEVELS_EN[m] for m in missing)} indicator: every "
                        "project needs at least one output, one benefit and one satisfaction indicator.")


def _ceilings(tables: Tables) -> dict[str, Decimal]:
    """The money assigned to each project: the sum of its project funds where each states an amount, otherwise
    its total investment."""
    funds: dict[str, list] = defaultdict(list)
    for row in tables.get("project_funds") or []:
        funds[row["project_id"]].append(row.get("amount"))
    out = {}
    for project in tables.get("projects") or []:
        amounts = funds.get(project["project_id"])
        if amounts and all(a is not None for a in amounts):
            out[project["project_id"]] = sum(amounts, Decimal(0))
        elif project.get("budget") is not None:
            out[project["project_id"]] = project["budget"]
    return out


def claim_rules(tables: Tables, path) -> Iterator[Problem]:
    claims = tables.get("disbursements") or []
    if not claims:
        return
    acceptances: dict[str, list[dict]] = defaultdict(list)
    for row in tables.get("acceptances") or []:
        acceptances[row["project_id"]].append(row)
    ceilings = _ceilings(tables)
    claimed: dict[str, Decimal] = defaultdict(Decimal)
    for row in sorted(claims, key=lambda r: (str(r.get("applied_on") or ""), r[ROW])):
        project, stage, day = row["project_id"], row.get("stage"), row.get("applied_on")
        if stage in AFTER_ACCEPTANCE and day:
            if accepted_as_of(acceptances.get(project, []), day) is None:
                later = sorted(r["accepted_on"] for r in acceptances.get(project, [])
                               if r.get("result") == "passed" and r.get("accepted_on") and r["accepted_on"] > day)
                accepted = later[0] if later else None
                when = f"到 {accepted.isoformat()} 才验收合格" if accepted else "在这一天还没有验收合格"
                yield error("claim-before-acceptance", path("disbursements"), row[ROW], "applied_on",
                            f"报账 {row['disbursement_id']} 申请{AFTER_ACCEPTANCE[stage]}的日期是 {day.isoformat()}，"
                            f"但项目 {project} {when}。{AFTER_ACCEPTANCE[stage]}要在项目验收合格之后才能申请：请核对"
                            "申请日期，或先把验收记录导入（项目验收表）。",
                            f"Claim {row['disbursement_id']} asks for the {stage} payment on {day.isoformat()}, but "
                            f"project {project} " + (f"passed its acceptance only on {accepted.isoformat()}" if accepted
                                                     else "had not passed its acceptance by then") + ".")
        if row.get("amount") is None or project not in ceilings:
            continue
        claimed[project] += row["amount"]
        if claimed[project] > ceilings[project]:  # this claim and every later one: each must be looked at
            yield error("claims-over-funds", path("disbursements"), row[ROW], "amount",
                        f"项目 {project} 的报账加上报账 {row['disbursement_id']} 合计 {yuan(claimed[project])}，超过了安排给它的"
                        f"资金 {yuan(ceilings[project])}。请核对金额，或先调整项目资金。",
                        f"Project {project}'s claims up to {row['disbursement_id']} add up to {claimed[project]} "
                        f"yuan, above the {ceilings[project]} yuan assigned to it.")


def accepted_as_of(rows: list[dict], day) -> object | None:
    """The day since which a project stood accepted on `day`, from its acceptances up to that day: its first pass,
    counted again from the next pass after an acceptance that did not pass (a township 限期整改 after a village pass
    undoes it until the re-check passes). Later acceptances do not change what a claim on `day` could rely on."""
    since = None
    for row in sorted((r for r in rows if r.get("accepted_on") and r["accepted_on"] <= day),
                      key=lambda r: r["accepted_on"]):
        if row.get("result") != "passed":
            since = None
        elif since is None:
            since = row["accepted_on"]
    return since


def acceptance_order(rows: list[dict], path) -> Iterator[Problem]:
    earliest: dict[tuple[str, str], object] = {}
    for row in rows:
        key = (row["project_id"], row.get("stage"))
        if row.get("accepted_on") and key[1] in STAGES:
            earliest[key] = min(earliest.get(key, row["accepted_on"]), row["accepted_on"])
    for row in rows:
        stage, day = row.get("stage"), row.get("accepted_on")
        if stage not in STAGES or not day:
            continue
        for lower in STAGES[:STAGES.index(stage)]:
            before = earliest.get((row["project_id"], lower))
            if before and day < before:
                yield error("acceptance-order", path("acceptances"), row[ROW], "accepted_on",
                            f"项目 {row['project_id']} 的{STAGE_NAMES[stage]}（{day.isoformat()}）早于{STAGE_NAMES[lower]}"
                            f"（{before.isoformat()}）。验收要按村级初验、乡级复验、县级验收的顺序进行：请核对日期和验收层级。",
                            f"Project {row['project_id']}: the {stage} acceptance ({day.isoformat()}) is dated before "
                            f"the {lower} acceptance ({before.isoformat()}); the levels go village, township, county.")
                break
