"""Hard facts in a client file: what the client (or someone they shop for) cannot have.

A personal shopper reads "Husband Tom is strictly vegan" or "low heels only after knee surgery"
as limits, not as taste: each sentence of the file's notes and purchase notes is matched against
the rules of ``client_facts.toml`` (vegan -> no animal-derived materials, low heels only -> no
stilettos, a size per kind of item, dislikes). A fact in a sentence that names another person
("husband Tom") concerns that person only; ``agent.belief.apply_client_facts`` applies each fact
as constraints when the conversation is about whom it concerns.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

from agent.models import ClientFact, ClientHistory

_SENTENCE = re.compile(r"(?<=[.!?])\s+")


@lru_cache(maxsize=1)
def rules() -> dict:
    return tomllib.loads(Path(__file__).with_name("client_facts.toml").read_text(encoding="utf-8"))


def _relations() -> set[str]:
    return set(rules()["people"]["relations"])


def _who(sentence: str) -> list[str]:
    """The person a sentence is about, when not the client: a relation word and the name after
    it ('Husband Tom' -> ['husband', 'tom']); [] for the client themself."""
    words = re.findall(r"[A-Za-zÀ-ÿ'’-]+", sentence)
    for k, word in enumerate(words):
        if re.search(r"['’]s$", word):
            continue  # 'her daughter's wedding' is the client's occasion, not a fact about the daughter
        if word.lower() in _relations() and not (k + 1 < len(words) and words[k + 1].lower() == "of"):
            # 'mother of the bride' is the client's role, not another person
            who = [word.lower()]
            if k + 1 < len(words) and words[k + 1][:1].isupper():
                who.append(words[k + 1].lower())
            return who
    return []


def facts_from_client(client: ClientHistory) -> list[ClientFact]:
    """Every hard fact (and dislike) the file's notes and purchase notes state."""
    table = rules()
    texts = [*client.notes, *(p.note for p in client.purchases if p.note)]
    out: list[ClientFact] = []
    seen: set[tuple] = set()

    def add(fact: ClientFact) -> None:
        key = (fact.kind, tuple(fact.terms), fact.category, tuple(fact.who))
        if key not in seen:
            seen.add(key)
            out.append(fact)

    for text in texts:
        for sentence in _SENTENCE.split(text):
            who = _who(sentence)
            for rule in table["rule"]:
                if re.search(rule["cue"], sentence, re.IGNORECASE):
                    add(ClientFact(kind="exclude", terms=list(rule["exclude"]), who=who, label=rule["label"],
                                   quote=sentence.strip()))
            m = re.search(table["dislike"]["cue"], sentence, re.IGNORECASE)
            if m:
                what = [w.strip() for w in re.split(r"\s+(?:or|and)\s+|,", m.group("what")) if w.strip()]
                add(ClientFact(kind="dislike", terms=what, who=who, label="dislikes " + " or ".join(what),
                               quote=sentence.strip()))
            if not who:
                for m in re.finditer(table["size"]["cue"], sentence, re.IGNORECASE):
                    size = m.group("size3") or m.group("size") or m.group("size2")
                    kind = (m.group("what") or m.group("what2") or "").lower()
                    category = table["size"]["kinds"].get(kind)
                    if size and category:
                        add(ClientFact(kind="size", terms=[size.upper()], category=category,
                                       label=f"size {size.upper()} in {category}", quote=sentence.strip()))
    return out


def names_in(message: str) -> set[str]:
    """The words of a message, lower-cased: a fact about 'tom' or a 'husband' concerns it when
    one of them is here."""
    return {re.sub(r"['’]s$", "", w) for w in re.findall(r"[a-zà-ÿ'’-]+", message.lower())}


def about_someone_else(message: str) -> bool:
    """Whether a message shops for another person ('a present for my husband'), not for the
    client's own occasion ('for my daughter's wedding')."""
    for m in re.finditer(r"[a-zà-ÿ'’-]+", message.lower()):
        word = m.group(0)
        if word in _relations() and not re.match(r"['’]s\b", message[m.end():m.end() + 3].lower()):
            return True
    return False


_GIFT = re.compile(r"\b(?:present|gift|gifts|presents|birthday|anniversary)\b", re.IGNORECASE)


def item_gender(item) -> str:
    """Whom an item's own text says it is for: ``men``, ``women``, or '' (anyone). Only words naming
    or pointing at the wearer count ('a man who', 'for men who', 'her feet', 'feminine', 'grooms
    and best men'); what made it ('a women's weaving cooperative') does not, nor the kind of item
    (cufflinks, a skirt). Words for both, 'unisex', or none: anyone."""
    table = rules()["gender"]
    text = " ".join([item.title or "", item.description or "",
                     *(str(v) for v in (item.attributes or {}).values())])
    text = re.sub(table["maker"], " ", text, flags=re.IGNORECASE)
    if re.search(table["unisex"], text, re.IGNORECASE):
        return ""
    men = bool(re.search(table["men"], text, re.IGNORECASE))
    women = bool(re.search(table["women"], text, re.IGNORECASE))
    return "men" if men and not women else "women" if women and not men else ""


def recipient_of(message: str, facts: list[ClientFact], current: str = "") -> str:
    """Whom a message shops for, by gender: the first person it names ('cufflinks for my
    girlfriend' -> women, 'jewellery for her husband' -> men, 'a present for my dad' -> men), a
    name the client file gives a relation to ('for Tom' when the file says 'Husband Tom'), or 'for
    him' / 'for her'. A relation of unsaid gender (a partner, a friend) gives ''. A message naming
    no one keeps ``current``; 'for my daughter's wedding' is the client's own occasion, unless the
    message is about a gift ('for my wife's birthday')."""
    people = rules()["gender"]["people"]
    gift = bool(_GIFT.search(message))
    lowered = message.lower()
    for m in re.finditer(r"[a-zà-ÿ'’-]+", lowered):
        word = m.group(0)
        possessive = bool(re.search(r"['’]s$", word))
        word = re.sub(r"['’]s$", "", word)
        if word in ("him", "her"):
            continue
        if word in _relations() or word in people["men"] or word in people["women"]:
            if possessive and not gift:
                continue
            return "men" if word in people["men"] else "women" if word in people["women"] else ""
    named = names_in(message)
    for fact in facts:
        if len(fact.who) > 1 and set(fact.who[1:]) & named:
            relation = fact.who[0]
            return "men" if relation in people["men"] else "women" if relation in people["women"] else ""
    m = re.search(r"\bfor (him|her)\b", lowered)
    if m:
        return "men" if m.group(1) == "him" else "women"
    return current


_GENDERS: dict[tuple[int, str, str], dict[str, str]] = {}


def other_gender_ids(store, catalog: str, recipient: str) -> set[str]:
    """Ids of the catalog's items whose own text says they are for the other gender than
    ``recipient`` (read once per catalog version)."""
    if recipient not in ("men", "women"):
        return set()
    key = (id(store), catalog, store.generation(catalog))
    if key not in _GENDERS:
        _GENDERS.clear()
        _GENDERS[key] = {i.id: g for i in store.all_items(catalog) if (g := item_gender(i))}
    return {i for i, g in _GENDERS[key].items() if g != recipient}
