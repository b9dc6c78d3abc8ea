"""Reading ReDial-format conversational-recommendation turns and giving every candidate movie a text.

The folder holds ``test.jsonl`` (one recommendation turn per line: ``context``, ``rec``,
``prev_entity``, ``dialog_id``, ``turn_id``), ``item_ids.json`` (the entity ids that are movies:
the candidates) and ``entity2id.json`` (DBpedia URI -> entity id). Item text comes from a CSV with
``title`` ("Toy Story (1995)"), ``genres`` and ``keywords`` (both ``|``-separated), given apart.

Two optional files of a ReDial folder are used when present, and the run says so:
``movies_with_mentions.csv`` (ReDial movie id, "Title (Year)", mention count) lends years to
DBpedia names that lack one and gives popularity; ``test_data.jsonl`` (the raw test dialogues) gives
the test split's own mentions, which are subtracted from those counts so popularity never counts a
test mention.

Joining DBpedia names to the item-text CSV
------------------------------------------
A DBpedia name ``Water_(1985_film)`` gives the title "Water" and the year 1985; ``Maverick_(film)``
gives "Maverick" and no year. A missing year is taken from ReDial's movie list when exactly one
ReDial movie has that normalised title. Titles are normalised (:func:`normalise_title`: lower case,
accents and punctuation dropped, a leading or MovieLens-style trailing article dropped, ``&`` read
as ``and``), and the CSV's alternative titles in parentheses count too. A candidate then matches:

- ``title+year``: a CSV movie with the same normalised title and year (±1 year);
- ``title``: no year is known and exactly one CSV movie has that title;
- otherwise none, and the candidate's text is its title (and year when known) alone; it is still
  ranked, by whatever that text and the other signals give it.
"""

from __future__ import annotations

import csv
import json
import re
import sys
import unicodedata
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from apps.evaluation.seqrec_data import DataFormatError

DBPEDIA_PREFIX = "<http://dbpedia.org/resource/"
_YEAR_AT_END = re.compile(r"\s*\((\d{4})\)\s*$")
_DBPEDIA_PAREN = re.compile(r"\s*\(([^()]*)\)\s*$")
_ARTICLE_SUFFIX = re.compile(r"^(?P<body>.*),\s*(?P<article>the|a|an|les|la|le|l'|il|el|die|der|das)$", re.I)
_ALT_TITLE = re.compile(r"\(([^()]*)\)")


@dataclass(frozen=True)
class CrsTurn:
    """One recommendation turn of a dialogue."""

    dialog_id: str
    turn_id: int
    context: tuple[str, ...]
    """Utterances before the recommender's reply, oldest first; the last one is the seeker's."""
    rec: tuple[int, ...]
    """Entity ids of the movies the recommender then named (the ground truth)."""
    mentioned: tuple[int, ...]
    """Candidate movies already mentioned in the context (``prev_entity`` that are movies)."""

    @property
    def seeker_utterances(self) -> list[str]:
        """The seeker's utterances, oldest first: the context alternates speakers and ends with the
        seeker (consecutive messages of one speaker are merged in this format)."""
        picked = list(self.context[::-1][::2])[::-1]
        return [u for u in picked if u.strip()]


@dataclass
class Movie:
    entity_id: int
    title: str
    year: int | None
    genres: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    match: str = "none"
    """How the item text was found: ``title+year``, ``title`` or ``none`` (title-only text)."""

    def text(self) -> str:
        """What the embedder reads: title and year, genres and keywords when matched."""
        head = f"{self.title} ({self.year})" if self.year else self.title
        parts = [head]
        if self.genres:
            parts.append("Genres: " + ", ".join(self.genres))
        if self.keywords:
            parts.append("Keywords: " + ", ".join(self.keywords))
        return ". ".join(parts)


@dataclass
class CrsData:
    folder: Path
    turns: list[CrsTurn]
    movies: list[Movie]
    """The candidates, in ``item_ids.json`` order."""
    index: dict[int, int]
    """Entity id -> position in :attr:`movies`."""
    mention_counts: dict[int, float] | None = None
    """Entity id -> ReDial mentions outside the test split (None when the files are missing)."""
    notes: list[str] = field(default_factory=list)
    """What was read and how it was joined, for the printed report."""

    @property
    def name(self) -> str:
        return self.folder.name


