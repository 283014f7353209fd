"""Uploaded and translated files on disk, one private directory per job."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

_UNSAFE = re.compile(r"[^\w.\- ]+", re.UNICODE)


MAX_NAME = 120
MAX_SUFFIX = 16


def safe_filename(name: str, fallback: str = "document") -> str:
    """A download name with no path, control characters or quotes (header and disk safe).

    A long name loses the end of its stem, never its extension (which decides the format).
    """
    base = Path(name.replace("\\", "/")).name
    cleaned = _UNSAFE.sub("_", base).strip(" .")
    stem, dot, suffix = cleaned.rpartition(".")
    if not dot or not stem or len(suffix) > MAX_SUFFIX:
        stem, suffix = cleaned, ""
    stem = stem[: MAX_NAME - len(suffix) - 1].rstrip(" .")
    cleaned = f"{stem}.{suffix}" if suffix else stem
    return cleaned if stem else fallback


class DocumentStore:
    """``<data_dir>/documents/<task_id>/{upload,result}``, created with mode 0700/0600."""

    def __init__(self, root: Path):
        self.root = root

    def _dir(self, task_id: str) -> Path:
        if not re.fullmatch(r"[0-9a-f]{32}", task_id):
            raise ValueError("invalid task id")
        return self.root / task_id

    def _write(self, path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = path.with_suffix(".tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        temporary.replace(path)

    def save_upload(self, task_id: str, data: bytes) -> None:
        self._write(self._dir(task_id) / "upload", data)

    def read_upload(self, task_id: str) -> bytes:
        return (self._dir(task_id) / "upload").read_bytes()

    def save_result(self, task_id: str, data: bytes) -> Path:
        path = self._dir(task_id) / "result"
        self._write(path, data)
        return path

    def result_path(self, task_id: str) -> Path | None:
        path = self._dir(task_id) / "result"
        return path if path.exists() else None

    def delete(self, task_id: str) -> None:
        shutil.rmtree(self._dir(task_id), ignore_errors=True)
