"""The data folder belongs to its owner alone: folders 0700, files 0600, whoever creates them."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

FOLDER_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> None:
    """Create ``path`` and any missing parents as folders only the owner can enter."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=FOLDER_MODE, exist_ok=True)


def private_file(path: Path) -> None:
    """Create ``path`` empty and owner-only unless it exists (SQLite's -wal and -shm files copy its mode).

    An existing file is never opened: closing any descriptor of a database file drops the POSIX
    locks every SQLite connection of this process holds on it, which loses committed writes.
    """
    private_dir(path.parent)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE))


def keep_private(root: Path) -> None:
    """Take group and other permissions off everything under ``root`` (Chroma creates its files 0644)."""
    for folder, _, files in os.walk(root):
        for name, mode in [(folder, FOLDER_MODE), *((os.path.join(folder, f), FILE_MODE) for f in files)]:
            with contextlib.suppress(OSError):  # renamed meanwhile, or not ours: the folder is private anyway
                if os.stat(name).st_mode & 0o077:
                    os.chmod(name, mode)
