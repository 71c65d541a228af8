"""gongshi: public disclosure of poverty-alleviation funds and projects, as a Pelican plugin."""

from __future__ import annotations

from pelican import signals

from .filters import FILTERS
from .generators import GongshiGenerator
from .jinja_ext import FoldGettext


def get_generators(pelican):
    return GongshiGenerator


def prepare_environment(generator) -> None:
    """Escape every value by default, install gettext and our filters, in every generator's templates."""
    env = generator.env
    env.autoescape = True
    # Templates do not change during a build; a rebuild (invoke serve) makes new generators anyway.
    env.auto_reload = False
    if "jinja2.ext.InternationalizationExtension" not in env.extensions:
        env.add_extension("jinja2.ext.i18n")
    env.install_null_translations(newstyle=True)
    if "gongshi.jinja_ext.FoldGettext" not in env.extensions:
        env.add_extension(FoldGettext)
    env.filters.update(FILTERS)


def register() -> None:
    signals.get_generators.connect(get_generators)
    signals.generator_init.connect(prepare_environment)
