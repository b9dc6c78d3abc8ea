"""Catalog ingestion: happy paths, every kind of bad row, mapping, encodings, clients file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.catalog import (
    DEMO_CATALOGS,
    CatalogError,
    demo_catalog_path,
    load_clients,
    parse_availability,
    parse_mapping,
    parse_price,
    read_catalog,
)
from agent.models import PriceTierBreak


def write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


# ------------------------------------------------------------------------------------------
# Happy paths


def test_csv_happy_path(tmp_path: Path) -> None:
    path = write(
        tmp_path / "shop.csv",
        "id,title,brand,category,price,availability,size,moq,lead_time_days,tiered_prices,material\n"
        'W1,Wool coat,Acme,Coats,199.00,in stock,"S,M,L",,,,wool\n'
        "G1,Nitrile gloves,SafeCo,Safety Gloves,4.50,low_stock,,500,14,10:4.20|100:3.90,nitrile\n",
    )
    report = read_catalog(path)
    assert report.errors == []
    coat, gloves = report.items
    assert coat.id == "W1" and coat.title == "Wool coat" and coat.brand == "Acme"
    assert coat.category == "coats"
    assert coat.price == 199.0 and coat.currency == "USD" and coat.availability == "in_stock"
    assert coat.attributes == {"size": ["S", "M", "L"], "material": "wool"}
    assert gloves.availability == "low_stock"
    assert gloves.attributes["moq"] == 500 and gloves.attributes["lead_time_days"] == 14
    assert gloves.attributes["tiered_prices"] == [
        {"min_qty": 10, "unit_price": 4.2},
        {"min_qty": 100, "unit_price": 3.9},
    ]
    for tier in gloves.attributes["tiered_prices"]:
        PriceTierBreak.model_validate(tier)


def test_jsonl_happy_path(tmp_path: Path) -> None:
    rows = [
        {
            "id": "B1",
            "title": "Silk scarf",
            "price": "€120",
            "brand": "Maison",
            "colour": "navy",
            "size": ["one size"],
        },
        {
            "id": 7,
            "title": "Safety boots",
            "price": 89.9,
            "availability": "Made-to-order",
            "moq": "50",
            "tiered_prices": [{"min_qty": 100, "unit_price": 80}, {"min_qty": 10, "unit_price": 85}],
            "attributes": {"material": "leather", "empty": ""},
        },
    ]
    path = write(tmp_path / "cat.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n\n")
    report = read_catalog(path)
    assert report.errors == []
    scarf, boots = report.items
    assert scarf.price == 120.0 and scarf.currency == "EUR"
    assert scarf.attributes == {"colour": "navy", "size": ["one size"]}
    assert boots.id == "7" and boots.availability == "made_to_order"
    assert boots.attributes["moq"] == 50 and boots.attributes["material"] == "leather"
    assert "empty" not in boots.attributes
    assert [t["min_qty"] for t in boots.attributes["tiered_prices"]] == [10, 100]


def test_ndjson_extension_is_accepted(tmp_path: Path) -> None:
    path = write(tmp_path / "cat.ndjson", '{"id": "a", "title": "A", "price": 1}\n')
    assert [i.id for i in read_catalog(path).items] == ["a"]


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("1,250.00", 1250.0, None),
        ("€12.50", 12.5, "EUR"),
        ("12.5 EUR", 12.5, "EUR"),
        ("$1,250", 1250.0, "USD"),
        ("12,50", 12.5, None),
        ("1.250,00 €", 1250.0, "EUR"),
        (7, 7.0, None),
    ],
)
def test_parse_price_is_lenient(text: object, amount: float, currency: str | None) -> None:
    assert parse_price(text) == (amount, currency)


@pytest.mark.parametrize("text", ["abc", "", "12.5.3", "N/A", "call us"])
def test_parse_price_rejects_non_prices(text: str) -> None:
    with pytest.raises(ValueError):
        parse_price(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in stock", "in_stock"),
        ("  In Stock ", "in_stock"),
        ("available", "in_stock"),
        ("Out of Stock", "out_of_stock"),
        ("sold out", "out_of_stock"),
        ("LOW_STOCK", "low_stock"),
        ("made-to-order", "made_to_order"),
    ],
)
def test_availability_synonyms(text: str, expected: str) -> None:
    assert parse_availability(text) == expected


def test_price_currency_from_text_unless_column_disagrees(tmp_path: Path) -> None:
    path = write(
        tmp_path / "c.csv",
        "id,title,price,currency\na,A,12.5 EUR,\nb,B,€3,USD\nc,C,4,gbp\n",
    )
    report = read_catalog(path, default_currency="CHF")
    assert [(i.id, i.currency) for i in report.items] == [("a", "EUR"), ("c", "GBP")]
    assert [(e.line, e.field) for e in report.errors] == [(3, "price")]


def test_default_currency_applies_when_nothing_says_otherwise(tmp_path: Path) -> None:
    path = write(tmp_path / "c.csv", "id,title,price\na,A,10\n")
    assert read_catalog(path, default_currency="EUR").items[0].currency == "EUR"


# ------------------------------------------------------------------------------------------
# Bad rows


MALFORMED_CSV = (
    "id,title,price,availability,tiered_prices,moq\n"  # line 1
    "A1,Good one,12.50,in stock,10:4.20|100:3.90,500\n"  # 2 ok
    ",No id,5,in_stock,,\n"  # 3 missing id
    "A1,Second A1,5,in_stock,,\n"  # 4 duplicate id
    "B2,Bad price,twelve,in_stock,,\n"  # 5 unparsable price
    "B3,Bad availability,5,maybe later,,\n"  # 6 bad availability
    "B4,Bad tiers,5,in_stock,10-4.20,\n"  # 7 malformed tiered prices
    'B5,"Multi\nline title",7,Available,,\n'  # 8-9 ok (quoted newline)
    "B6,Negative,-4,in_stock,,\n"  # 10 negative price
    "\n"  # 11 blank, skipped
    'B7,Good two,"1,250.00",Out of Stock,,\n'  # 12 ok
    "B8,,3,in_stock,,\n"  # 13 missing title
    "B9,Bad moq,3,in_stock,,lots\n"  # 14 moq not a number
    "B10,Bad tier qty,3,in_stock,0:1.00,\n"  # 15 tier min_qty < 1
)


def test_malformed_csv_reports_each_bad_row_and_keeps_the_good(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.csv", MALFORMED_CSV)
    rejects = tmp_path / "out" / "rejects.jsonl"
    report = read_catalog(path, rejects_path=rejects)

    assert [i.id for i in report.items] == ["A1", "B5", "B7"]
    assert report.items[0].title == "Good one"  # the first A1 wins
    assert report.items[1].title == "Multi\nline title"
    assert report.items[2].price == 1250.0 and report.items[2].availability == "out_of_stock"

    got = [(e.line, e.field) for e in report.errors]
    assert got == [
        (3, "id"),
        (4, "id"),
        (5, "price"),
        (6, "availability"),
        (7, "tiered_prices"),
        (10, "price"),
        (13, "title"),
        (14, "moq"),
        (15, "tiered_prices"),
    ]
    by_line = {e.line: e for e in report.errors}
    assert "line 2" in by_line[4].message and "duplicate" in by_line[4].message
    assert "negative" in by_line[10].message
    assert by_line[5].raw == "B2,Bad price,twelve,in_stock,,"

    assert report.rejects_path == rejects
    written = [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()]
    assert [(r["line"], r["field"]) for r in written] == got
    assert all(set(r) == {"line", "field", "message", "item_id", "raw"} for r in written)
    assert written[0]["raw"] == ",No id,5,in_stock,,"


def test_malformed_jsonl_rows(tmp_path: Path) -> None:
    lines = [
        '{"id": "a", "title": "A", "price": 1}',  # 1 ok
        '{"id": "b", "title": "B", "price": 2',  # 2 invalid JSON
        '["not", "an", "object"]',  # 3 not an object
        '{"id": "c", "title": "C", "price": "free"}',  # 4 price
        '{"id": "d", "title": "D", "price": 1, "tiered_prices": [{"min_qty": "x"}]}',  # 5 tiers
        '{"id": "a", "title": "A again", "price": 1}',  # 6 duplicate
        '{"title": "no id", "price": 1}',  # 7 missing id
    ]
    path = write(tmp_path / "bad.jsonl", "\n".join(lines) + "\n")
    report = read_catalog(path, rejects_path=tmp_path / "rejects.jsonl")
    assert [i.id for i in report.items] == ["a"]
    assert [(e.line, e.field) for e in report.errors] == [
        (2, None),
        (3, None),
        (4, "price"),
        (5, "tiered_prices"),
        (6, "id"),
        (7, "id"),
    ]
    assert "invalid JSON" in report.errors[0].message
    assert report.errors[0].raw == lines[1]
    assert report.errors[2].raw == {"id": "c", "title": "C", "price": "free"}
    assert len((tmp_path / "rejects.jsonl").read_text().splitlines()) == 6


def test_rejects_file_is_rewritten_even_when_clean(tmp_path: Path) -> None:
    rejects = tmp_path / "rejects.jsonl"
    rejects.write_text("stale\n")
    report = read_catalog(write(tmp_path / "ok.csv", "id,title,price\na,A,1\n"), rejects_path=rejects)
    assert report.errors == [] and rejects.read_text() == ""


# ------------------------------------------------------------------------------------------
# Mapping


def test_column_mapping(tmp_path: Path) -> None:
    path = write(
        tmp_path / "erp.csv",
        "SKU,Name,Unit Price,Min Order,Material\nX-1,Cut-resistant gloves,3.20,100,kevlar\n",
    )
    mapping = parse_mapping("id=SKU, title=Name,price=Unit Price,moq=Min Order")
    assert mapping == {"id": "SKU", "title": "Name", "price": "Unit Price", "moq": "Min Order"}
    report = read_catalog(path, mapping=mapping)
    assert report.errors == []
    (item,) = report.items
    assert (item.id, item.title, item.price) == ("X-1", "Cut-resistant gloves", 3.2)
    # Mapped source columns are consumed; the rest become attributes.
    assert item.attributes == {"moq": 100, "material": "kevlar"}


def test_mapping_to_a_missing_column_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "erp.csv", "sku,name,price\nX,Y,1\n")
    with pytest.raises(CatalogError, match=r"erp\.csv.*no column 'code'.*sku, name, price"):
        read_catalog(path, mapping={"id": "code", "title": "name"})


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("id", "FIELD=COLUMN"),
        ("id=", "FIELD=COLUMN"),
        ("=sku", "FIELD=COLUMN"),
        ("sku=id", "not an item field"),
        ("id=a,id=b", "mapped twice"),
        ("", "empty"),
    ],
)
def test_parse_mapping_errors(text: str, needle: str) -> None:
    with pytest.raises(CatalogError, match=needle):
        parse_mapping(text)


# ------------------------------------------------------------------------------------------
# File-level errors and encodings


def test_missing_required_column_names_file_column_and_map(tmp_path: Path) -> None:
    path = write(tmp_path / "erp.csv", "sku,title,unit_price\nX,Y,1\n")
    with pytest.raises(CatalogError) as info:
        read_catalog(path)
    message = str(info.value)
    assert "erp.csv" in message
    assert "'id'" in message and "'price'" in message
    assert "--map id=sku,price=unit_price" in message


def test_empty_file_is_an_error(tmp_path: Path) -> None:
    for name in ("empty.csv", "empty.jsonl"):
        path = write(tmp_path / name, "")
        with pytest.raises(CatalogError, match=rf"{name}.*empty"):
            read_catalog(path)


def test_header_only_csv_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="no item rows"):
        read_catalog(write(tmp_path / "h.csv", "id,title,price\n"))


def test_unknown_extension_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=r"cat\.xlsx.*\.csv, \.jsonl, \.ndjson"):
        read_catalog(write(tmp_path / "cat.xlsx", "x"))
    with pytest.raises(CatalogError, match=r"nope\.csv: no such file"):
        read_catalog(tmp_path / "nope.csv")


def test_utf8_bom_is_ignored(tmp_path: Path) -> None:
    csv_path = tmp_path / "bom.csv"
    csv_path.write_bytes(b"\xef\xbb\xbfid,title,price\na,Caf\xc3\xa9 cup,3\n")
    report = read_catalog(csv_path)
    assert report.errors == [] and report.items[0].id == "a" and report.items[0].title == "Café cup"

    jsonl_path = tmp_path / "bom.jsonl"
    jsonl_path.write_bytes(b'\xef\xbb\xbf{"id": "a", "title": "A", "price": 1}\n')
    assert [i.id for i in read_catalog(jsonl_path).items] == ["a"]


def test_invalid_utf8_line_is_reported_not_fatal(tmp_path: Path) -> None:
    csv_path = tmp_path / "latin1.csv"
    csv_path.write_bytes(b"id,title,price\na,Good,1\nb,Caf\xe9 cup,2\nc,Fine,3\n")
    report = read_catalog(csv_path, rejects_path=tmp_path / "rejects.jsonl")
    assert [i.id for i in report.items] == ["a", "c"]
    assert [(e.line, e.field) for e in report.errors] == [(3, None)]
    assert "UTF-8" in report.errors[0].message
    assert report.errors[0].raw == "b,Caf\ufffd cup,2"
    json.loads((tmp_path / "rejects.jsonl").read_text(encoding="utf-8"))  # writable, valid JSON

    jsonl_path = tmp_path / "latin1.jsonl"
    jsonl_path.write_bytes(
        b'{"id": "a", "title": "A", "price": 1}\n{"id": "b", "title": "Caf\xe9", "price": 1}\n'
    )
    report = read_catalog(jsonl_path)
    assert [i.id for i in report.items] == ["a"]
    assert [(e.line, e.field) for e in report.errors] == [(2, None)]
    assert "UTF-8" in report.errors[0].message


def test_semicolon_delimited_csv(tmp_path: Path) -> None:
    report = read_catalog(write(tmp_path / "eu.csv", "id;title;price\na;A;12,50\n"))
    assert report.items[0].price == 12.5


# ------------------------------------------------------------------------------------------
# Clients and demo data


def test_load_clients(tmp_path: Path) -> None:
    path = write(
        tmp_path / "clients.json",
        json.dumps(
            [
                {
                    "id": "c1",
                    "name": "Ada",
                    "catalog": "boutique",
                    "purchases": [{"item_id": "B1", "date": "2024-05-01", "note": "gift"}],
                    "notes": ["prefers navy"],
                }
            ]
        ),
    )
    (client,) = load_clients(path)
    assert client.id == "c1" and client.purchases[0].item_id == "B1"


def test_load_clients_errors_name_index_and_field(tmp_path: Path) -> None:
    path = write(
        tmp_path / "clients.json",
        json.dumps(
            [
                {"id": "c1", "catalog": "boutique"},
                {"id": "c2", "catalog": "boutique", "purchases": [{"date": "2024-01-01"}]},
            ]
        ),
    )
    with pytest.raises(CatalogError, match=r"client 1 \(id 'c2'\): field purchases\.0\.item_id"):
        load_clients(path)
    with pytest.raises(CatalogError, match="expected a JSON list"):
        load_clients(write(tmp_path / "obj.json", "{}"))
    with pytest.raises(CatalogError, match="line 1, column"):
        load_clients(write(tmp_path / "broken.json", "[{"))


def test_demo_catalog_paths() -> None:
    assert DEMO_CATALOGS == ("boutique", "wholesale")
    for name in DEMO_CATALOGS:
        path = demo_catalog_path(name)
        assert path.parent.name == "demo_data" and path.stem == name
    with pytest.raises(CatalogError, match="boutique, wholesale"):
        demo_catalog_path("nope")


@pytest.mark.parametrize("name", DEMO_CATALOGS)
def test_demo_catalogs_read_cleanly(name: str) -> None:
    path = demo_catalog_path(name)
    if not path.exists():
        pytest.skip(f"{path} is not written yet")
    report = read_catalog(path)
    assert report.items and report.errors == []
