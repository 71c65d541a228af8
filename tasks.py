"""Project tasks, run with `invoke <task>`."""

from pathlib import Path

from invoke import task

ROOT = Path(__file__).resolve().parent


@task
def demo(c):
    """Regenerate the demo county package data/519901 from its seeded script."""
    from gongshi.synth import write_demo

    write_demo(ROOT / "data" / "519901")
