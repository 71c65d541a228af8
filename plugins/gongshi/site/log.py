"""The build log: every gongshi record on one line, whole, in a terminal and in a CI log alike.

Pelican logs through rich, which wraps each record at the terminal's width, or at 80 columns when the output is
not a terminal, and so cuts file paths in two. gongshi's records go to the same console without wrapping: a long
line is left to the terminal, and a log file or CI log gets one record per line that a clerk can search for.
"""

from __future__ import annotations

import logging
import time

LEVEL_STYLES = {"DEBUG": "logging.level.debug", "INFO": "logging.level.info", "WARNING": "logging.level.warning",
                "ERROR": "logging.level.error", "CRITICAL": "logging.level.critical"}


class OneLineHandler(logging.Handler):
    """Print each record as `[HH:MM:SS] LEVEL    message`, never wrapped, on Pelican's console."""

    def __init__(self, console):
        super().__init__()
        self.console = console

    def emit(self, record: logging.LogRecord) -> None:
        from rich.text import Text

        try:
            message = record.getMessage()
            if record.exc_info:
                message += "\n" + logging.Formatter().formatException(record.exc_info)
            line = Text.assemble((time.strftime("[%H:%M:%S]", time.localtime(record.created)), "log.time"), " ",
                                 (f"{record.levelname:<8}", LEVEL_STYLES.get(record.levelname, "")), " ", message)
            self.console.print(line, soft_wrap=True, highlight=False, markup=False, emoji=False)
        except Exception:  # a log line must never stop a build
            self.handleError(record)


def install() -> None:
    """Send the records of gongshi's loggers through a OneLineHandler on Pelican's console (once), when Pelican logs
    through rich; with another handler (`pelican --log-handler plain`), records go to it as they are."""
    from pelican.log import console
    from rich.logging import RichHandler

    log = logging.getLogger("gongshi")
    if not any(isinstance(h, RichHandler) for h in logging.getLogger().handlers):
        return
    if not any(isinstance(h, OneLineHandler) for h in log.handlers):
        log.addHandler(OneLineHandler(console))
    log.propagate = False
