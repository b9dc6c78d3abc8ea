"""``motive eval crs`` on a tiny ReDial-format folder written here, with a hash embedder."""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

import pytest

from apps.evaluation.crs import _context_mask, _pairs, add_arguments, run_crs, seeker_text
from apps.evaluation.crs_data import (CrsTurn, dbpedia_title, load_crs, movielens_titles,
                                       normalise_title, split_year)
from apps.evaluation.movie_vocabulary import movie_motive_inferer, movie_traits
from apps.evaluation.seqrec_data import DataFormatError
from tests.fakes import HashEmbedder


R = "<http://dbpedia.org/resource/"
ENTITIES = {
    f"{R}Toy_Story>": 1,
    f"{R}Water_(1985_film)>": 2,
    f"{R}Police_Academy_(film)>": 3,
    f"{R}Police_Academy_2:_Their_First_Assignment>": 4,
    f"{R}A_Film_Nobody_Catalogued_(film)>": 5,
    f"{R}Tom_Hanks>": 6,  # a person, not a movie
    f"{R}The_Usual_Suspects>": 7,
}
MOVIES = [1, 2, 3, 4, 5, 7]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "redial-tiny"
    root.mkdir()
    (root / "entity2id.json").write_text(json.dumps(ENTITIES))
    (root / "item_ids.json").write_text(json.dumps(MOVIES))
    turns = [
        {"context": ["", "Hi! I love scary movies, something like Police Academy (1984) but funny"],
         "resp": "Try Police Academy 2", "rec": [4], "prev_entity": [3, 6], "dialog_id": "test_1",
         "turn_id": 11},
        {"context": ["", "Hi", "What do you like?", "Animated films for my kids"],
         "resp": "Toy Story! or Police Academy", "rec": [1, 3], "prev_entity": [3],
         "dialog_id": "test_2", "turn_id": 21},
        {"context": ["I want a classic crime film"], "resp": "The Usual Suspects", "rec": [7],
         "prev_entity": [], "dialog_id": "test_3", "turn_id": 31},
    ]
    (root / "test.jsonl").write_text("\n".join(json.dumps(t) for t in turns) + "\n")
    with (root / "movies_with_mentions.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["movieId", "movieName", "nbMentions"])
        writer.writerow(["100", "Police Academy  (1984)", "10"])
        writer.writerow(["101", "Toy Story (1995)", "50"])
        writer.writerow(["102", "Police Academy 2: Their First Assignment (1985)", "4"])
    raw = {"conversationId": "1", "messages": [
        {"text": "like @100", "senderWorkerId": 1}, {"text": "@102 and @100 again", "senderWorkerId": 2}]}
    (root / "test_data.jsonl").write_text(json.dumps(raw) + "\n")
    return root


@pytest.fixture
def items_text(tmp_path: Path) -> Path:
    path = tmp_path / "movies_w_keywords.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["movieId", "title", "genres", "keywords"])
        writer.writerow(["1", "Toy Story (1995)", "Adventure|Animation|Children|Comedy", "pixar animation|toys"])
        writer.writerow(["2", "Water (1985)", "Comedy", "caribbean"])
        writer.writerow(["3", "Police Academy (1984)", "Comedy", "police|slapstick"])
        writer.writerow(["4", "Usual Suspects, The (1995)", "Crime|Mystery|Thriller", "twist ending|heist"])
        writer.writerow(["5", "Water (2005)", "Drama", "india"])
    return path


def test_title_normalisation():
    assert normalise_title("Usual Suspects, The") == normalise_title("The Usual Suspects") == "usual suspects"
    assert normalise_title("Amélie & Co.") == "amelie and co"
    assert split_year("Toy Story (1995)") == ("Toy Story", 1995)
    assert split_year("Toy Story") == ("Toy Story", None)
    assert movielens_titles("City of Lost Children, The (Cité des enfants perdus, La) (1995)") == [
        "city of lost children", "cite des enfants perdus"]


def test_dbpedia_names():
    assert dbpedia_title(f"{R}Water_(1985_film)>") == ("Water", 1985)
    assert dbpedia_title(f"{R}Police_Academy_(film)>") == ("Police Academy", None)
    assert dbpedia_title(f"{R}Tom_Hanks>") == ("Tom Hanks", None)
    assert dbpedia_title(f"{R}Am%C3%A9lie>") == ("Amélie", None)
    assert dbpedia_title(f"{R}Paris,_Texas_(Wim_Wenders)>") == ("Paris, Texas (Wim Wenders)", None)


def test_join_to_item_text(folder: Path, items_text: Path):
    data = load_crs(folder, items_text)
    by_id = {m.entity_id: m for m in data.movies}
    assert [m.entity_id for m in data.movies] == MOVIES
    assert by_id[1].match == "title+year" and by_id[1].year == 1995  # year lent by ReDial's list
    assert by_id[2].match == "title+year" and by_id[2].genres == ("Comedy",)  # not Water (2005)
    assert by_id[3].match == "title+year" and by_id[3].year == 1984  # year lent by ReDial's list
    # no year anywhere, exactly one CSV row with that title ('Usual Suspects, The')
    assert by_id[7].match == "title" and "Crime" in by_id[7].genres
    assert by_id[4].match == "none"  # not in the CSV at all
    assert by_id[5].match == "none"
    assert by_id[5].text() == "A Film Nobody Catalogued"  # unmatched: title-only text, still ranked
    assert "Genres: Adventure, Animation" in by_id[1].text()


def test_popularity_never_counts_a_test_mention(folder: Path, items_text: Path):
    data = load_crs(folder, items_text)
    assert data.mention_counts is not None
    assert data.mention_counts[3] == 8  # 10 in all of ReDial, 2 of them in the test dialogues
    assert data.mention_counts[4] == 3
    assert data.mention_counts[1] == 50
    assert any("minus the 3 mentions" in n for n in data.notes)


def test_without_raw_dialogues_popularity_is_skipped(folder: Path, items_text: Path):
    (folder / "test_data.jsonl").unlink()
    data = load_crs(folder, items_text)
    assert data.mention_counts is None
    assert any("popularity skipped" in n for n in data.notes)


def test_turns_mentions_and_seeker_utterances(folder: Path, items_text: Path):
    data = load_crs(folder, items_text)
    first, second, _ = data.turns
    assert first.mentioned == (3,)  # Tom Hanks is not a movie
    assert second.seeker_utterances == ["Hi", "Animated films for my kids"]
    assert seeker_text(second).startswith("Animated films")  # most recent first
    turn_idx, targets, repeated = _pairs(data)
    assert len(targets) == 4
    assert repeated.tolist() == [False, False, True, False]  # Police Academy was already mentioned
    mask = _context_mask(data, turn_idx)
    assert mask[0, data.index[3]] and not mask[0, data.index[4]]


def test_a_ground_truth_id_outside_the_candidates_is_an_error(folder: Path, items_text: Path):
    path = folder / "test.jsonl"
    path.write_text(path.read_text().replace('"rec": [7]', '"rec": [6]'))
    with pytest.raises(DataFormatError, match="not in item_ids.json"):
        load_crs(folder, items_text)


def test_movie_traits_and_motives():
    traits = movie_traits(("Horror", "Comedy"), ("Haunted House", "spoof"), 1978)
    assert traits.functional == ["horror film", "comedy"]
    assert "scary and frightening" in traits.emotional
    assert traits.aesthetic == ["haunted house", "spoof"]
    assert traits.occasion == ["classic older film"]
    assert movie_traits((), (), None) is None
    inferer = movie_motive_inferer(HashEmbedder(dim=16))
    texts = [m.text for m in inferer.from_message("I love scary movies, nothing too romantic", 0)]
    assert "wants a scary horror movie" in texts
    assert "wants a romantic love story" not in texts  # negated cue


def _args(folder: Path, items_text: Path, tmp_path: Path, *extra: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return parser.parse_args(["--data", str(folder), "--items-text", str(items_text),
                              "--cache", str(tmp_path / "cache"), *extra])


def test_run_crs_end_to_end(folder: Path, items_text: Path, tmp_path: Path, capsys):
    out = tmp_path / "crs.json"
    assert run_crs(_args(folder, items_text, tmp_path, "--json", str(out)), embedder=HashEmbedder(dim=16)) == 0
    printed = capsys.readouterr().out
    assert "GPT-4 zero-shot (published)" in printed
    payload = json.loads(out.read_text())
    assert set(payload["methods"]) == {"popularity", "dense", "motive"}
    for metrics in payload["methods"].values():
        assert set(metrics) == {"R@1", "R@5", "R@10", "R@20", "R@50"}
        assert metrics["R@50"] == 1.0  # six candidates: every target is in the top 50
    protocol = payload["protocol"]
    assert protocol["evaluated_pairs"] == 3 and protocol["repeated_pairs"] == 1
    assert protocol["ground_truth_text"] == {"matched": 2, "unmatched": 1}  # Police Academy 2
    assert payload["repeated"]["motive"]["pairs"] == 1
    assert payload["published"]["UniCRS"]["R@10"] == 0.224


def test_run_crs_reports_a_missing_file(folder: Path, items_text: Path, tmp_path: Path, capsys):
    (folder / "item_ids.json").unlink()
    assert run_crs(_args(folder, items_text, tmp_path), embedder=HashEmbedder(dim=16)) == 2
    assert "item_ids.json: missing" in capsys.readouterr().err


def test_seeker_parity_from_the_end():
    turn = CrsTurn("d", 1, ("", "a", "b", "c"), (1,), ())
    assert turn.seeker_utterances == ["a", "c"]


def test_run_crs_ablations(folder: Path, items_text: Path, tmp_path: Path):
    out = tmp_path / "ablations.json"
    assert run_crs(_args(folder, items_text, tmp_path, "--ablations", "--json", str(out)), embedder=HashEmbedder(dim=16)) == 0
    payload = json.loads(out.read_text())
    assert payload["motive_ablations"]["full, as benchmarked"] == payload["methods"]["motive"]
    assert "MAR alone" in payload["motive_ablations"]