def _fold_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def normalise_title(title: str) -> str:
    """A title reduced to what two spellings of it share: 'Usual Suspects, The' and
    'The Usual Suspects' both give 'usual suspects'."""
    text = _fold_accents(title).strip()
    m = _ARTICLE_SUFFIX.match(text)
    if m:
        text = m.group("body")
    text = text.lower().replace("&", " and ")
    text = re.sub(r"[^a-z0-9 ]+", " ", text)
    words = text.split()
    if words and words[0] in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words)


def split_year(title: str) -> tuple[str, int | None]:
    """``'Toy Story (1995)'`` -> ``('Toy Story', 1995)``; no year -> ``(title, None)``."""
    m = _YEAR_AT_END.search(title)
    if not m:
        return title.strip(), None
    return title[: m.start()].strip(), int(m.group(1))


def dbpedia_title(uri: str) -> tuple[str, int | None]:
    """Title and year (when the disambiguation names one) of a DBpedia resource URI."""
    name = uri[len(DBPEDIA_PREFIX):-1] if uri.startswith(DBPEDIA_PREFIX) else uri.strip("<>")
    name = urllib.parse.unquote(name).replace("_", " ").strip()
    year = None
    m = _DBPEDIA_PAREN.search(name)
    if m:
        inside = m.group(1)
        found = re.search(r"\b(1[89]\d\d|20\d\d)\b", inside)
        if found or re.search(r"film|movie|series|serial|tv", inside, re.I):
            year = int(found.group(1)) if found else None
            name = name[: m.start()].strip()
    return name, year


def movielens_titles(title: str) -> list[str]:
    """Normalised forms of a CSV title: the main title and each alternative in parentheses."""
    base, _ = split_year(title)
    alts = _ALT_TITLE.findall(base)
    main = _ALT_TITLE.sub("", base).strip()
    out = [normalise_title(main)] + [normalise_title(a) for a in alts if not a.lower().startswith("a.k.a")]
    out += [normalise_title(a[len("a.k.a."):]) for a in alts if a.lower().startswith("a.k.a")]
    return [t for t in dict.fromkeys(out) if t]


def _read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataFormatError(f"{path}: missing (a ReDial-format folder needs it)") from None
    except json.JSONDecodeError as exc:
        raise DataFormatError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from None


def read_turns(path: Path, movie_ids: set[int]) -> list[CrsTurn]:
    turns: list[CrsTurn] = []
    try:
        handle = path.open(encoding="utf-8")
    except FileNotFoundError:
        raise DataFormatError(f"{path}: missing (a ReDial-format folder needs test.jsonl)") from None
    with handle:
        for line_no, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                rec = tuple(int(x) for x in row["rec"])
                turns.append(CrsTurn(
                    dialog_id=str(row.get("dialog_id", "")),
                    turn_id=int(row.get("turn_id", line_no)),
                    context=tuple(str(u) for u in row["context"]),
                    rec=rec,
                    mentioned=tuple(dict.fromkeys(int(x) for x in row.get("prev_entity", []) if int(x) in movie_ids)),
                ))
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                raise DataFormatError(f"{path}:{line_no}: not a turn ({type(exc).__name__}: {exc})") from None
    return turns


@dataclass
class TextRow:
    title: str
    year: int | None
    genres: tuple[str, ...]
    keywords: tuple[str, ...]
    order: int


def read_item_text(path: Path) -> dict[str, list[TextRow]]:
    """Normalised title -> CSV rows carrying it (main or alternative title)."""
    csv.field_size_limit(sys.maxsize)
    out: dict[str, list[TextRow]] = defaultdict(list)
    try:
        handle = path.open(newline="", encoding="utf-8")
    except FileNotFoundError:
        raise DataFormatError(f"{path}: item-text CSV not found") from None
    with handle:
        reader = csv.DictReader(handle)
        missing = {"title", "genres", "keywords"} - set(reader.fieldnames or [])
        if missing:
            raise DataFormatError(f"{path}: missing column(s) {sorted(missing)}")
        for order, row in enumerate(reader):
            base, year = split_year(row["title"] or "")
            genres = tuple(g for g in (row["genres"] or "").split("|") if g and not g.startswith("("))
            keywords = tuple(k.strip() for k in (row["keywords"] or "").split("|") if k.strip())
            text_row = TextRow(_ALT_TITLE.sub("", base).strip(), year, genres, keywords, order)
            for key in movielens_titles(row["title"] or ""):
                out[key].append(text_row)
    return out


