"""Count the trait claims Motive's offline explanations make that the item's own text does not
support (issue 11, 'offline trait noise in words').

For every item of the built-in boutique and wholesale catalogs, the claims are the trait phrases
a pick's sentence says (``agent.replies.said_phrases``, no motive: the item's strongest traits)
and the phrases it may say at all when a motive cites one (every trait that passes the reply's
support check). A claim is counted unsupported when, judged here on the item's text:

- ``no cue``: none of the phrase's cue words is in the item's text (an embedding attached it);
- ``season``: an occasion phrase names a season or climate ('summer wedding guest', 'beach
  holiday') and the item's text names neither it nor anything of it ('an autumn wedding');
- ``borrowed``: every cue found describes another piece the item is worn with ('instant sunshine
  to a *linen dress*' for earrings): in the description, the cue is followed, within two words, by
  a kind of garment that is not the item's own (not in its title or category).

The reply's own check (``agent.replies._supported``) applies the same two rules since this
count was made, so 'after' counts what it still lets through by these rules.

Run: ``PYTHONPATH=. python docs/conversations/claims.py`` (offline, MiniLM, a temporary store).
"""

from __future__ import annotations

import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

from agent.deps import build_deps
from agent.models import Recommendation
from agent.replies import _supported, candidate_phrases, said_phrases
from agent.settings import Settings
from agent.vocabulary import TRAIT_VOCABULARY, CueMatcher

SEASONS = {
    "summer": r"summer|sun|sunny|heat|hot|garden part|july|august|resort|beach|poolside|provence|riviera|tropical",
    "winter": r"winter|cold|snow|frost|freez|christmas|december|january|ski|chalet",
    "beach": r"beach|pool|swim|resort|seaside|coast|holiday|vacation|sand|riviera",
}
GARMENTS = r"dress|dresses|shirt|shirts|blouse|skirt|suit|trousers|jeans|knit|jacket|coat|gown|tuxedo|top|sweater|jumper|heels|sandals|shoes|trainers|blazer|cardigan|scarf|bag|belt"


def judge(phrase: str, dimension: str, item) -> str:
    """'' when the item's text supports the claim, else the reason it does not."""
    phrase_obj = next((p for p in TRAIT_VOCABULARY[dimension] if p.text == phrase), None)
    if phrase_obj is None or not phrase_obj.cues:
        return ""  # a phrase with no cue words (price tier and the like): nothing to check
    text = item.text()
    hits = CueMatcher(phrase_obj.cues).hits(text, text.lower())
    if not hits:
        return "no cue"
    if dimension == "occasion":
        for season, words in SEASONS.items():
            if season in phrase and not re.search(rf"\b(?:{words})", text, re.IGNORECASE):
                return "season"
    own = set(re.findall(r"[a-z]+", f"{item.title} {item.category}".lower()))
    start = text.find(item.description) if item.description else -1
    borrowed = 0
    for hit in hits:
        if start < 0 or not start <= hit.start() < start + len(item.description):
            continue  # the title and the attributes ('fit: relaxed jacket') are the item's own
        after = re.findall(r"[a-z]+", text[hit.end():hit.end() + 40].lower())[:2]
        if any(re.fullmatch(GARMENTS, w) and w not in own and w.rstrip("s") not in own for w in after):
            borrowed += 1
    return "borrowed" if borrowed == len(hits) else ""


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        deps = build_deps(Settings(data_dir=Path(tmp)))
        total = Counter()
        examples: list[str] = []
        for name in ("boutique", "wholesale"):
            deps.catalog(name)
            items = deps.store.all_items(name)
            traits = deps.traits_for(items)
            said = Counter()
            sayable = Counter()
            for item in items:
                t = traits.get(item.id)
                if t is None:
                    continue
                dims = {p: d for d, p in t.phrases()}
                rec = Recommendation(item_id=item.id, title=item.title, price=item.price, score=0.0, explanation="")
                for phrase in said_phrases(rec, item, t):
                    verdict = judge(phrase, dims.get(phrase, "functional"), item)
                    said["claims"] += 1
                    if verdict:
                        said[verdict] += 1
                        examples.append(f"{name} {item.id} {item.title}: '{phrase}' ({verdict})")
                for phrase in candidate_phrases(rec, t):
                    if not _supported(phrase, item):
                        continue
                    verdict = judge(phrase, dims.get(phrase, "functional"), item)
                    sayable["claims"] += 1
                    if verdict:
                        sayable[verdict] += 1
            print(f"{name}: {len(items)} items")
            print(f"  said (no motive): {said['claims']} claims, unsupported {sum(v for k, v in said.items() if k != 'claims')}"
                  f" ({', '.join(f'{k} {v}' for k, v in sorted(said.items()) if k != 'claims') or 'none'})")
            print(f"  sayable (passes the reply's check): {sayable['claims']} claims, unsupported "
                  f"{sum(v for k, v in sayable.items() if k != 'claims')}"
                  f" ({', '.join(f'{k} {v}' for k, v in sorted(sayable.items()) if k != 'claims') or 'none'})")
        if "-v" in sys.argv:
            print("\n".join(examples))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
