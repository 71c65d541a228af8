"""The Typst helper process of site/typeset.py: reads documents to typeset from stdin, writes PDFs to stdout.

Each request is a length-prefixed JSON frame {"template", "stamp", "inputs"}; each answer a status byte (0 for a
PDF, 1 for Typst's error message) and a length-prefixed payload. The process ends when its stdin closes, that is
when the process that started it ends.
"""

from __future__ import annotations

import json
import struct
import sys


def main() -> None:
    import typst

    from .typeset import _compiler

    source, sink = sys.stdin.buffer, sys.stdout.buffer
    while True:
        head = source.read(4)
        if len(head) < 4:
            return
        request = json.loads(source.read(struct.unpack(">I", head)[0]))
        try:
            from pathlib import Path

            pdf = _compiler(Path(request["template"]), tuple(request["stamp"])).compile(
                format="pdf", pdf_tags=False, sys_inputs=request["inputs"])
            status, payload = 0, pdf
        except typst.TypstError as error:
            status, payload = 1, str(error).encode("utf-8")
        except Exception as error:  # noqa: BLE001 (any failure is the document's, reported to the caller)
            status, payload = 1, f"{type(error).__name__}: {error}".encode()
        sink.write(struct.pack(">BI", status, len(payload)) + payload)
        sink.flush()


if __name__ == "__main__":
    main()
