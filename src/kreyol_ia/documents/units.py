"""Helpers every extractor shares: what counts as prose, whitespace, decoding and refusals."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from kreyol_ia.documents.model import DocumentError, ExtractedDocument

BOM = "\ufeff"
_LETTER = re.compile(r"[^\W\d_]")


def translatable(text: str) -> bool:
    """Only text with a letter is worth a translator's time (not "---", "12:30" or "©")."""
    return _LETTER.search(text) is not None


def split_space(text: str) -> tuple[str, str, str]:
    """(leading space, core, trailing space); no regex, so long blank runs cannot stall it."""
    start = len(text) - len(text.lstrip())
    end = max(start, len(text.rstrip()))
    return text[:start], text[start:end], text[end:]


def keep_space(original: str, translation: str) -> str:
    """The translation, wearing the original's leading and trailing whitespace."""
    lead, _, trail = split_space(original)
    return f"{lead}{translation.strip()}{trail}"


@contextmanager
def reading(kind: str) -> Iterator[None]:
    """Library errors on a damaged file become one clear refusal in our own words.

    The parsers raise many types whose text names libraries and internals; none reaches the user.
    """
    try:
        yield
    except DocumentError:
        raise
    except MemoryError as exc:
        raise DocumentError(
            "document_too_complex", f"This {kind} needs more memory than the server allows."
        ) from exc
    except RecursionError as exc:
        raise DocumentError("document_too_complex", f"This {kind} is nested too deeply.") from exc
    except Exception as exc:
        raise DocumentError(
            "corrupt_document", f"This {kind} is damaged or malformed and cannot be read."
        ) from exc


def decode(data: bytes) -> tuple[str, str]:
    """(BOM, text): the BOM is given back on output so the file round-trips byte for byte."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            "invalid_encoding", f"The file is not valid UTF-8 (byte {exc.start}); save it as UTF-8."
        ) from exc
    return (BOM, text[1:]) if text.startswith(BOM) else ("", text)


def document(
    fmt: str,
    units: list[str],
    rebuild: Callable[..., bytes],
    media_type: str,
    suffix: str,
    pages: int = 1,
    hints: list[str] | None = None,
    labels_language: bool = False,
) -> ExtractedDocument:
    """Wrap ``rebuild`` so a wrong number of translations fails loudly, never misplaces text.

    ``hints`` (formatted spans) are translated too, only to put formatting back; untranslated
    hints are passed through when the caller has none, so formatting then falls back. A format
    that ``labels_language`` (HTML's ``lang``) is told the target language.
    """

    def checked(
        translations: list[str], hinted: list[str] | None = None, language: str | None = None
    ) -> bytes:
        if len(translations) != len(units):
            raise DocumentError(
                "translation_count_mismatch",
                f"Expected {len(units)} translations, got {len(translations)}.",
            )
        extra: dict[str, object] = {"language": language} if labels_language else {}
        if hints is not None:
            hinted = list(hints) if hinted is None else hinted
            if len(hinted) != len(hints):
                raise DocumentError(
                    "translation_count_mismatch",
                    f"Expected {len(hints)} span translations, got {len(hinted)}.",
                )
            extra["hinted"] = hinted
        return rebuild(translations, **extra)

    return ExtractedDocument(fmt, units, checked, media_type, suffix, pages, list(hints or []))
