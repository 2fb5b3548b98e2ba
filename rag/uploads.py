"""Uploaded files (HTTP or the chat UI) to Articles, without ever using a client's file name as a path.

Each file is written as ``<temp dir>/<safe name>``: the folder is generated, and the safe name
keeps only the letters, digits, dots, dashes and underscores of the client's base name (and its
extension, which picks the loader). The safe name is what the report and the stored article show.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path, PurePosixPath

from rag.loaders import load_file
from rag.settings import Settings
from rag.types import Article, Failure, Upload

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_MAX_NAME = 100


def safe_name(filename: str, index: int) -> str:
    """A file name made only of safe characters, with the original extension when there is one."""
    base = PurePosixPath(filename.replace("\\", "/")).name
    stem, dot, extension = base.rpartition(".")
    if not dot:
        stem, extension = base, ""
    # The stem and extension are cleaned apart, so "日本.txt" keeps its ".txt" (and its loader).
    stem = _UNSAFE.sub("_", stem).strip("._-")[:_MAX_NAME] or f"upload-{index}"
    extension = _UNSAFE.sub("", extension).lower()[:10]
    return f"{stem}.{extension}" if extension else stem


def load_upload(upload: Upload, index: int, settings: Settings) -> list[Article | Failure]:
    """Every article in one uploaded file, or why it failed, named by its safe name."""
    name = safe_name(upload.filename, index)
    with tempfile.TemporaryDirectory(prefix="rag-upload-") as folder:
        path = Path(folder) / name
        with path.open("wb") as out:
            if isinstance(upload.content, bytes):
                out.write(upload.content)
            else:
                shutil.copyfileobj(upload.content, out)
        return [_renamed(item, name, str(path)) for item in load_file(path, settings)]


def _renamed(item: Article | Failure, name: str, path: str) -> Article | Failure:
    """Name the source by its safe name, so no temporary path reaches the catalogue or the client.

    A failure keeps what followed the path (a JSON record's ``#n``), so the user can find the record;
    an article keeps the whole record source (``json:feed.jsonl#2``), as when the file is read from
    disk: its id comes from it, so records sharing a title stay apart and match the CLI's ids.
    """
    if isinstance(item, Failure):
        _, found, after = item.source.partition(path)
        return Failure(name + (after if found else ""), item.reason)
    return replace(item, source=item.source.replace(path, name, 1) if path in item.source else name)
