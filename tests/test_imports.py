"""Importing translation memories (TMX, TSV) and storing them in the database on both backends."""

from __future__ import annotations

import pytest

from kreyol_ia.db import DatabaseManager
from kreyol_ia.translation.imports import (
    ImportRow,
    normalise_language,
    parse_file,
    parse_tmx,
    parse_tsv,
)
from kreyol_ia.translation.memory_store import MemoryStore
from kreyol_ia.translation.phrasebook import PhrasebookEngine
from kreyol_ia.translation.phrasebook.lexicon import Entry

HEADER = (
    '<header creationtool="test" creationtoolversion="1" segtype="sentence" o-tmf="none" '
    'adminlang="en-US" srclang="en-US" datatype="plaintext"/>'
)


def tmx(*units: str, prolog: bool = True) -> bytes:
    body = "".join(units)
    declaration = '<?xml version="1.0" encoding="UTF-8"?>\n' if prolog else ""
    return f'{declaration}<tmx version="1.4">{HEADER}<body>{body}</body></tmx>'.encode()


def tu(**variants: str) -> str:
    """A translation unit; keyword names are xml:lang codes with _ for -."""
    tuvs = "".join(
        f'<tuv xml:lang="{lang.replace("_", "-")}"><seg>{text}</seg></tuv>'
        for lang, text in variants.items()
    )
    return f"<tu>{tuvs}</tu>"


# --- TMX ------------------------------------------------------------------------------------


def test_tmx_with_region_codes() -> None:
    data = tmx(
        tu(en_US="Good morning.", ht_HT="Bonjou."),
        tu(fr_FR="Bonsoir.", ht_HT="Bonswa."),
    )
    result = parse_tmx(data)
    assert result.errors == []
    assert result.rows == [
        ImportRow("en", "ht", "Good morning.", "Bonjou."),
        ImportRow("fr", "ht", "Bonsoir.", "Bonswa."),
    ]


def test_tmx_unit_with_english_and_french_gives_two_rows() -> None:
    result = parse_tmx(tmx(tu(en_GB="Good evening.", ht_HT="Bonswa.", fr_CA="Bonsoir.")))
    assert sorted(result.rows, key=lambda r: r.source_lang) == [
        ImportRow("en", "ht", "Good evening.", "Bonswa."),
        ImportRow("fr", "ht", "Bonsoir.", "Bonswa."),
    ]
    assert result.errors == []


def test_tmx_unit_without_kreyol_is_reported_by_number() -> None:
    data = tmx(
        tu(en_US="Good morning.", ht_HT="Bonjou."),
        tu(en_US="Thank you.", ht_HT="Mèsi."),
        tu(en_US="No Kreyòl here.", fr_FR="Pas de kreyòl ici."),
        tu(ht_HT="Sèlman kreyòl."),
        tu(en_US="Goodbye.", ht_HT="Orevwa."),
    )
    result = parse_tmx(data)
    assert [r.target_text for r in result.rows] == ["Bonjou.", "Mèsi.", "Orevwa."]
    assert len(result.errors) == 2
    assert result.errors[0].startswith("tu 3:")
    assert result.errors[1].startswith("tu 4:")
    assert all("ht" in error for error in result.errors)


def test_tmx_language_aliases_and_whitespace() -> None:
    data = tmx(
        tu(EN="Good   morning,\n  friends.", hat="Bonjou,\n zanmi."),
        tu(fra="Merci.", cpf="Mèsi."),
    )
    result = parse_tmx(data)
    assert result.rows == [
        ImportRow("en", "ht", "Good morning, friends.", "Bonjou, zanmi."),
        ImportRow("fr", "ht", "Merci.", "Mèsi."),
    ]


def test_tmx_unsupported_languages_are_ignored() -> None:
    result = parse_tmx(tmx(tu(es_ES="Hola.", ht_HT="Alo.")))
    assert result.rows == []
    assert [e.split(":")[0] for e in result.errors] == ["tu 1"]


