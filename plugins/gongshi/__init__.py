"""gongshi: public disclosure of poverty-alleviation funds and projects, as a Pelican plugin."""

from __future__ import annotations

# Pelican and the page generators are imported when Pelican registers the plugin, not by the command line and
# the checks, which need neither.


def get_generators(pelican):
    from .site.generator import GongshiGenerator

    return GongshiGenerator


def write_sitemaps(pelican) -> None:
    """Once every page is written (the prose pages too): the site's sitemap index and robots.txt."""
    from .site.generator import finish_site

    finish_site(pelican)


def register() -> None:
    from pelican import signals

    from .site.jinja import prepare_environment
    from .site.log import install

    install()
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(write_sitemaps)
    signals.generator_init.connect(prepare_environment)
