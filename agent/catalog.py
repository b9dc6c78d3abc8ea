"""Catalog ingestion: CSV and JSONL files become validated :class:`~agent.models.Item` rows.

Reading is forgiving about formatting ("1,250.00", "€12.50", "In Stock", a UTF-8 BOM) and strict
about meaning: a row that cannot become a trustworthy item (no id, an unreadable price, a repeated
id, ...) is rejected with its line number and field, written to a rejects file if asked, and every
other row is still ingested. Only problems that make the whole file unusable (empty, wrong format,
no ``id``/``title``/``price`` column) raise :class:`CatalogError`.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from pathlib import Path
from typing import Any, Iterator

from pydantic import BaseModel, Field, ValidationError

from agent.models import ClientHistory, Item, PriceTierBreak
from agent.money import parse_price  # noqa: F401  (a price field is read by the one money module)

DEMO_CATALOGS: tuple[str, ...] = ("boutique", "wholesale")
"""Catalogs shipped with Motive, in ``agent/demo_data/``."""

DEMO_DATA_DIR = Path(__file__).parent / "demo_data"

CSV_EXTENSIONS = (".csv",)
JSONL_EXTENSIONS = (".jsonl", ".ndjson")

REQUIRED_FIELDS = ("id", "title", "price")
"""Item fields every catalog must provide (``--map`` can rename the source columns)."""

ITEM_FIELDS: tuple[str, ...] = tuple(f for f in Item.model_fields if f != "attributes")
"""Item fields a source column can fill directly."""

SPECIAL_ATTRIBUTES = ("moq", "lead_time_days", "size", "tiered_prices")
"""Attributes with a parsed shape (ints, a list, price breaks); ``--map`` may target them too."""

# Column names that usually hold a required field, so the error can suggest a concrete --map.
_LIKELY_SOURCES = {
    "id": ("sku", "item_id", "product_id", "code", "article", "ref", "item_number", "part_number"),
    "title": ("name", "product_name", "item_name", "product", "title_en", "label"),
    "price": ("unit_price", "list_price", "price_usd", "price_eur", "cost", "msrp", "retail_price"),
}

_AVAILABILITY_SYNONYMS = {
    "in_stock": "in_stock",
    "instock": "in_stock",
    "available": "in_stock",
    "in_store": "in_stock",
    "yes": "in_stock",
    "true": "in_stock",
    "low_stock": "low_stock",
    "low": "low_stock",
    "limited": "low_stock",
    "limited_stock": "low_stock",
    "few_left": "low_stock",
    "last_units": "low_stock",
    "out_of_stock": "out_of_stock",
    "outofstock": "out_of_stock",
    "out": "out_of_stock",
    "sold_out": "out_of_stock",
    "soldout": "out_of_stock",
    "unavailable": "out_of_stock",
    "not_available": "out_of_stock",
    "oos": "out_of_stock",
    "no": "out_of_stock",
    "false": "out_of_stock",
    "made_to_order": "made_to_order",
    "madetoorder": "made_to_order",
    "mto": "made_to_order",
    "to_order": "made_to_order",
    "backorder": "made_to_order",
    "back_order": "made_to_order",
    "backordered": "made_to_order",
    "preorder": "made_to_order",
    "pre_order": "made_to_order",
}

_UNSAFE_IN_ID = ("Cc", "Cf", "Zl", "Zp", "Co", "Cs")
"""Unicode categories an item id may not contain: controls (newline, tab, NUL, ESC), format
characters (bidi overrides, zero-width), line and paragraph separators, private use, surrogates."""


class CatalogError(ValueError):
    """The catalog file as a whole cannot be read; the message names the file and what to do."""


class RowError(BaseModel):
    """One rejected row: where it is, which field is at fault, and why."""

    line: int
    """1-based line number in the file (a CSV header is line 1); a multi-line CSV record reports
    the line it starts on."""
    field: str | None = None
    """Item field (or source column) at fault; None when the whole row is unreadable."""
    message: str
    item_id: str | None = None
    """The row's id when it could be read (so a re-ingest can say which stored item it drops)."""
    raw: str | dict[str, Any]
    """The row as found: its text, or the parsed JSON object."""


