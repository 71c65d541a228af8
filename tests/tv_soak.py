"""A soak run of a county's TV slides: a 1080p screen in real headless Chromium left on the rotation for a while, as
a TV in a township hall is left for weeks. After each slide has loaded (and a garbage collection), it records the
renderer's memory (its resident set, and the JavaScript heap), the number of DOM nodes and of documents alive.

    python tests/tv_soak.py SITE [--county 519901] [--seconds 180] [--out soak.json]

The tests run it for a few minutes in the background while the rest of the suite runs (tests/test_tv_soak.py);
`invoke soak --minutes 60` runs it for longer on the site in output/."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).parent))
from conftest import CHROMIUM_ARGS, served  # noqa: E402


def rss_kib(pid: int) -> int:
    """A process's resident set in KiB, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def soak(site: Path, county: str, seconds: float) -> dict:
    samples = []
    with served(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        system = browser.new_browser_cdp_session()
        started = time.monotonic()
        page.goto(f"{base}/{county}/tv/")
        cdp = page.context.new_cdp_session(page)
        while True:
            cdp.send("Performance.enable")
            cdp.send("HeapProfiler.collectGarbage")
            metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
            renderers = [q["id"] for q in system.send("SystemInfo.getProcessInfo")["processInfo"]
                         if q["type"] == "renderer"]
            samples.append({
                "seconds": round(time.monotonic() - started, 1), "url": page.url.split(f"/{county}/", 1)[1],
                "nodes": int(metrics["Nodes"]), "documents": int(metrics["Documents"]),
                "js_heap": int(metrics["JSHeapUsedSize"]), "renderers": len(renderers),
                "rss_kib": sum(rss_kib(pid) for pid in renderers),
                "rss_kib_by_renderer": {str(pid): rss_kib(pid) for pid in renderers}})
            left = seconds - (time.monotonic() - started)
            if left <= 0:
                break
            try:  # the slide's meta refresh moves on by itself; nothing here clicks or navigates
                with page.expect_event("load", timeout=min(left, 130) * 1000):
                    pass
            except Exception:  # noqa: BLE001 - the time is up before the next slide
                break
        browser.close()
    return {"county": county, "seconds": seconds, "samples": samples}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--county", default="519901")
    parser.add_argument("--seconds", type=float, default=180)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    result = soak(args.site, args.county, args.seconds)
    text = json.dumps(result, ensure_ascii=False, indent=1)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")


if __name__ == "__main__":
    main()
