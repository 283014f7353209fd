"""Fetching a catalogue model's files from the model hub (``HF_ENDPOINT`` names another one).

Only the files a conversion reads are fetched, at the commit the hub names now; downloads land
in ``<models dir>/.downloads`` and resume there after an interruption; every large file's
SHA-256 is checked against the hub's record before anything is converted.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kreyol_ia.models.catalogue import known_model
from kreyol_ia.models.install import InstallError

WANTED = (
    "config.json",
    "generation_config.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "vocab.json",
    "*.spm",
    "*.model",
    "model.safetensors",
    "pytorch_model.bin",
    "decoder.yml",
    "*.vocab.yml",
    "*.npz",
)


@contextmanager
def download(name: str, downloads: Path) -> Iterator[tuple[Path, str]]:
    """The checkpoint directory of catalogue model ``name`` and ``repo@commit`` it came from."""
    known = known_model(name)
    if known is None:
        raise InstallError(f"{name} is not in the catalogue: only its models download; use --from")
    from huggingface_hub import HfApi, snapshot_download
    from huggingface_hub.errors import HfHubHTTPError, LocalEntryNotFoundError

    endpoint = os.environ.get("HF_ENDPOINT") or None  # read now, not when the library loaded
    try:
        info = HfApi(endpoint=endpoint).model_info(known.repo, files_metadata=True)
        files = {
            sibling.rfilename: sibling
            for sibling in info.siblings or []
            if any(fnmatch.fnmatch(sibling.rfilename, pattern) for pattern in WANTED)
        }
        if "model.safetensors" in files:  # the same weights, without unpickling anything
            files.pop("pytorch_model.bin", None)
        if not files:
            raise InstallError(f"{known.repo} holds none of the files a model needs")
        path = Path(
            snapshot_download(
                known.repo,
                revision=info.sha,
                allow_patterns=list(files),
                cache_dir=downloads,
                endpoint=endpoint,
            )
        )
    except (HfHubHTTPError, LocalEntryNotFoundError, OSError, _transport_error()) as exc:
        raise InstallError(f"could not download {known.repo}: {exc}") from exc
    for filename, sibling in files.items():
        if sibling.lfs is not None:
            _check(path / filename, sibling.lfs.sha256)
    yield path, f"{known.repo}@{info.sha}"


def _transport_error() -> type[Exception]:
    """The HTTP library's base error: httpx2 for huggingface_hub 2, httpx before."""
    try:
        from httpx2 import HTTPError
    except ImportError:
        from httpx import HTTPError
    return HTTPError


def _check(path: Path, expected: str) -> None:
    """The downloaded file is what the hub recorded; if not, it is deleted (fetched anew next
    time) and the install refused."""
    with path.open("rb") as handle:
        found = hashlib.file_digest(handle, "sha256").hexdigest()
    if found != expected:
        path.resolve().unlink(missing_ok=True)
        raise InstallError(
            f"{path.name} does not match the hub's checksum (sha256 {found[:12]}… instead of "
            f"{expected[:12]}…); it was deleted: run the install again"
        )
