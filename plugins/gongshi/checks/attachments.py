"""A notice's attachments (附件): files in the package's `attachments/` folder that the notice names, published
beside it once they are safe: inside the folder, of a kind a villager's phone opens, not too large, and free of
personal ID, mobile and bank numbers and unmasked names (the same scan as every table)."""

from __future__ import annotations

import csv
import io
import subprocess
from collections.abc import Iterator
from pathlib import PurePosixPath

from ..package.load import ATTACHMENTS as FOLDER
from ..package.load import PackageFiles, resource_path
from ..package.records import list_items
from ..problems import Problem, error
from ..schemas import SchemaSet
from .privacy import privacy_problems
from .scan import scan_bytes

KINDS = {".xlsx": "XLSX", ".csv": "CSV", ".pdf": "PDF"}
MAX_BYTES = 20 * 1024 * 1024
def attachment_problems(notices: list[dict], files: PackageFiles, path, schemas: SchemaSet) -> Iterator[Problem]:
    """Refuse an attachment outside attachments/, missing, of another kind, too large, or holding personal data."""
    seen: set[str] = set()
    for notice in notices:
        for name in list_items(notice.get("attachments")):
            if not name.startswith(FOLDER + "/"):
                continue  # not a path in the attachments folder: the schema's pattern says so
            where = (path("notices"), notice["_row"], "attachments")
            target, refusal = resource_path(files.folder, name)
            parts = PurePosixPath(name).parts
            if refusal or "\\" in name or len(parts) < 2 or parts[0] != FOLDER:
                yield error("unsafe-path", *where,
                            f"公示 {notice['notice_id']} 的附件“{name}”不在数据包的 {FOLDER} 文件夹里。请把附件文件放进"
                            f" {FOLDER} 文件夹，这里写 {FOLDER}/文件名。",
                            f"Attachment {name!r} of notice {notice['notice_id']} is not in the package's {FOLDER} "
                            f"folder; put the file there and write {FOLDER}/<file name>.")
                continue
            suffix = PurePosixPath(name).suffix.lower()
            if suffix not in KINDS:
                yield error("attachment-unsupported", *where,
                            f"公示 {notice['notice_id']} 的附件“{name}”不是 XLSX、CSV 或 PDF 文件。请另存为这三种之一"
                            "（图片和 Word 文件无法检查其中的个人信息，不能发布）。",
                            f"Attachment {name!r} is not an XLSX, CSV or PDF file; save it as one of these (the "
                            "personal data in images and Word files cannot be checked).")
                continue
            size = files.digest(name)
            if size is None:
                yield error("file-missing", *where,
                            f"找不到公示 {notice['notice_id']} 的附件“{name}”。请把文件放进 {FOLDER} 文件夹，"
                            "或改正文件名。",
                            f"Attachment {name!r} of notice {notice['notice_id']} is missing.")
                continue
            if size[0] > MAX_BYTES:
                yield error("file-too-large", *where,
                            f"附件“{name}”有 {size[0] // (1024 * 1024)} MB，超过 {MAX_BYTES // (1024 * 1024)} MB。"
                            "请拆分或压缩后再发布。",
                            f"Attachment {name!r} is over {MAX_BYTES // (1024 * 1024)} MB.")
                continue
            if name in seen:
                continue
            seen.add(name)
            yield from _scan(name, files.get(name) or b"", str(target), schemas)


def _scan(name: str, data: bytes, display: str, schemas: SchemaSet) -> list[Problem]:
    """The personal data in an attachment: a workbook or CSV as tables; a PDF's text line by line."""
    if not name.lower().endswith(".pdf"):
        return scan_bytes(data, display, schemas)
    try:
        text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, timeout=60,
                              check=True).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.SubprocessError):
        return [error("file-unreadable", display, None, None, "无法读取这个 PDF 文件，未能检查其中的个人信息，不能发布。",
                      "The PDF cannot be read, so its personal data cannot be checked; it is not published.")]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["text"])
    writer.writerows([line] for line in text.splitlines())
    return list(privacy_problems(buffer.getvalue(), [{"name": "text", "type": "string"}], display))