def _redial_movies(path: Path) -> list[tuple[str, str, int | None, int]]:
    """``(redial id, title, year, mentions)`` per row of ``movies_with_mentions.csv``."""
    out = []
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            title, year = split_year(row.get("movieName", "") or "")
            out.append((str(row.get("movieId", "")), title, year, int(row.get("nbMentions") or 0)))
    return out


def _test_mentions(path: Path) -> Counter:
    """ReDial movie id -> ``@id`` mentions in the raw test dialogues."""
    counts: Counter = Counter()
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                for message in json.loads(line).get("messages", []):
                    counts.update(re.findall(r"@(\d+)", message.get("text", "")))
    return counts


def load_crs(folder: Path | str, items_text: Path | str, mentions: Path | str | None = None,
             raw_dialogues: Path | str | None = None) -> CrsData:
    """Turns, candidates with their text, and (when the files exist) test-free mention counts.

    ``mentions`` and ``raw_dialogues`` default to ``movies_with_mentions.csv`` and
    ``test_data.jsonl`` in ``folder`` when those exist.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise DataFormatError(f"{folder}: not a directory")
    entity2id = _read_json(folder / "entity2id.json")
    item_ids = [int(x) for x in _read_json(folder / "item_ids.json")]
    id2entity = {int(v): k for k, v in entity2id.items()}
    movie_set = set(item_ids)
    turns = read_turns(folder / "test.jsonl", movie_set)
    unknown = {x for t in turns for x in t.rec if x not in movie_set}
    if unknown:
        raise DataFormatError(f"{folder / 'test.jsonl'}: ground-truth ids {sorted(unknown)[:5]} are not in item_ids.json")
    text_index = read_item_text(Path(items_text))
    notes: list[str] = []

    mentions_path = Path(mentions) if mentions else folder / "movies_with_mentions.csv"
    raw_path = Path(raw_dialogues) if raw_dialogues else folder / "test_data.jsonl"
    redial = _redial_movies(mentions_path) if mentions_path.exists() else []
    redial_years: dict[str, set[int]] = defaultdict(set)
    for _, title, year, _ in redial:
        if year:
            redial_years[normalise_title(title)].add(year)

    movies: list[Movie] = []
    for entity_id in item_ids:
        title, year = dbpedia_title(id2entity.get(entity_id, str(entity_id)))
        key = normalise_title(title)
        if year is None and len(redial_years.get(key, ())) == 1:
            year = next(iter(redial_years[key]))
        rows = text_index.get(key, [])
        match: TextRow | None = None
        kind = "none"
        if year is not None:
            close = sorted((r for r in rows if r.year is not None and abs(r.year - year) <= 1),
                           key=lambda r: (abs(r.year - year), r.order))
            if close:
                match, kind = close[0], "title+year"
        elif len(rows) == 1:
            match, kind = rows[0], "title"
        if match is not None:
            movies.append(Movie(entity_id, match.title or title, match.year or year, match.genres,
                                match.keywords, kind))
        else:
            movies.append(Movie(entity_id, title, year))
    index = {m.entity_id: i for i, m in enumerate(movies)}
    kinds = Counter(m.match for m in movies)
    notes.append(f"{len(movies)} candidate movies; item text matched by title+year {kinds['title+year']}, "
                 f"by title alone {kinds['title']}, unmatched {kinds['none']} (title-only text)")

    counts: dict[int, float] | None = None
    if redial and raw_path.exists():
        test_counts = _test_mentions(raw_path)
        by_key: dict[tuple[str, int | None], float] = defaultdict(float)
        by_title: dict[str, float] = defaultdict(float)
        for redial_id, title, year, total in redial:
            train_only = max(0, total - test_counts.get(redial_id, 0))
            by_key[(normalise_title(title), year)] += train_only
            by_title[normalise_title(title)] += train_only
        counts = {}
        for movie in movies:
            key = normalise_title(movie.title)
            value = by_key.get((key, movie.year)) if movie.year else None
            counts[movie.entity_id] = float(value if value is not None else by_title.get(key, 0.0))
        notes.append(f"popularity: ReDial mention counts ({mentions_path.name}) minus the "
                     f"{sum(test_counts.values())} mentions in the test dialogues ({raw_path.name})")
    elif redial:
        notes.append(f"popularity skipped: {raw_path} is missing, so test mentions cannot be removed "
                     f"from {mentions_path.name}")
    else:
        notes.append(f"popularity skipped: no {mentions_path.name}")
    return CrsData(folder, turns, movies, index, counts, notes)
