"""gongshi: public disclosure of poverty-alleviation funds and projects, as a Pelican plugin."""

from __future__ import annotations

# Pelican and the page generators are imported when Pelican registers the plugin, not by the command line and
# the checks, which need neither.


def get_generators(pelican):
    from .site.generator import GongshiGenerator

    return GongshiGenerator


def prepare_environment(generator) -> None:
    """Escape every value by default, install gettext and our filters, in every generator's templates."""
    from .site.filters import FILTERS
    from .site.jinja import FoldGettext

    env = generator.env
    env.autoescape = True
    # Templates do not change during a build; a rebuild (invoke serve) makes new generators anyway.
    env.auto_reload = False
    if "jinja2.ext.InternationalizationExtension" not in env.extensions:
        env.add_extension("jinja2.ext.i18n")
    env.install_null_translations(newstyle=True)
    if "gongshi.site.jinja.FoldGettext" not in env.extensions:
        env.add_extension(FoldGettext)
    env.filters.update(FILTERS)


def register() -> None:
    from pelican import signals

    from .site.log import install

    install()
    signals.get_generators.connect(get_generators)
    signals.generator_init.connect(prepare_environment)