class IngestReport(BaseModel):
    """What :func:`read_catalog` made of a file."""

    path: Path
    items: list[Item] = Field(default_factory=list)
    """Every row that became an item, in file order."""
    errors: list[RowError] = Field(default_factory=list)
    """Every rejected row, in file order."""
    rejects_path: Path | None = None
    """Where the rejected rows were written (JSONL), if a rejects file was asked for."""

    def summary(self) -> str:
        """One line for the CLI: counts, and where the rejects went."""
        text = f"{self.path.name}: {len(self.items)} items read, {len(self.errors)} rows rejected"
        if self.errors and self.rejects_path is not None:
            text += f" (see {self.rejects_path})"
        return text


ColumnMapping = dict[str, str]
"""Item field name -> source column name, e.g. ``{"id": "sku", "title": "name"}``."""


# --------------------------------------------------------------------------------------------
# Column mapping


def _norm_key(name: str) -> str:
    """Header/key spelling used for matching: ``" Lead Time-Days "`` -> ``"lead_time_days"``."""
    return re.sub(r"[\s\-]+", "_", name.strip().lstrip("\ufeff")).lower()


def parse_mapping(text: str) -> ColumnMapping:
    """Parse ``"id=sku,title=name,price=unit_price"`` (the ``--map`` option) into a mapping.

    Keys are Item fields (or one of the parsed attributes ``moq``, ``lead_time_days``, ``size``,
    ``tiered_prices``); values are column names as they appear in the file.
    """
    mapping: ColumnMapping = {}
    accepted = (*ITEM_FIELDS, *SPECIAL_ATTRIBUTES)
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        field, sep, column = part.partition("=")
        field, column = field.strip(), column.strip()
        if not sep or not field or not column:
            raise CatalogError(
                f"--map: {part!r} is not of the form FIELD=COLUMN; "
                f"example: --map id=sku,title=name,price=unit_price"
            )
        key = _norm_key(field)
        if key not in accepted:
            raise CatalogError(
                f"--map: {field!r} is not an item field; map one of: {', '.join(accepted)}"
            )
        if key in mapping:
            raise CatalogError(f"--map: field {key!r} is mapped twice")
        mapping[key] = column
    if not mapping:
        raise CatalogError("--map is empty; example: --map id=sku,title=name,price=unit_price")
    return mapping


# --------------------------------------------------------------------------------------------
# Value parsing (each raises _FieldError with a user-facing message)


