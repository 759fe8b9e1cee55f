"""Corpus loading: every format, text byte-exact, one-line errors naming file and row, skip mode,
streaming, outlets from URLs, the fingerprint."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import corpus, schema
from analysis.corpus import corpus_fingerprint, iter_corpus, load_corpus, outlet_from_url
from analysis.errors import AnalysisError

SEED = Path(__file__).resolve().parents[1] / "data" / "sample" / "kursk-monument-article.txt"

# Texts a loader is tempted to "clean": all must come back exactly as written.
TRICKY = {
    "crlf": "First line.\r\nSecond line.\r\n",
    "na": "NA",
    "null": "null",
    "spaces": "  padded both sides  ",
    "curly": "\u201cWe will not,\u201d she said. It\u2019s done \u2014 really.",
    "comma": 'He said, "yes, no", and left.\n\nNew paragraph.',
}


def write(path, data: bytes | str):
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def csv_text(rows, header=("article_id", "text")):
    """A CSV written by pandas (quoting as a spreadsheet program would)."""
    return pd.DataFrame(rows, columns=list(header)).to_csv(index=False, lineterminator="\n")


def one_line(err) -> str:
    msg = str(err.value)
    assert "\n" not in msg and msg.startswith("analysis: ")
    return msg


# ---------------------------------------------------------------------------------------------
# Each format loads, text byte-exact


def test_txt_folder_byte_exact_and_ids_from_file_names(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in TRICKY.items():
        write(folder / f"{name}.txt", text)
    write(folder / "bom.txt", b"\xef\xbb\xbfWith a byte-order mark.")
    write(folder / "README.md", "not an article")
    df = load_corpus(folder)
    assert df["article_id"].tolist() == sorted([*TRICKY, "bom"])
    got = dict(zip(df["article_id"], df["text"]))
    for name, text in TRICKY.items():
        assert got[name] == text
    assert got["bom"] == "\ufeffWith a byte-order mark."  # as read_bytes().decode("utf-8") gives it
    assert list(df.columns) == ["article_id", "text"]


def test_single_txt_file_is_one_article(tmp_path, seed_text):
    df = load_corpus(SEED)
    assert df["article_id"].tolist() == [SEED.stem]
    assert df["text"][0] == seed_text


def test_csv_keeps_text_exact_na_and_extra_columns(tmp_path):
    rows = [(name, text, f"x{i}") for i, (name, text) in enumerate(TRICKY.items())]
    p = write(tmp_path / "c.csv", csv_text(rows, ("article_id", "text", "desk")))
    df = load_corpus(p)
    assert dict(zip(df["article_id"], df["text"])) == TRICKY
    assert df["desk"].tolist() == [f"x{i}" for i in range(len(TRICKY))]
    assert list(df.columns) == ["article_id", "text", "desk"]


def test_csv_with_windows_line_endings_and_meta(tmp_path):
    raw = (
        "article_id,text,published,url,title\r\n"
        '1,"Line one.\r\nLine two.",2017-02-07,http://www.cnn.com/2017/a,NA\r\n'
        "2,Short text,2017/3/9,https://example.org/x,\r\n"
    )
    df = load_corpus(write(tmp_path / "w.csv", raw))
    assert df["text"].tolist() == ["Line one.\r\nLine two.", "Short text"]
    assert list(df.columns) == ["article_id", "text", "outlet", "published", "title", "url"]
    assert df["outlet"].tolist() == ["CNN", "example.org"]
    assert df["published"].tolist() == [pd.Timestamp("2017-02-07"), pd.Timestamp("2017-03-09")]
    assert df["title"].tolist() == ["NA", ""]


def test_jsonl_loads_ids_as_strings_and_passes_blank_lines(tmp_path):
    lines = [json.dumps({"article_id": i, "text": t, "outlet": "X"}) for i, t in enumerate(TRICKY.values())]
    p = write(tmp_path / "c.jsonl", "\n".join(lines[:2] + [""] + lines[2:]) + "\n")
    df = load_corpus(p)
    assert df["article_id"].tolist() == [str(i) for i in range(len(TRICKY))]
    assert df["text"].tolist() == list(TRICKY.values())
    assert (df["outlet"] == "X").all()


def test_parquet_loads_and_casts_integer_ids(tmp_path):
    table = pa.table(
        {
            "article_id": pa.array(range(len(TRICKY)), pa.int64()),
            "text": list(TRICKY.values()),
            "published": [f"2017-01-0{i + 1}" for i in range(len(TRICKY))],
        }
    )
    pq.write_table(table, tmp_path / "c.parquet")
    df = load_corpus(tmp_path / "c.parquet")
    assert df["article_id"].tolist() == [str(i) for i in range(len(TRICKY))]
    assert df["text"].tolist() == list(TRICKY.values())
    assert df["published"].iloc[0] == pd.Timestamp("2017-01-01")


_texts = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1).filter(str.strip)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(_texts, min_size=1, max_size=4))
def test_any_text_round_trips_through_every_format(tmp_path, texts):
    df = pd.DataFrame({"article_id": [f"a{i}" for i in range(len(texts))], "text": texts})
    # Quoted, as a lone "\r" left unquoted would end the row for any CSV reader.
    df.to_csv(tmp_path / "p.csv", index=False, quoting=csv.QUOTE_ALL)
    # Raw UTF-8 (not \\u escapes), so that U+2028 or U+0085 inside a line must not split it.
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in df.to_dict("records"))
    (tmp_path / "p.jsonl").write_text(lines, encoding="utf-8")
    df.to_parquet(tmp_path / "p.parquet")
    (folder := tmp_path / "p").mkdir(exist_ok=True)
    for old in folder.glob("*.txt"):
        old.unlink()
    for aid, text in zip(df["article_id"], texts):
        write(folder / f"{aid}.txt", text)
    for name in ("p.csv", "p.jsonl", "p.parquet", "p"):
        assert load_corpus(tmp_path / name)["text"].tolist() == texts, name


def test_polnear_text_folder_loads_byte_exact(polnear_dir):
    folder = polnear_dir / "dev" / "text"
    df = load_corpus(folder)
    files = sorted(folder.glob("*.txt"))
    assert len(df) == len(files) > 0
    assert df["text"].tolist() == [f.read_bytes().decode("utf-8") for f in files]


# ---------------------------------------------------------------------------------------------
# Errors: one line, naming the file, the row or line, and the fix


def err_of(path, **kw) -> str:
    with pytest.raises(AnalysisError) as err:
        load_corpus(path, **kw)
    return one_line(err)


def test_missing_column_lists_the_columns_found(tmp_path):
    p = write(tmp_path / "m.csv", "article_id,body\n1,hello\n")
    assert err_of(p) == (
        f"analysis: {p}: missing column 'text' (columns found: article_id, body); a corpus needs article_id and text"
    )


def test_semicolon_separated_file_gets_a_hint(tmp_path):
    p = write(tmp_path / "s.csv", "article_id;text\n1;hello\n")
    assert err_of(p) == (
        f"analysis: {p}: missing column 'article_id', 'text' (columns found: article_id;text); "
        "the file seems to use ';' between columns; save it as comma-separated CSV"
    )


def test_duplicate_id_names_both_rows(tmp_path):
    p = write(tmp_path / "d.csv", "article_id,text\na,one\nb,two\na,three\n")
    assert err_of(p) == f"analysis: {p} row 4: article_id 'a' repeats row 2; give every article a unique id"


def test_row_numbers_count_the_header_and_multiline_cells_as_one_row(tmp_path):
    p = write(tmp_path / "r.csv", 'article_id,text\n1,"two\nlines"\n2,ok\n3,\n')
    assert err_of(p) == f"analysis: {p} row 4: column 'text' is empty; fill it or drop the row"


@pytest.mark.parametrize("cell,what", [('""', "empty"), ('"  \t "', "only whitespace")])
def test_empty_or_blank_text(tmp_path, cell, what):
    p = write(tmp_path / "e.csv", f"article_id,text\n1,fine\n2,{cell}\n")
    assert err_of(p) == f"analysis: {p} row 3: column 'text' is {what}; fill it or drop the row"


def test_empty_article_id(tmp_path):
    p = write(tmp_path / "i.csv", "article_id,text\n,orphan text\n")
    assert err_of(p) == f"analysis: {p} row 2: column 'article_id' is empty; give every article a unique id"


def test_undecodable_csv_names_the_spreadsheet_row_not_an_editor_line(tmp_path):
    # a Latin-1 export: row 3 as a spreadsheet shows it is line 4 of the file (row 2 holds a line break)
    data = b'article_id,text\n1,"two\nlines"\n2,caf\xe9 latin-1\n'
    p = write(tmp_path / "u.csv", data)
    assert err_of(p) == (
        f"analysis: {p} row 3: column 'text' is not valid UTF-8 (byte 0xE9, 'é' in Latin-1, after 'caf'); "
        "re-save the file as UTF-8"
    )


def test_undecodable_csv_header_is_row_1_and_always_stops(tmp_path):
    p = write(tmp_path / "h.csv", b"article_id,t\xe9xt\n1,a\n")
    expected = (
        f"analysis: {p} row 1: the header is not valid UTF-8 (byte 0xE9, 'é' in Latin-1, after 'article_id,t'); "
        "re-save the file as UTF-8"
    )
    assert err_of(p) == expected and err_of(p, on_error="skip") == expected


def test_undecodable_txt_names_file_and_byte(tmp_path):
    write(tmp_path / "a.txt", "good")
    write(tmp_path / "b.txt", b"bad \xff here")
    assert err_of(tmp_path) == f"analysis: {tmp_path / 'b.txt'}: byte 4 is not valid UTF-8; re-save the file as UTF-8"


def test_malformed_jsonl_line_in_the_middle_is_reported_with_its_line(tmp_path):
    good = [json.dumps({"article_id": str(i), "text": f"text {i}"}) for i in range(6)]
    p = write(
        tmp_path / "j.jsonl", "\n".join(good[:3] + ['{"article_id": "x", "text": "unterminated'] + good[3:]) + "\n"
    )
    chunks = iter_corpus(p, chunksize=2)
    first = next(chunks)  # streaming: the rows before the bad line arrive first
    assert first["article_id"].tolist() == ["0", "1"]
    with pytest.raises(AnalysisError) as err:
        list(chunks)
    assert re.fullmatch(
        rf"analysis: {re.escape(str(p))} line 4: not valid JSON \(.+ at column \d+\); fix or remove the line",
        one_line(err),
    )


def test_unterminated_json_string_says_at_once(tmp_path):
    # json's own message ends in "starting at": the column follows it once, not "at at column"
    bad = '{"article_id": "2", "text": "never closed'
    p = write(tmp_path / "u.jsonl", '{"article_id": "1", "text": "ok"}\n' + bad)
    column = bad.index('"never') + 1
    assert err_of(p) == (
        f"analysis: {p} line 2: not valid JSON (Unterminated string starting at column {column}); "
        "fix or remove the line"
    )


def test_a_number_where_text_belongs_is_named_with_good_grammar(tmp_path):
    pq.write_table(pa.table({"article_id": ["a", "b"], "text": pa.array([1, 2], pa.int64())}), tmp_path / "n.parquet")
    assert err_of(tmp_path / "n.parquet") == (
        f"analysis: {tmp_path / 'n.parquet'} row 1: column 'text' is an int64, not a string; quote the text"
    )


def test_large_articles_are_found_by_their_size_in_bytes():
    chunk = pd.DataFrame({"article_id": ["small", "big", "wide"], "text": ["x" * 10, "x" * 2_000, "é" * 600]})
    assert corpus.large_articles(chunk, limit=1_000) == [("big", 2_000), ("wide", 1_200)]  # é is two bytes
    assert corpus.large_articles(chunk) == []  # the documented default: 5 MB
    assert corpus.LARGE_ARTICLE_BYTES == 5_000_000
    assert corpus.large_article_warning("big", 20_123_456) == (
        "analysis: article 'big' is 20.1 MB of text: it is extracted in one piece (roughly 5 s per MB), "
        "so the progress bar stands still meanwhile"
    )


@pytest.mark.parametrize(
    "n,noun,expected",
    [
        (1, "article", "1 article"),
        (0, "article", "0 articles"),
        (3788, "article", "3,788 articles"),
        (2, "bad row", "2 bad rows"),
    ],
)
def test_counted_in_good_english(n, noun, expected):
    assert corpus.counted(n, noun) == expected


def test_jsonl_line_without_text_field(tmp_path):
    p = write(tmp_path / "f.jsonl", '{"article_id": "1", "body": "x"}\n')
    assert err_of(p) == (
        f"analysis: {p} line 1: no field 'text' (fields found: article_id, body); every line needs article_id and text"
    )


def test_jsonl_line_that_is_not_an_object(tmp_path):
    p = write(tmp_path / "l.jsonl", '["1", "x"]\n')
    assert re.fullmatch(rf"analysis: {re.escape(str(p))} line 1: is a JSON list, not an object; .+", err_of(p))


def test_unparseable_date_is_an_error_not_nat(tmp_path):
    p = write(tmp_path / "p.csv", "article_id,text,published\n1,a,2017-02-07\n2,b,\n3,c,last Tuesday\n")
    assert err_of(p) == (
        f"analysis: {p} row 4: column 'published' 'last Tuesday' is not a date; "
        "write it as YYYY-MM-DD or leave it empty"
    )


def test_dates_mixed_formats_offsets_and_blanks(tmp_path):
    p = write(
        tmp_path / "p.csv",
        "article_id,text,published\n1,a,2017/2/7\n2,b,\n3,c,2017-02-07T23:30:00-05:00\n4,d,  2016/12/30 7:11\n",
    )
    got = load_corpus(p)["published"].tolist()
    assert got[0] == pd.Timestamp("2017-02-07")
    assert got[1] is pd.NaT
    assert got[2] == pd.Timestamp("2017-02-08 04:30")  # converted to UTC
    assert got[3] == pd.Timestamp("2016-12-30 07:11")


def test_unreadable_parquet(tmp_path):
    p = write(tmp_path / "x.parquet", b"PAR1 this is not parquet")
    assert re.fullmatch(
        rf"analysis: {re.escape(str(p))}: cannot read it as Parquet \(.+\); "
        r"check that the file is complete and really Parquet",
        err_of(p),
    )


def test_unknown_extension_missing_path_empty_folder(tmp_path):
    xl = write(tmp_path / "c.xlsx", b"")
    assert (
        err_of(xl) == f"analysis: {xl}: unknown corpus format '.xlsx'; "
        "use a folder of .txt files, or a .csv, .jsonl or .parquet file"
    )
    nowhere = tmp_path / "nowhere.csv"
    assert err_of(nowhere) == f"analysis: {nowhere}: no such file or folder; check the path"
    empty = tmp_path / "empty"
    empty.mkdir()
    write(empty / "notes.md", "x")
    assert err_of(empty).startswith(f"analysis: {empty}: the folder holds no .txt files; ")


def test_empty_file_and_header_only(tmp_path):
    blank = write(tmp_path / "blank.csv", b"")
    assert err_of(blank).startswith(f"analysis: {blank}: the file is empty; ")
    header = write(tmp_path / "header.csv", "article_id,text\n")
    assert (
        err_of(header) == f"analysis: {header}: no articles; a corpus needs at least one row with article_id and text"
    )


def test_unparseable_csv_is_one_line(tmp_path):
    p = write(tmp_path / "q.csv", 'article_id,text\n1,"never closed\n2,x\n')
    assert err_of(p).startswith(f"analysis: {p}: cannot parse the CSV (")


def test_blank_rows_are_not_articles_but_keep_row_numbers(tmp_path):
    p = write(tmp_path / "b.csv", "article_id,text\n1,a\n\n2,b\n2,c\n")
    assert err_of(p) == f"analysis: {p} row 5: article_id '2' repeats row 4; give every article a unique id"


# ---------------------------------------------------------------------------------------------
# on_error="skip": bad rows left out, listed and printed


def test_skip_records_and_prints_every_skipped_row(tmp_path, capsys):
    p = write(tmp_path / "s.csv", "article_id,text,published\n1,a,\n2,,\n1,dup,\n3,c,not a date\n4,d,2017-01-01\n")
    df = load_corpus(p, on_error="skip")
    assert df["article_id"].tolist() == ["1", "4"]
    skipped = df.attrs["skipped"]
    assert [(f, w) for f, w, _ in skipped] == [(str(p), "row 3"), (str(p), "row 4"), (str(p), "row 5")]
    assert "empty" in skipped[0][2] and "repeats row 2" in skipped[1][2] and "not a date" in skipped[2][2]
    err_lines = capsys.readouterr().err.strip().splitlines()
    assert err_lines == [f"analysis: skipped {f} {w}: {r}" for f, w, r in skipped]


def test_skip_malformed_jsonl_line_and_bad_txt(tmp_path):
    p = write(tmp_path / "s.jsonl", '{"article_id": "1", "text": "a"}\nnot json\n{"article_id": "2", "text": "b"}\n')
    df = load_corpus(p, on_error="skip")
    assert df["article_id"].tolist() == ["1", "2"]
    assert [w for _, w, _ in df.attrs["skipped"]] == ["line 2"]
    folder = tmp_path / "t"
    folder.mkdir()
    write(folder / "ok.txt", "fine")
    write(folder / "empty.txt", "  \n")
    df = load_corpus(folder, on_error="skip")
    assert df["article_id"].tolist() == ["ok"]
    assert df.attrs["skipped"][0][:2] == (str(folder / "empty.txt"), "")


def test_skip_mode_skips_undecodable_csv_rows_and_lists_each(tmp_path, capsys):
    p = write(
        tmp_path / "u.csv", b"article_id,text,outlet\n1,ok,BBC\n2,\xff,CNN\n3,fine,RT\xc9\n4,good caf\xc3\xa9,X\n"
    )
    assert err_of(p) == (
        f"analysis: {p} row 3: column 'text' is not valid UTF-8 (byte 0xFF, 'ÿ' in Latin-1, at its start); "
        "re-save the file as UTF-8"
    )
    df = load_corpus(p, on_error="skip")
    assert df["article_id"].tolist() == ["1", "4"] and df["text"].tolist() == ["ok", "good café"]
    assert df.attrs["skipped"] == [
        (
            str(p),
            "row 3",
            "column 'text' is not valid UTF-8 (byte 0xFF, 'ÿ' in Latin-1, at its start); re-save the file as UTF-8",
        ),
        (
            str(p),
            "row 4",
            "column 'outlet' is not valid UTF-8 (byte 0xC9, 'É' in Latin-1, after 'RT'); re-save the file as UTF-8",
        ),
    ]
    assert capsys.readouterr().err.splitlines()[-2:] == [
        f"analysis: skipped {f} {w}: {r}" for f, w, r in df.attrs["skipped"]
    ]
    assert isinstance(df["text"].dtype, pd.StringDtype)  # the same column type as a clean file gives


def test_a_whole_latin1_file_skipped_says_so(tmp_path):
    p = write(tmp_path / "l.csv", "article_id,text\n1,café\n2,naïve\n".encode("latin-1"))
    assert err_of(p, on_error="skip") == (
        f"analysis: {p}: no articles after skipping 2 bad rows listed above; "
        "a corpus needs at least one row with article_id and text"
    )


def test_undecodable_jsonl_line_gives_the_byte_offset_in_the_file(tmp_path):
    first = b'{"article_id": "1", "text": "ok"}\n'
    data = first + b'{"article_id": "2", "text": "caf\xe9"}\n'
    p = write(tmp_path / "u.jsonl", data)
    at = data.index(bytes([0xE9]))
    assert err_of(p) == f"analysis: {p} line 2: byte {at} is not valid UTF-8; re-save the file as UTF-8"
    df = load_corpus(p, on_error="skip")
    assert df["article_id"].tolist() == ["1"] and df.attrs["skipped"][0][1] == "line 2"


def test_all_rows_skipped_is_an_error(tmp_path):
    p = write(tmp_path / "a.csv", "article_id,text\n1,\n2,\n")
    assert err_of(p, on_error="skip") == (
        f"analysis: {p}: no articles after skipping 2 bad rows listed above; "
        "a corpus needs at least one row with article_id and text"
    )


# ---------------------------------------------------------------------------------------------
# Streaming


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet", "txt"])
def test_chunks_concatenate_to_load_corpus(tmp_path, fmt):
    df = pd.DataFrame(
        {
            "article_id": [f"id{i}" for i in range(7)],
            "text": [f"text\r\n{i} " for i in range(7)],
            "url": ["https://www.bbc.co.uk/news/x"] * 7,
        }
    )
    if fmt == "csv":
        df.to_csv(p := tmp_path / "c.csv", index=False)
    elif fmt == "jsonl":
        (p := tmp_path / "c.jsonl").write_text("".join(json.dumps(r) + "\n" for r in df.to_dict("records")))
    elif fmt == "parquet":
        df.to_parquet(p := tmp_path / "c.parquet")
    else:
        (p := tmp_path / "t").mkdir()
        for r in df.itertuples():
            write(p / f"{r.article_id}.txt", r.text)
    chunks = list(iter_corpus(p, chunksize=3))
    assert [len(c) for c in chunks] == [3, 3, 1]
    pd.testing.assert_frame_equal(pd.concat(chunks, ignore_index=True), load_corpus(p))


def test_duplicates_are_found_across_chunks(tmp_path):
    p = write(tmp_path / "d.csv", "article_id,text\na,1\nb,2\nc,3\nd,4\na,5\n")
    with pytest.raises(AnalysisError) as err:
        list(iter_corpus(p, chunksize=2))
    assert one_line(err) == f"analysis: {p} row 6: article_id 'a' repeats row 2; give every article a unique id"


def test_skipped_rows_ride_on_the_next_chunk(tmp_path):
    p = write(tmp_path / "k.csv", "article_id,text\n1,a\n2,\n3,c\n4,d\n")
    chunks = list(iter_corpus(p, chunksize=2, on_error="skip"))
    assert [c["article_id"].tolist() for c in chunks] == [["1"], ["3", "4"]]
    assert [len(c.attrs["skipped"]) for c in chunks] == [1, 0]


def test_rows_skipped_after_the_last_article_are_reported(tmp_path):
    p = write(tmp_path / "k.csv", "article_id,text\n1,a\n2,b\n3,\n4,\n")
    chunks = list(iter_corpus(p, chunksize=2, on_error="skip"))
    assert [c["article_id"].tolist() for c in chunks] == [["1", "2"], []]
    assert [[w for _, w, _ in c.attrs["skipped"]] for c in chunks] == [[], ["row 4", "row 5"]]


# ---------------------------------------------------------------------------------------------
# Outlets, schema, fingerprint


@pytest.mark.parametrize(
    "url,outlet",
    [
        ("http://www.aljazeera.com/news/2017/03/x.html", "Al Jazeera"),
        ("http://tass.com/politics/933417", "TASS"),
        ("http://abcnews.go.com/Politics/x/story?id=45310061", "ABC News"),
        ("https://www.rte.ie/news/2017/0307/x/", "RTÉ"),
        ("http://europe.chinadaily.com.cn/world/x.htm", "China Daily"),
        ("http://www.bbc.co.uk/news/world-1", "BBC"),
        ("https://www.bbc.com/news/world-1", "BBC"),
        ("www.huffingtonpost.com/entry/x", "HuffPost"),
        ("https://www.washingtonpost.com/x", "The Washington Post"),
        ("https://news.example.co.uk:8080/a", "news.example.co.uk"),
        ("https://go.com/x", "go.com"),  # a parent of abcnews.go.com, not ABC News
        ("", ""),
        ("not a url at all", ""),
    ],
)
def test_outlet_from_url(url, outlet):
    assert outlet_from_url(url) == outlet


def test_outlet_given_wins_and_blank_outlets_are_filled(tmp_path):
    p = write(
        tmp_path / "o.csv",
        "article_id,text,outlet,url\n1,a,My Paper,http://tass.com/x\n2,b,,http://tass.com/y\n3,c,,\n",
    )
    assert load_corpus(p)["outlet"].tolist() == ["My Paper", "TASS", ""]


def test_meta_columns_match_the_extract_contract():
    assert list(corpus.META_COLUMNS) == schema.ARTICLE_META


def test_fingerprint_changes_with_text_and_meta_only(tmp_path):
    p = write(tmp_path / "f.csv", "article_id,text,title\n1,a b,T\n2,c,U\n")
    df = load_corpus(p)
    fp = corpus_fingerprint(df)
    assert re.fullmatch(r"[0-9a-f]{64}", fp)
    assert corpus_fingerprint(load_corpus(p)) == fp
    assert corpus_fingerprint(df.assign(text=["a  b", "c"])) != fp
    assert corpus_fingerprint(df.assign(title=["T", "V"])) != fp
    shifted = df.assign(article_id=["1a", "2"], text=[" b", "c"])  # same bytes, other boundaries
    assert corpus_fingerprint(shifted) != fp
