"""Template text marked for translation costs nothing at render time while there is no translation catalogue.

Templates write fixed text as `{{ _("首页") }}` so that a catalogue can translate it one day. With Jinja's i18n
extension every such call runs at render time, which was about 40% of the time to render a page. This extension
rewrites `_("literal")` into the literal, marked safe as gettext would, while the template is compiled, so the text
becomes part of the compiled page; calls with anything other than one plain string are left to gettext.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import markupsafe
from jinja2 import Template
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from markupsafe import Markup
from markupsafe._speedups import _escape_inner


class FoldGettext(Extension):
    """Replace `_("text")` by `"text"|safe` in the token stream."""

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        pending: list[Token] = []
        for token in stream:
            pending.append(token)
            if len(pending) < 4:
                continue
            name, lparen, text, rparen = pending
            if (name.type == "name" and name.value == "_" and lparen.type == "lparen" and text.type == "string"
                    and rparen.type == "rparen"):
                # gettext marks its text safe (Markup), so the folded text is too.
                yield text
                yield Token(text.lineno, "pipe", "|")
                yield Token(text.lineno, "name", "safe")
                pending.clear()
            else:
                yield pending.pop(0)
        yield from pending


_new = str.__new__


def escape(value, /) -> Markup:
    """markupsafe.escape, the same result made sooner for the values a page prints most.

    Every `{{ value }}` of an autoescaped template calls escape; most values are plain text, text already marked
    safe (a macro's output, a literal) or whole numbers. markupsafe makes each result through Markup's own
    constructor, written in Python, which asks again whether the text is markup: about 60% of escape's time. Here
    text is escaped by markupsafe's own C function and wrapped directly; safe text is returned as it is, as
    Markup's `__html__` would give it; numbers have nothing to escape. Anything else goes to markupsafe.
    """
    kind = type(value)
    if kind is str:
        return _new(Markup, _escape_inner(value))
    if kind is Markup:
        return value
    if kind is int:
        return _new(Markup, int.__repr__(value))
    return markupsafe.escape(value)


class FastEscapeTemplate(Template):
    """A template whose `{{ value }}` outputs are escaped by `escape` above instead of markupsafe's."""

    @classmethod
    def _from_namespace(cls, environment, namespace, globals):  # noqa: A002 (Jinja's own name)
        namespace["escape"] = escape
        return super()._from_namespace(environment, namespace, globals)


def prepare_environment(generator) -> None:
    """Escape every value by default, install gettext and our filters, in every generator's templates."""
    from ..schemas import load_schemas
    from ..settings import SettingsError, from_dict
    from .filters import filters

    try:
        schemas_path = from_dict(generator.settings.get("GONGSHI"),
                                 base=Path(generator.settings["PATH"]).resolve().parent).schemas_path
    except SettingsError:
        schemas_path = None  # the generator reports the wrong setting
    env = generator.env
    env.autoescape = True
    env.template_class = FastEscapeTemplate
    # Templates do not change during a build; a rebuild (invoke serve) makes new generators anyway.
    env.auto_reload = False
    if "jinja2.ext.InternationalizationExtension" not in env.extensions:
        env.add_extension("jinja2.ext.i18n")
    env.install_null_translations(newstyle=True)
    if "gongshi.site.jinja.FoldGettext" not in env.extensions:
        env.add_extension(FoldGettext)
    env.filters.update(filters(load_schemas(schemas_path)))