class _FieldError(Exception):
    def __init__(self, field: str | None, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def parse_availability(value: Any) -> str:
    """Map ``"In Stock"``, ``"sold out"``, ``"made-to-order"``, ... onto :data:`Availability`."""
    key = _norm_key(str(value))
    if key in _AVAILABILITY_SYNONYMS:
        return _AVAILABILITY_SYNONYMS[key]
    raise ValueError(
        f"availability {value!r} is not recognised; use in_stock, low_stock, out_of_stock or "
        f"made_to_order (synonyms like 'available', 'sold out' also work)"
    )


def parse_tiered_prices(value: Any) -> list[dict[str, Any]]:
    """``"10:4.20|100:3.90"`` or ``[{"min_qty": 10, "unit_price": 4.2}, ...]`` -> price breaks,
    validated as :class:`PriceTierBreak`, sorted by quantity."""
    if isinstance(value, str):
        entries: list[Any] = []
        for part in (p.strip() for p in value.split("|")):
            if not part:
                continue
            qty, sep, price = part.partition(":")
            if not sep:
                raise ValueError(f"{part!r} is not QTY:PRICE; example: 10:4.20|100:3.90")
            try:
                amount, _ = parse_price(price)
            except ValueError as exc:
                raise ValueError(f"{part!r}: {exc}") from None
            entries.append({"min_qty": qty.strip(), "unit_price": amount})
    elif isinstance(value, list):
        entries = value
    else:
        raise ValueError(
            f"expected 'QTY:PRICE|QTY:PRICE' or a list of {{min_qty, unit_price}}, got {value!r}"
        )
    breaks = []
    for entry in entries:
        if not isinstance(entry, dict):
            raise ValueError(f"price break {entry!r} is not an object with min_qty and unit_price")
        try:
            breaks.append(PriceTierBreak.model_validate(entry))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "entry"
            raise ValueError(f"price break {entry!r}: {where}: {first['msg']}") from None
    if not breaks:
        raise ValueError("no price breaks given")
    quantities = [b.min_qty for b in breaks]
    if len(set(quantities)) != len(quantities):
        raise ValueError(f"two price breaks share a min_qty: {sorted(quantities)}")
    return [b.model_dump() for b in sorted(breaks, key=lambda b: b.min_qty)]


_WHOLE_NUMBER = re.compile(
    r"\s*(\d+)(?:\.0*)?\s*(?:units?|pcs|pieces|days?|d|business\s+days)?\s*", re.IGNORECASE
)


def _parse_whole_number(field: str, value: Any) -> int:
    if isinstance(value, bool):
        raise _FieldError(field, f"{field} must be a whole number, got {value!r}")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        match = _WHOLE_NUMBER.fullmatch(str(value))
        if not match:
            raise _FieldError(field, f"{field} must be a whole number, got {value!r}")
        number = int(match.group(1))
    if number < 0:
        raise _FieldError(field, f"{field} cannot be negative, got {value!r}")
    return number


def _parse_sizes(value: Any) -> list[str] | Any:
    if isinstance(value, str):
        return [s.strip() for s in re.split(r"[,|;]", value) if s.strip()]
    return value


# --------------------------------------------------------------------------------------------
# Row -> Item


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _build_item(
    record: dict[str, Any],
    mapping: ColumnMapping,
    default_currency: str,
) -> Item:
    """Turn one source record (normalised keys) into an Item, or raise _FieldError."""
    sources = {field: _norm_key(column) for field, column in mapping.items()}
    consumed = set(sources.values())
    fields: dict[str, Any] = {}
    attributes: dict[str, Any] = {}

    nested = record.get("attributes")
    if isinstance(nested, str) and nested.strip().startswith("{"):
        # A CSV may carry extra facts as a JSON object in an "attributes" column.
        try:
            nested = json.loads(nested)
        except json.JSONDecodeError:
            raise _FieldError("attributes", "the attributes column is not a valid JSON object") from None
    if isinstance(nested, dict) and "attributes" not in consumed:
        consumed.add("attributes")
        attributes.update({_norm_key(k): v for k, v in nested.items() if not _is_empty(v)})

    for field in (*ITEM_FIELDS, *SPECIAL_ATTRIBUTES):
        key = sources.get(field, field)
        # A column named like a field but mapped away from it (--map id=sku, file also has "id")
        # is kept as an attribute instead of silently filling the field twice.
        if field not in sources and key in consumed:
            continue
        if key in record and not _is_empty(record[key]):
            target = fields if field in ITEM_FIELDS else attributes
            target[field] = record[key]
            consumed.add(key)
    for key, value in record.items():
        if key not in consumed and not _is_empty(value) and key not in fields:
            attributes[key] = value

    for field in ("id", "title"):
        if _is_empty(fields.get(field)):
            column = mapping.get(field, field)
            raise _FieldError(field, f"missing {field} (column {column!r} is empty)")
        fields[field] = str(fields[field]).strip()
    unsafe = next((c for c in fields["id"] if unicodedata.category(c) in _UNSAFE_IN_ID), None)
    if unsafe is not None:
        # An id is echoed into replies and logs: a newline in it could forge a line there.
        raise _FieldError("id", f"id {fields['id']!r} contains the control character U+{ord(unsafe):04X}; "
                                f"ids may hold letters, digits, spaces and punctuation only")

    if _is_empty(fields.get("price")):
        raise _FieldError("price", f"missing price (column {mapping.get('price', 'price')!r} is empty)")
    try:
        price, price_currency = parse_price(fields["price"])
    except ValueError as exc:
        raise _FieldError("price", f"unreadable price: {exc}") from None
    if price < 0:
        raise _FieldError("price", f"price cannot be negative, got {fields['price']!r}")
    fields["price"] = price

    currency = str(fields.get("currency") or price_currency or default_currency).strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise _FieldError("currency", f"currency {currency!r} is not a 3-letter code like USD")
    if price_currency and fields.get("currency") and price_currency != currency:
        raise _FieldError(
            "price", f"price is in {price_currency} but the currency column says {currency}"
        )
    fields["currency"] = currency

    if "availability" in fields:
        try:
            fields["availability"] = parse_availability(fields["availability"])
        except ValueError as exc:
            raise _FieldError("availability", str(exc)) from None

    for field in ("description", "brand", "category"):
        if field in fields:
            fields[field] = str(fields[field]).strip()

    for field in ("moq", "lead_time_days"):
        if field in attributes:
            attributes[field] = _parse_whole_number(field, attributes[field])
    if "size" in attributes:
        attributes["size"] = _parse_sizes(attributes["size"])
    if "tiered_prices" in attributes:
        try:
            attributes["tiered_prices"] = parse_tiered_prices(attributes["tiered_prices"])
        except ValueError as exc:
            raise _FieldError("tiered_prices", f"malformed tiered prices: {exc}") from None

    try:
        return Item(**fields, attributes=attributes)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else None
        raise _FieldError(field, f"{field}: {first['msg']}") from None


# --------------------------------------------------------------------------------------------
# File readers: yield (line, raw, record-or-error) and leave item rules to _build_item.


def _has_surrogates(text: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in text)


def _printable(text: str) -> str:
    """Undo surrogateescape so a raw row with bad bytes can be written and shown."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


_BAD_UTF8 = "line is not valid UTF-8; re-save the file as UTF-8"


def _read_csv(path: Path, text: str, mapping: ColumnMapping) -> Iterator[tuple[int, Any, Any]]:
    lines = list(io.StringIO(text, newline=""))
    if not lines or not "".join(lines).strip():
        raise CatalogError(f"{path}: the file is empty; a catalog needs a header and item rows")
    header_line = lines[0]
    delimiter = ","
    if "," not in header_line:
        delimiter = ";" if ";" in header_line else ("\t" if "\t" in header_line else ",")
    reader = csv.reader(iter(lines), delimiter=delimiter)
    try:
        header = next(reader)
    except csv.Error as exc:
        raise CatalogError(f"{path}: line 1: the header cannot be read as CSV: {exc}") from exc
    if _has_surrogates(header_line):
        raise CatalogError(f"{path}: line 1 (the header) is not valid UTF-8; re-save the file as UTF-8")
    columns = [_norm_key(h) for h in header]
    _check_csv_header(path, header, columns, mapping)

    previous_end = reader.line_num
    while True:
        start = previous_end + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            end = reader.line_num
            raw = _printable("".join(lines[start - 1 : end]).rstrip("\r\n"))
            yield start, raw, _FieldError(None, f"not readable as CSV: {exc}")
            previous_end = end
            continue
        end = reader.line_num
        previous_end = end
        raw_text = "".join(lines[start - 1 : end]).rstrip("\r\n")
        if not row or all(not cell.strip() for cell in row):
            continue  # blank lines separate nothing in a catalog; skip them quietly
        if end > start and end == len(lines) and raw_text.count('"') % 2 == 1:
            # The csv module reads an unclosed quote to the end of the file, as one cell.
            yield start, _printable(raw_text), _FieldError(
                None, f"a quote opened on line {start} is never closed, so lines {start}-{end} "
                      f"({end - start + 1} lines, rows after it included) were read as one row; close the "
                      f"quote (a quote inside a quoted cell is written twice: \"\") and ingest again")
            continue
        if _has_surrogates(raw_text):
            yield start, _printable(raw_text), _FieldError(None, _BAD_UTF8)
            continue
        extra = [cell for cell in row[len(columns) :] if cell.strip()]
        if extra:
            yield start, raw_text, _FieldError(
                None, f"row has {len(row)} values but the header has {len(columns)} columns"
            )
            continue
        record = {col: (row[i] if i < len(row) else "") for i, col in enumerate(columns) if col}
        yield start, raw_text, record


def _check_csv_header(path: Path, header: list[str], columns: list[str], mapping: ColumnMapping) -> None:
    present = set(columns)
    for field, column in mapping.items():
        if _norm_key(column) not in present:
            raise CatalogError(
                f"{path}: --map {field}={column}: there is no column {column!r}; "
                f"columns are: {', '.join(h.strip() for h in header)}"
            )
    missing = [f for f in REQUIRED_FIELDS if _norm_key(mapping.get(f, f)) not in present]
    if missing:
        hints = []
        for field in missing:
            guess = next((c for c in _LIKELY_SOURCES[field] if c in present), None)
            hints.append(f"{field}={guess}" if guess else f"{field}=<column>")
        raise CatalogError(
            f"{path}: missing required column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(repr(m) for m in missing)}; columns are: "
            f"{', '.join(h.strip() for h in header)}. "
            f"Rename the column or map it, e.g. --map {','.join(hints)}"
        )


def _read_jsonl(path: Path, data: bytes) -> Iterator[tuple[int, Any, Any]]:
    if not data.strip() or not data.lstrip(b"\xef\xbb\xbf").strip():
        raise CatalogError(f"{path}: the file is empty; a JSONL catalog needs one JSON object per line")
    for number, raw_bytes in enumerate(data.split(b"\n"), start=1):
        if number == 1 and raw_bytes.startswith(b"\xef\xbb\xbf"):
            raw_bytes = raw_bytes[3:]
        raw_bytes = raw_bytes.rstrip(b"\r")
        if not raw_bytes.strip():
            continue
        try:
            raw = raw_bytes.decode("utf-8")
        except UnicodeDecodeError as exc:
            raw = raw_bytes.decode("utf-8", "replace")
            yield number, raw, _FieldError(None, f"{_BAD_UTF8} (bad byte at column {exc.start + 1})")
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            yield number, raw, _FieldError(None, f"invalid JSON at column {exc.colno}: {exc.msg}")
            continue
        if not isinstance(obj, dict):
            yield number, raw, _FieldError(None, f"expected a JSON object, got {type(obj).__name__}")
            continue
        yield number, obj, {_norm_key(k): v for k, v in obj.items()}


def read_catalog(
    path: Path | str,
    mapping: ColumnMapping | None = None,
    rejects_path: Path | str | None = None,
    default_currency: str = "USD",
) -> IngestReport:
    """Read a ``.csv`` or ``.jsonl``/``.ndjson`` catalog into items, rejecting bad rows.

    ``mapping`` renames source columns onto item fields (see :func:`parse_mapping`); columns that
    are not item fields go into ``attributes``. Rejected rows are reported in
    :attr:`IngestReport.errors` and, when ``rejects_path`` is given, written there as JSONL (the
    file is rewritten even when empty, so it never shows a previous run's rejects).

    Raises :class:`CatalogError` when the file is missing, empty, of an unknown format, or a CSV
    header lacks a required column.
    """
    path = Path(path)
    mapping = dict(mapping or {})
    suffix = path.suffix.lower()
    if suffix not in CSV_EXTENSIONS + JSONL_EXTENSIONS:
        raise CatalogError(
            f"{path}: unknown catalog format {suffix or '(no extension)'!r}; "
            f"use one of {', '.join(CSV_EXTENSIONS + JSONL_EXTENSIONS)}"
        )
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CatalogError(f"{path}: no such file; check the path") from None
    except IsADirectoryError:
        raise CatalogError(f"{path}: is a directory; give the catalog file itself") from None
    except OSError as exc:
        raise CatalogError(f"{path}: cannot be read: {exc.strerror}") from None

    if suffix in CSV_EXTENSIONS:
        # surrogateescape keeps reading past bad bytes; the rows holding them are rejected below.
        text = data.decode("utf-8-sig", errors="surrogateescape")
        rows = _read_csv(path, text, mapping)
    else:
        rows = _read_jsonl(path, data)

    report = IngestReport(path=path)
    first_seen: dict[str, int] = {}
    for line, raw, record in rows:
        if isinstance(record, _FieldError):
            report.errors.append(RowError(line=line, field=record.field, message=record.message, raw=raw))
            continue
        try:
            item = _build_item(record, mapping, default_currency)
        except _FieldError as exc:
            row_id = record.get(_norm_key(mapping.get("id", "id")))
            report.errors.append(RowError(line=line, field=exc.field, message=exc.message, raw=raw,
                                          item_id=str(row_id).strip() if not _is_empty(row_id) else None))
            continue
        if item.id in first_seen:
            report.errors.append(
                RowError(
                    line=line,
                    field="id",
                    message=f"duplicate id {item.id!r} (first seen on line {first_seen[item.id]}); "
                    f"this row was skipped",
                    raw=raw,
                )
            )
            continue
        first_seen[item.id] = line
        report.items.append(item)

    if not report.items and not report.errors:
        raise CatalogError(f"{path}: holds no item rows, only a header or blank lines")
    if rejects_path is not None:
        report.rejects_path = Path(rejects_path)
        write_rejects(report.rejects_path, report.errors)
    return report


def write_rejects(path: Path, errors: list[RowError]) -> None:
    """Write rejected rows as JSONL (``line``, ``field``, ``message``, ``item_id``, ``raw`` per line)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for error in errors:
            fh.write(error.model_dump_json() + "\n")


# --------------------------------------------------------------------------------------------
# Clients and demo data


def load_clients(path: Path | str) -> list[ClientHistory]:
    """Read a JSON list of client files; errors name the entry index, its id and the field."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise CatalogError(f"{path}: no such file; check the path") from None
    except UnicodeDecodeError as exc:
        raise CatalogError(f"{path}: not valid UTF-8 (byte {exc.start}); re-save it as UTF-8") from None
    except json.JSONDecodeError as exc:
        raise CatalogError(
            f"{path}: line {exc.lineno}, column {exc.colno}: invalid JSON: {exc.msg}"
        ) from None
    if not isinstance(data, list):
        raise CatalogError(f"{path}: expected a JSON list of clients, got a {type(data).__name__}")
    clients: list[ClientHistory] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(data):
        label = f"{path}: client {index}"
        if isinstance(entry, dict) and entry.get("id"):
            label += f" (id {entry['id']!r})"
        try:
            client = ClientHistory.model_validate(entry)
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(p) for p in first["loc"]) or "(entry)"
            raise CatalogError(f"{label}: field {field}: {first['msg']}") from None
        if client.id in seen:
            raise CatalogError(f"{label}: duplicate client id, first used by client {seen[client.id]}")
        seen[client.id] = index
        clients.append(client)
    return clients


def demo_catalog_path(name: str) -> Path:
    """Path of a built-in demo catalog (``boutique`` or ``wholesale``)."""
    if name not in DEMO_CATALOGS:
        raise CatalogError(f"no demo catalog {name!r}; demo catalogs are: {', '.join(DEMO_CATALOGS)}")
    for ext in (*JSONL_EXTENSIONS, *CSV_EXTENSIONS):
        candidate = DEMO_DATA_DIR / f"{name}{ext}"
        if candidate.exists():
            return candidate
    return DEMO_DATA_DIR / {"boutique": "boutique.jsonl", "wholesale": "wholesale.csv"}[name]


def demo_clients_path() -> Path:
    """Path of the demo client histories (``clients.json``)."""
    return DEMO_DATA_DIR / "clients.json"
