"""The GONGSHI setting: one dict, checked once, with defaults."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, fields
from pathlib import Path

from .problems import GongshiError
from .schemas import default_schemas_dir

PAPERS = {"A4": "A4 portrait", "A3": "A3 landscape"}
# Wide tables (the project notices' fields) print on A3 landscape; lists with few columns on A4 portrait.
DEFAULT_PAPER = {"allocation-result": "A4", "allocation-and-projects": "A3", "project-plan": "A3",
                 "before-start": "A3", "after-completion": "A3", "households": "A4"}

# days_after: days a notice stays on TV, LED and SMS after its period; slide_seconds: how long a TV slide shows;
# crawl_speed: the crawl's speed in characters a second (at most 6: faster cannot be read); sms_signature: the
# 【签名】 registered with the SMS platform (None: the county's name).
DEFAULT_BROADCAST = {"days_after": 0, "slide_seconds": 15, "crawl_speed": 4, "sms_signature": None}
MAX_CRAWL_SPEED = 6


class SettingsError(GongshiError, ValueError):
    """A GONGSHI setting is wrong; the message says which and why."""


@dataclass(frozen=True)
class Settings:
    """What gongshi needs to know, from GONGSHI in pelicanconf.py or from the command line."""

    data_path: Path = Path("data")
    schemas_path: Path = field(default_factory=default_schemas_dir)
    min_notice_days: int = 10
    national_hotline: str = "12317"
    # The day the site is built for ("notices in their period now"); None means today.
    today: dt.date | None = None
    # Link to folder/index.html instead of folder/, so a build opened from disk (file://) can be browsed.
    index_links: bool = False
    # The trust file keys/allowed_signers, signed by the province key with this fingerprint.
    keys_path: Path = Path("keys")
    # Every published version of each county and its signed, hash-chained release log.
    history_path: Path = Path("history")
    province_key_fingerprint: str | None = None
    # Local previews only: publish packages whose signature does not verify, marked as unverified.
    allow_unsigned: bool = False
    # A table larger than this is refused before it is read.
    max_file_bytes: int = 200 * 1024 * 1024
    max_rows: int = 2_000_000
    # Counties built at once, each in its own process; None means one per CPU core.
    workers: int | None = None
    # Index each county's pages for search (Pagefind).
    search: bool = True
    # Typeset each wall notice's PDF (Typst) after the pages; `invoke pdf` renders them on demand.
    pdf: bool = True
    # The paper each kind of notice prints on by default, "A4" (portrait) or "A3" (landscape); both are offered.
    paper: dict = field(default_factory=lambda: dict(DEFAULT_PAPER))
    # TV, crawl, LED, SMS and feeds (电视播、掌中看): see DEFAULT_BROADCAST.
    broadcast: dict = field(default_factory=lambda: dict(DEFAULT_BROADCAST))
    # Supervision thresholds, only ever stricter than the rules' (gongshi.supervision.THRESHOLDS), and the
    # working-day calendar of years the official one does not know yet: {"calendar": {"2027": {"holidays": [...],
    # "workdays": [...]}}}.
    supervision: dict = field(default_factory=dict)
    # Open data: the OC4IDS prefix the Open Contracting Partnership assigns (oc4ids- and six letters or digits; the
    # default is a placeholder), and the address of the licence the data is published under (None: not stated).
    oc4ids_prefix: str = "oc4ids-gongsh"
    data_license: str | None = None

    def current_date(self) -> dt.date:
        """The day the site is built for: `today`, else the day it is in China (a build on a UTC machine before
        08:00 Beijing time is of the Chinese day, as `gongshi supervise` judges it)."""
        from .dates import china_today

        return self.today or china_today()


def from_dict(raw: dict | None, base: Path | None = None) -> Settings:
    """Check the GONGSHI dict and return Settings; relative paths are taken from `base`."""
    raw = dict(raw or {})
    known = {f.name for f in fields(Settings)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise SettingsError(f"gongshi: unknown GONGSHI setting(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    return Settings(**_paths(raw, base or Path.cwd()), **_flags(raw), **_numbers(raw), **_others(raw))


def _paths(raw: dict, base: Path) -> dict:
    """The folders, relative ones taken from base; data/, keys/ and history/ there by default."""
    values: dict = {}
    for key in ("data_path", "schemas_path", "keys_path", "history_path"):
        if raw.get(key) is not None:
            path = Path(raw[key])
            values[key] = path if path.is_absolute() else base / path
    for key in ("data_path", "keys_path", "history_path"):
        values.setdefault(key, base / key.removesuffix("_path"))
    return values


def _flags(raw: dict) -> dict:
    values = {}
    for key in ("index_links", "allow_unsigned", "search", "pdf"):
        if key in raw:
            if not isinstance(raw[key], bool):
                raise SettingsError(f"gongshi: {key} must be True or False, got {raw[key]!r}")
            values[key] = raw[key]
    return values


def _numbers(raw: dict) -> dict:
    values = {}
    if "min_notice_days" in raw:
        days = raw["min_notice_days"]
        if not isinstance(days, int) or isinstance(days, bool) or days < 1:
            raise SettingsError(f"gongshi: min_notice_days must be a whole number of days >= 1, got {days!r}")
        values["min_notice_days"] = days
    for key in ("max_file_bytes", "max_rows", "workers"):
        if raw.get(key) is not None:
            if not isinstance(raw[key], int) or isinstance(raw[key], bool) or raw[key] < 1:
                raise SettingsError(f"gongshi: {key} must be a whole number >= 1, got {raw[key]!r}")
            values[key] = raw[key]
    return values


def _others(raw: dict) -> dict:
    """The paper sizes, the province key, the hotline and the build day."""
    values: dict = {}
    if raw.get("paper") is not None:
        paper = raw["paper"]
        if not isinstance(paper, dict) or set(paper) - set(DEFAULT_PAPER) or set(paper.values()) - set(PAPERS):
            raise SettingsError(f"gongshi: paper must map notice kinds ({', '.join(DEFAULT_PAPER)}) to "
                                f"{' or '.join(PAPERS)}, got {paper!r}")
        values["paper"] = {**DEFAULT_PAPER, **paper}
    if raw.get("broadcast") is not None:
        values["broadcast"] = _broadcast(raw["broadcast"])
    if raw.get("province_key_fingerprint") is not None:
        fingerprint = str(raw["province_key_fingerprint"])
        if not fingerprint.startswith("SHA256:"):
            raise SettingsError(f"gongshi: province_key_fingerprint must look like SHA256:..., got {fingerprint!r}")
        values["province_key_fingerprint"] = fingerprint
    if raw.get("supervision") is not None:
        values["supervision"] = _supervision(raw["supervision"])
    if "national_hotline" in raw:
        values["national_hotline"] = str(raw["national_hotline"])
    if raw.get("oc4ids_prefix") is not None:
        prefix = str(raw["oc4ids_prefix"])
        if not re.fullmatch(r"oc4ids-[a-z0-9]{6}", prefix):
            raise SettingsError(f"gongshi: oc4ids_prefix must be oc4ids- and six lowercase letters or digits, as the "
                                f"Open Contracting Partnership assigns it, got {prefix!r}")
        values["oc4ids_prefix"] = prefix
    if raw.get("data_license") is not None:
        license_url = str(raw["data_license"])
        if not re.fullmatch(r"https?://\S+", license_url):
            raise SettingsError(f"gongshi: data_license must be the licence's web address, got {license_url!r}")
        values["data_license"] = license_url
    if raw.get("today") is not None:
        today = raw["today"]
        if isinstance(today, str):
            try:
                today = dt.date.fromisoformat(today)
            except ValueError as exc:
                raise SettingsError(f"gongshi: today must be a date like 2026-11-21, got {today!r}") from exc
        if not isinstance(today, dt.date):
            raise SettingsError(f"gongshi: today must be a date, got {today!r}")
        values["today"] = today
    return values


def read(settings_file: str | Path | None = None, **overrides) -> tuple[Settings, dict]:
    """GONGSHI from a Pelican settings file, the way every command and the build read it: the file given, else
    ./pelicanconf.py when there is one, else the defaults. Relative paths are taken from the file's folder.
    `overrides` replace settings (as command options do). Returns the settings and all of Pelican's settings."""
    candidate = Path(settings_file) if settings_file else Path("pelicanconf.py")
    pelican: dict = {}
    if settings_file or candidate.is_file():
        from pelican.settings import read_settings

        pelican = dict(read_settings(str(candidate)))
    raw = {**(pelican.get("GONGSHI") or {}), **{k: v for k, v in overrides.items() if v is not None}}
    return from_dict(raw, base=candidate.parent.resolve() if pelican else None), pelican