def test_tmx_empty_and_overlong_segments_are_reported() -> None:
    data = tmx(
        tu(en_US="", ht_HT="Bonjou."),
        tu(en_US="x" * 2001, ht_HT="Bonjou."),
        tu(en_US="Fine.", ht_HT="Byen."),
    )
    result = parse_tmx(data)
    assert result.rows == [ImportRow("en", "ht", "Fine.", "Byen.")]
    assert [e.split(":")[0] for e in result.errors] == ["tu 1", "tu 2"]
    assert "empty" in result.errors[0] and "2000" in result.errors[1]


@pytest.mark.parametrize(
    "data",
    [
        b"<tmx><body><tu><tuv xml:lang='en'><seg>Hi</seg></tuv>",
        b"not xml at all",
        b"",
        b"<tmx><body></tmx>",
        "<tmx><body>\u00e9</body></tmx>".encode("latin-1"),
    ],
)
def test_malformed_tmx_is_an_error_not_a_crash(data: bytes) -> None:
    result = parse_tmx(data)
    assert result.rows == []
    assert len(result.errors) == 1
    assert result.errors[0].startswith("file:")


def test_wrong_root_element_is_an_error() -> None:
    result = parse_tmx(b'<?xml version="1.0"?><xliff><tu/></xliff>')
    assert result.rows == []
    assert result.errors == ["file: the root element is not <tmx>"]


def test_billion_laughs_is_refused() -> None:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    data = (
        '<?xml version="1.0"?>\n<!DOCTYPE tmx [' + "".join(entities) + "]>"
        '<tmx version="1.4"><body><tu><tuv xml:lang="en"><seg>&lol9;</seg></tuv>'
        '<tuv xml:lang="ht"><seg>x</seg></tuv></tu></body></tmx>'
    ).encode()
    result = parse_tmx(data)
    assert result.rows == []
    assert len(result.errors) == 1
    assert result.errors[0].startswith("file: not a readable TMX document")


