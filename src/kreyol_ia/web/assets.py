"""The web's static files, read once into memory with their gzip form, digest and ETag.

They are few and small (the Swagger/ReDoc bundles are the largest), so serving them from memory
costs nothing per request; the digest in every URL lets browsers keep them for a year.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import mimetypes
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import fastapi_offline

from kreyol_ia.web.catalogue import merged_catalogues

STATIC_DIR = Path(str(files("kreyol_ia.web").joinpath("static")))
OFFLINE_DOCS_DIR = Path(fastapi_offline.__file__).parent / "static"
# the files of fastapi-offline this service serves, under docs/
OFFLINE_DOCS_FILES = ("swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js")
TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".woff2": "font/woff2",
}
COMPRESSIBLE = {".js", ".css", ".json", ".svg"}
# ReDoc's footer loads its maker's logo from a CDN; offline (and under our CSP) it would fail
REDOC_LOGO = b'src:"https://cdn.redoc.ly/redoc/logo-mini.svg"'


@dataclass(frozen=True, slots=True)
class Asset:
    """One file as served: bytes, gzip bytes (when worth it), type and strong ETag."""

    body: bytes
    gzipped: bytes | None
    media_type: str
    etag: str


class Assets:
    """Every static file by its path below ``/static/<digest>/``."""

    def __init__(self) -> None:
        raw = _read_tree(STATIC_DIR)
        for name in OFFLINE_DOCS_FILES:
            raw[f"docs/{name}"] = (OFFLINE_DOCS_DIR / name).read_bytes()
        icon = raw["icons/favicon.svg"]
        raw["docs/redoc.standalone.js"] = raw["docs/redoc.standalone.js"].replace(
            REDOC_LOGO, b'src:"data:image/svg+xml;base64,' + base64.b64encode(icon) + b'"'
        )
        for language, catalogue in merged_catalogues().items():
            raw[f"i18n/{language}.json"] = catalogue
        self.files = {path: _asset(path, body) for path, body in raw.items()}
        digest = hashlib.sha256()
        for path in sorted(self.files):
            digest.update(path.encode() + b"\0" + self.files[path].etag.encode())
        self.digest = digest.hexdigest()[:12]

    def url(self, path: str) -> str:
        """The address of a file, with the digest that makes it cacheable for ever."""
        return f"/static/{self.digest}/{path}"

    def get(self, path: str) -> Asset | None:
        """The file at ``path``, or None (never a file outside the table: no traversal)."""
        return self.files.get(path)


def _read_tree(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    }


def _asset(path: str, body: bytes) -> Asset:
    suffix = Path(path).suffix
    media_type = TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"
    gzipped = None
    if suffix in COMPRESSIBLE and len(body) > 512:
        gzipped = gzip.compress(body, compresslevel=9, mtime=0)
    return Asset(body, gzipped, media_type, '"' + hashlib.sha256(body).hexdigest()[:20] + '"')
