"""The `motive` command as a user runs it: a real process, a fresh data directory, no fakes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.servers import free_port

CSV = """id,title,description,brand,category,price,currency,availability,material
K-1,Merino Crew Jumper,Fine merino knit for the office and weekends,Nordhav,knitwear,180,EUR,in stock,merino wool
K-2,Cashmere Cardigan,Soft cashmere cardigan for cold evenings,Nordhav,knitwear,420,EUR,in stock,cashmere
K-3,Linen Shirt,Breathable linen shirt for hot summer days,Sable,shirt,120,EUR,in stock,linen
K-4,,Missing its title,Sable,shirt,90,EUR,in stock,cotton
K-5,Silk Evening Dress,Bias-cut silk gown for a black-tie gala,Aurel,dress,1900,EUR,made to order,silk
K-6,Cotton Tee,Everyday organic cotton tee,Sable,shirt,not-a-price,EUR,in stock,cotton
K-7,Wool Overcoat,Double-faced wool overcoat for winter in the city,Aurel,coat,890,EUR,low stock,wool
K-8,Canvas Sneakers,Casual canvas sneakers for weekends,Sable,shoes,95,EUR,in stock,canvas
"""


def motive(tmp_path: Path, *args: str, env: dict | None = None, stdin: str | None = None, timeout: float = 300):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("MOTIVE_")}
    environment.update(MOTIVE_DATA_DIR=str(tmp_path / "data"), HOME=str(tmp_path), **(env or {}))
    return subprocess.run([sys.executable, "-m", "apps.cli", *args], capture_output=True, text=True,
                          env=environment, timeout=timeout, input=stdin)


@pytest.fixture
def mini(tmp_path):
    path = tmp_path / "mini.csv"
    path.write_text(CSV)
    result = motive(tmp_path, "ingest", str(path), "--catalog", "mini", "--quiet")
    assert result.returncode == 0, result.stderr
    return path, result


def test_ingest_reports_bad_rows_and_keeps_the_rest(tmp_path, mini):
    path, result = mini
    assert f"rejected {path}:5: field title" in result.stderr
    assert f"rejected {path}:7: field price" in result.stderr
    assert "6 added, 0 updated, 0 unchanged" in result.stdout
    rejects = [json.loads(line) for line in
               (tmp_path / "data" / "rejects" / "mini.rejects.jsonl").read_text().splitlines()]
    assert [(r["line"], r["field"]) for r in rejects] == [(5, "title"), (7, "price")]

    again = motive(tmp_path, "ingest", str(path), "--catalog", "mini", "--quiet")
    assert "0 added, 0 updated, 6 unchanged" in again.stdout


def test_ask_json_prints_one_documented_object_per_turn(tmp_path, mini):
    script = tmp_path / "script.txt"
    script.write_text("a warm jumper for cold evenings, under 500 euros\n\nwhat is the first one made of?\n")
    result = motive(tmp_path, "ask", "--catalog", "mini", "--script", str(script), "--json")
    assert result.returncode == 0, result.stderr
    turns = [json.loads(line) for line in result.stdout.splitlines()]
    assert [t["act"] for t in turns] == ["recommend", "answer"]
    first = turns[0]
    assert {"reply", "act", "recommendations", "belief", "reflection", "llm"} <= first.keys()
    rec = first["recommendations"][0]
    assert {"item_id", "title", "price", "score", "explanation"} <= rec.keys()
    assert all(r["price"] <= 500 for r in first["recommendations"])
    motive_ = first["belief"]["motives"][0]
    assert {"text", "confidence", "evidence", "source"} <= motive_.keys()
    assert first["belief"]["constraints"]["budget_max"] == 500
    assert first["reflection"]["passed"] is True and first["reflection"]["attempts"] == 1
    assert first["llm"] == {"calls": 0, "tokens": 0, "fallbacks": [], "steps": {}, "failed": {}, "open": []}
    assert turns[1]["recommendations"] == [] and rec["title"] in turns[1]["reply"]


def test_a_refused_llm_endpoint_degrades_to_offline(tmp_path, mini):
    port = free_port()  # a loopback port with nothing listening
    script = tmp_path / "script.txt"
    script.write_text("a linen shirt for a hot summer\n")
    result = motive(tmp_path, "ask", "--catalog", "mini", "--script", str(script), "--json",
                    env={"MOTIVE_LLM_BASE_URL": f"http://127.0.0.1:{port}/v1", "MOTIVE_LLM_MODEL": "any",
                         "MOTIVE_LLM_TIMEOUT": "3", "MOTIVE_LLM_MAX_RETRIES": "0"})
    assert result.returncode == 0, result.stderr
    (turn,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert turn["act"] == "recommend" and turn["recommendations"]
    assert turn["recommendations"][0]["item_id"] == "K-3"
    assert {f["step"] for f in turn["llm"]["fallbacks"]} >= {"read", "respond"}
    assert all("Connection" in f["reason"] for f in turn["llm"]["fallbacks"])


def test_clear_errors_for_bad_input(tmp_path):
    missing = motive(tmp_path, "ingest", str(tmp_path / "nope.csv"))
    assert missing.returncode == 2 and "nope.csv" in missing.stderr and "Traceback" not in missing.stderr
    bad = tmp_path / "bad.txt"
    bad.write_text("x")
    wrong_type = motive(tmp_path, "ingest", str(bad))
    assert wrong_type.returncode == 2 and ".csv" in wrong_type.stderr
    unknown = tmp_path / "s.txt"
    unknown.write_text("hello\n")
    result = motive(tmp_path, "ask", "--catalog", "nope", "--script", str(unknown))
    assert result.returncode == 2 and "motive ingest" in result.stderr and "Traceback" not in result.stderr
    config = motive(tmp_path, "catalogs", env={"MOTIVE_LLM_TIMEOUT": "soon"})
    assert config.returncode == 2 and "MOTIVE_LLM_TIMEOUT" in config.stderr
