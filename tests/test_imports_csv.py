"""CSV translation memories: quoting, the TSV's header rule and row checks, and format choice."""

from __future__ import annotations

from kreyol_ia.translation.imports import ImportRow, Problem, parse_csv, parse_file


def test_csv_with_header_quoted_commas_and_domain() -> None:
    data = (
        b'en,ht,domain\n"Hello, friend.","Bonjou, zanmi.",greetings\n'
        b'"She said ""yes"".","Li di ""wi"".",\n'
    )
    result = parse_csv(data)
    assert result.problems == []
    assert result.rows == [
        ImportRow("en", "ht", "Hello, friend.", "Bonjou, zanmi.", "greetings"),
        ImportRow("en", "ht", 'She said "yes".', 'Li di "wi".', "imported"),
    ]


def test_csv_without_header_takes_the_given_pair() -> None:
    result = parse_csv(b"Bonjou.,Bonjour.\n", source="ht", target="fr")
    assert result.rows == [ImportRow("ht", "fr", "Bonjou.", "Bonjour.")]


def test_csv_without_header_or_pair_is_refused_at_the_first_line() -> None:
    result = parse_csv(b"Water.,Dlo.\nFood.,Manje.\n")
    assert result.rows == []
    assert result.errors == [
        "line 1: unknown language pair; add a header like 'en,ht' or pass --from/--to"
    ]


def test_csv_problems_are_structured_and_print_as_before() -> None:
    data = b'en,ht\nGood morning.,Bonjou.\nonly one column\n\n,"Mesi."\n"Bye.",Orevwa.\n'
    result = parse_csv(data)
    assert [r.source_text for r in result.rows] == ["Good morning.", "Bye."]
    assert result.problems == [
        Problem("line 3", "expected 2 or 3 comma-separated columns"),
        Problem("line 5", "empty source or target"),
    ]
    assert str(result.problems[0]) == "line 3: expected 2 or 3 comma-separated columns"


def test_a_quoted_line_break_keeps_the_line_numbers_true() -> None:
    data = b'en,ht\n"Two\nlines.",De liy.\n,empty source\n'
    result = parse_csv(data)
    assert result.rows == [ImportRow("en", "ht", "Two\nlines.", "De liy.")]
    assert result.errors == ["line 4: empty source or target"]


def test_an_unclosed_quote_swallows_the_rest_into_one_refused_line() -> None:
    result = parse_csv(b'en,ht\nWater.,Dlo.\n"never closed,x\nFood.,Manje.\n')
    assert result.rows == [ImportRow("en", "ht", "Water.", "Dlo.")]
    assert result.errors == ["line 4: expected 2 or 3 comma-separated columns"]


def test_a_cell_beyond_the_csv_field_limit_is_a_problem_not_a_crash() -> None:
    result = parse_csv(b"en,ht\nWater.,Dlo.\n" + b"a" * 200_000 + b",b\n")
    assert result.rows == [ImportRow("en", "ht", "Water.", "Dlo.")]
    assert len(result.problems) == 1 and result.problems[0].where == "line 3"
    assert result.problems[0].message.startswith("unreadable comma-separated text")


def test_csv_non_utf8_is_reported() -> None:
    result = parse_csv(b"en,ht\ncaf\xe9,kafe\n")
    assert result.errors == ["file: not UTF-8 (invalid continuation byte at byte 9)"]


def test_format_is_chosen_by_name_then_by_the_first_line() -> None:
    csv_text = b'en,ht\n"Hello, friend.",Bonjou zanmi.\n'
    tsv_text = b"en\tht\nHello, friend.\tBonjou zanmi.\n"
    expected = [ImportRow("en", "ht", "Hello, friend.", "Bonjou zanmi.")]
    assert parse_file("memory.txt", csv_text, None, None).rows == expected
    assert parse_file("memory.CSV", csv_text, None, None).rows == expected
    assert parse_file("memory.txt", tsv_text, None, None).rows == expected
    # a comma but no tab on line 1 of a .tsv: still TSV (line 1 is just a bad line)
    mixed = b"Hello, friend\nWater.\tDlo.\n"
    as_tsv = parse_file("memory.tsv", mixed, "en", "ht")
    assert as_tsv.rows == [ImportRow("en", "ht", "Water.", "Dlo.")]
    assert as_tsv.errors == ["line 1: expected 2 or 3 tab-separated columns"]
    as_csv = parse_file("memory.txt", mixed, "en", "ht")
    assert as_csv.rows == [ImportRow("en", "ht", "Hello", "friend")]
    assert as_csv.errors == ["line 2: expected 2 or 3 comma-separated columns"]