def test_external_entity_is_refused(tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    data = (
        f'<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        '<tmx version="1.4"><body><tu><tuv xml:lang="en"><seg>&xxe;</seg></tuv>'
        '<tuv xml:lang="ht"><seg>x</seg></tuv></tu></body></tmx>'
    ).encode()
    result = parse_tmx(data)
    assert result.rows == []
    assert "top secret" not in " ".join(result.errors)
    assert result.errors and result.errors[0].startswith("file:")


# --- TSV ------------------------------------------------------------------------------------


def test_tsv_with_header_and_domain() -> None:
    data = "en\tht\tdomain\nGood morning.\tBonjou.\tgreetings\nThank you.\tMèsi.\n".encode()
    result = parse_tsv(data)
    assert result.errors == []
    assert result.rows == [
        ImportRow("en", "ht", "Good morning.", "Bonjou.", "greetings"),
        ImportRow("en", "ht", "Thank you.", "Mèsi.", "imported"),
    ]


def test_tsv_header_may_name_a_kreyol_source() -> None:
    result = parse_tsv(b"ht\tfr\nBonjou.\tBonjour.\n")
    assert result.rows == [ImportRow("ht", "fr", "Bonjou.", "Bonjour.")]


def test_tsv_bad_lines_are_reported_by_line_number() -> None:
    data = (
        "en\tht\tdomain\n"
        "Good morning.\tBonjou.\tgreetings\n"
        "only one column\n"
        "\n"
        "\tMèsi.\n"
        "Goodbye.\tOrevwa.\n"
    ).encode()
    result = parse_tsv(data)
    assert [r.source_text for r in result.rows] == ["Good morning.", "Goodbye."]
    assert result.errors == [
        "line 3: expected 2 or 3 tab-separated columns",
        "line 5: empty source or target",
    ]


def test_tsv_with_bom_and_crlf() -> None:
    data = "\ufeffen\tht\r\nWater.\tDlo.\r\n".encode()
    result = parse_tsv(data)
    assert result.rows == [ImportRow("en", "ht", "Water.", "Dlo.")]
    assert result.errors == []


def test_tsv_non_utf8_is_reported() -> None:
    result = parse_tsv(b"en\tht\nCaf\xe9\tKafe\n")
    assert result.rows == []
    assert len(result.errors) == 1
    assert result.errors[0].startswith("file: not UTF-8")
    assert "byte 9" in result.errors[0]


def test_tsv_without_a_pair_is_an_error() -> None:
    result = parse_tsv(b"Good morning.\tBonjou.\n")
    assert result.rows == []
    assert result.errors == [
        "line 1: unknown language pair; add a header like 'en<TAB>ht' or pass --from/--to"
    ]


def test_tsv_pair_may_come_from_arguments() -> None:
    result = parse_tsv(b"Good morning.\tBonjou.\n", "en", "ht")
    assert result.rows == [ImportRow("en", "ht", "Good morning.", "Bonjou.")]


def test_tsv_unsupported_pair_is_an_error() -> None:
    result = parse_tsv(b"en\tfr\nHello.\tBonjour.\n")
    assert result.rows == []
    assert len(result.errors) == 1 and result.errors[0].startswith("line 2: unknown language pair")


def test_language_codes_are_normalised() -> None:
    assert [normalise_language(c) for c in ["en-US", "FR_fr", " ht-HT ", "hat", "es", ""]] == [
        "en",
        "fr",
        "ht",
        "ht",
        None,
        None,
    ]


# --- parse_file -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["memory.txt", "memory.tsv", "export", "MEMORY.TMX"])
def test_parse_file_sniffs_tmx_by_content(name: str) -> None:
    data = tmx(tu(en_US="Good morning.", ht_HT="Bonjou."))
    result = parse_file(name, data, None, None)
    assert result.rows == [ImportRow("en", "ht", "Good morning.", "Bonjou.")]


def test_parse_file_sniffs_tmx_without_prolog_and_with_bom() -> None:
    data = b"\xef\xbb\xbf" + tmx(tu(en_US="Good morning.", ht_HT="Bonjou."), prolog=False)
    assert parse_file("memory.txt", data, None, None).rows == [
        ImportRow("en", "ht", "Good morning.", "Bonjou.")
    ]


def test_parse_file_reads_tsv_otherwise() -> None:
    result = parse_file("memory.txt", b"Water.\tDlo.\n", "en", "ht")
    assert result.rows == [ImportRow("en", "ht", "Water.", "Dlo.")]


# --- MemoryStore on both backends -----------------------------------------------------------


def rows_en_ht(*pairs: tuple[str, str]) -> list[ImportRow]:
    return [ImportRow("en", "ht", source, target, "health") for source, target in pairs]


def test_store_and_read_back(db: DatabaseManager) -> None:
    store = MemoryStore(db, refresh_seconds=0)
    assert store.entries("en", "ht")[1] == []
    report = store.store("tm", rows_en_ht(("The clinic opens early.", "Klinik la louvri bonè.")))
    assert report.stored == 1
    assert store.entries("en", "ht")[1] == [
        Entry("The clinic opens early.", "Klinik la louvri bonè.", "health", "tm")
    ]
    assert store.counts() == {"tm": 1}
    assert store.store("tm", []).stored == 0


def test_reimport_replaces_the_target(db: DatabaseManager) -> None:
    store = MemoryStore(db, refresh_seconds=0)
    store.store("tm", rows_en_ht(("The clinic opens early.", "Klinik la louvri bonè.")))
    version_before, _ = store.entries("en", "ht")
    store.store("tm", rows_en_ht(("The clinic opens early.", "Dispansè a ouvè bonè.")))
    version_after, entries = store.entries("en", "ht")
    assert entries == [Entry("The clinic opens early.", "Dispansè a ouvè bonè.", "health", "tm")]
    assert store.counts() == {"tm": 1}
    assert version_after != version_before


def test_same_source_as_tm_and_glossary_are_two_entries(db: DatabaseManager) -> None:
    store = MemoryStore(db, refresh_seconds=0)
    store.store("tm", rows_en_ht(("clinic", "klinik")))
    store.store("glossary", rows_en_ht(("clinic", "dispansè")))
    assert store.counts() == {"tm": 1, "glossary": 1}


def test_entries_are_readable_in_both_directions(db: DatabaseManager) -> None:
    store = MemoryStore(db, refresh_seconds=0)
    store.store("tm", rows_en_ht(("The clinic opens early.", "Klinik la louvri bonè.")))
    store.store("tm", [ImportRow("ht", "fr", "Klinik la fèmen.", "La clinique est fermée.")])

    assert store.entries("ht", "en")[1] == [
        Entry("Klinik la louvri bonè.", "The clinic opens early.", "health", "tm")
    ]
    assert store.entries("fr", "ht")[1] == [
        Entry("La clinique est fermée.", "Klinik la fèmen.", "imported", "tm")
    ]
    assert store.entries("ht", "fr")[1] == [
        Entry("Klinik la fèmen.", "La clinique est fermée.", "imported", "tm")
    ]
    assert store.entries("en", "fr")[1] == []


def test_glossary_entries_come_first(db: DatabaseManager) -> None:
    store = MemoryStore(db, refresh_seconds=0)
    store.store("tm", rows_en_ht(("Wash your hands.", "Lave men ou.")))
    store.store("glossary", rows_en_ht(("clinic", "dispansè")))
    store.store("tm", rows_en_ht(("Drink clean water.", "Bwè dlo pwòp.")))
    store.store("glossary", [ImportRow("ht", "en", "dispansè", "health post", "health")])

    entries = store.entries("en", "ht")[1]
    assert [e.origin for e in entries] == ["glossary", "glossary", "tm", "tm"]
    assert [e.source for e in entries] == [
        "clinic",
        "health post",
        "Wash your hands.",
        "Drink clean water.",
    ]
    assert store.glossary("en", "ht") == entries[:2]


def test_refresh_interval_delays_other_instances(db: DatabaseManager) -> None:
    reader = MemoryStore(db, refresh_seconds=3600)
    assert reader.entries("en", "ht")[1] == []
    MemoryStore(db, refresh_seconds=0).store("tm", rows_en_ht(("Wash your hands.", "Lave men ou.")))
    assert reader.entries("en", "ht")[1] == []
    assert len(MemoryStore(db, refresh_seconds=0).entries("en", "ht")[1]) == 1


def test_imported_entry_wins_over_builtin(db: DatabaseManager) -> None:
    store = MemoryStore(db, refresh_seconds=0)
    engine = PhrasebookEngine(imported=store.entries)
    assert engine.translate(["Where is the hospital?"], "en", "ht")[0].text == (
        "Kote lopital la ye?"
    )

    store.store("tm", rows_en_ht(("Where is the hospital?", "Ki bò lopital la ye?")))
    [forward] = engine.translate(["where is the hospital"], "en", "ht")
    assert (forward.text, forward.match) == ("Ki bò lopital la ye?", "exact")
    [backward] = engine.translate(["Ki bò lopital la ye?"], "ht", "en")
    assert (backward.text, backward.match) == ("Where is the hospital?", "exact")

    store.store("glossary", rows_en_ht(("water", "dlo potab")))
    [term] = engine.translate(["Water!"], "en", "ht")
    assert (term.text, term.match) == ("Dlo potab!", "glossary")


def test_duplicate_sources_in_one_import(db: DatabaseManager) -> None:
    store = MemoryStore(db, refresh_seconds=0)
    parsed = parse_tsv(b"en\tht\nRice and beans.\tDiri ak pwa.\nRice and beans.\tDiri kole.\n")
    assert len(parsed.rows) == 2
    store.store("tm", parsed.rows)
    assert [e.target for e in store.entries("en", "ht")[1]] == ["Diri kole."]