def _broadcast(raw) -> dict:
    if not isinstance(raw, dict) or set(raw) - set(DEFAULT_BROADCAST):
        raise SettingsError(f"gongshi: broadcast takes {', '.join(DEFAULT_BROADCAST)}, got {raw!r}")
    values = {**DEFAULT_BROADCAST, **raw}
    for key, low, high in (("days_after", 0, 60), ("slide_seconds", 5, 120)):
        if not isinstance(values[key], int) or isinstance(values[key], bool) or not low <= values[key] <= high:
            raise SettingsError(f"gongshi: broadcast {key} must be a whole number from {low} to {high}, "
                                f"got {values[key]!r}")
    speed = values["crawl_speed"]
    if not isinstance(speed, (int, float)) or isinstance(speed, bool) or not 1 <= speed <= MAX_CRAWL_SPEED:
        raise SettingsError(f"gongshi: broadcast crawl_speed is in characters a second, from 1 to "
                            f"{MAX_CRAWL_SPEED} (faster cannot be read), got {speed!r}")
    signature = values["sms_signature"]
    if signature is not None and (not isinstance(signature, str) or not 2 <= len(signature) <= 12
                                  or set(signature) & set("【】[]")):
        raise SettingsError(f"gongshi: broadcast sms_signature is the SMS platform's 签名, 2 to 12 characters "
                            f"without 【】, got {signature!r}")
    return values


def _supervision(raw) -> dict:
    """The supervision thresholds, each at most as lenient as the rule's, and the calendar's added years."""
    from .supervision import thresholds

    if not isinstance(raw, dict):
        raise SettingsError(f"gongshi: supervision must be a dict of thresholds, got {raw!r}")
    _, refused = thresholds(raw)
    if refused:
        raise SettingsError("gongshi: " + "; ".join(refused))
    for year, days in (raw.get("calendar") or {}).items():
        try:
            int(year)
            for day in [*days.get("holidays", ()), *days.get("workdays", ())]:
                dt.date.fromisoformat(str(day))
        except (TypeError, ValueError, AttributeError) as exc:
            raise SettingsError(f"gongshi: supervision calendar {year!r} must list holidays and workdays as dates "
                                f"like 2027-01-01, got {days!r}") from exc
    return dict(raw)
