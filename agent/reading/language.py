"""Which language a message is in, so one the reader does not handle gets a reply that says so
instead of a wrong reading.

A message whose words are mostly English words, words of the catalog or numbers is English; for
the others, lingua (``lingua-language-detector``, low-accuracy mode: trigram models, loaded on
first use) decides among the languages shoppers here write in, and only when it is confident.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from functools import lru_cache

from agent.reading.lexicon import CatalogLexicon, foreign_acts
from agent.reading.text import alternation

SUPPORTED = frozenset({"en"})
"""Languages the offline reader reads (a folder under ``agent/reading/lang``)."""
CONFIDENCE = 0.6
"""lingua's confidence needed to call a message another language."""

_lock = threading.Lock()


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    languages = [Language.ENGLISH, Language.FRENCH, Language.GERMAN, Language.SPANISH, Language.ITALIAN,
                 Language.DUTCH, Language.PORTUGUESE, Language.SWEDISH, Language.DANISH, Language.POLISH]
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Whole English words of the local embedder's vocabulary (about 22,000), for telling English."""
    import json

    from agent.embeddings import OnnxMiniLMEmbedder

    try:
        _, tokenizer = OnnxMiniLMEmbedder.model_files()
        vocab = json.loads(tokenizer.read_text(encoding="utf-8"))["model"]["vocab"]
    except (OSError, KeyError, ValueError, ImportError):
        return frozenset()
    return frozenset(w for w in vocab if w.isalpha() and w.isascii())


_FOREIGN_FUNCTION_WORDS = frozenset("""je tu il elle nous vous ils une des les est pour avec dans sur pas que qui
mais très cherche voudrais ich du er sie wir ihr ein eine einen der die das und ist nicht mit für auf suche möchte
bitte unter yo el los las una con para por busco quiero necesito gracias io lei gli una della per cerco vorrei
sono ik een het voor zoek graag niet ook eu um uma não para com procuro gostaria och jag det inte""".split())
@lru_cache(maxsize=1)
def _foreign_words() -> frozenset[str]:
    """The other languages' function words (lang/other.toml) that are no English word."""
    english = english_words()
    return frozenset(w for acts in foreign_acts().values() for w in acts.function_words if w not in english)


@lru_cache(maxsize=1)
def _act_phrases() -> dict[str, re.Pattern]:
    """Each language's act phrases (lang/other.toml: reactions, ordinals, greetings, wants, ...)
    that are no English word ('me encanta', 'deuxième', 'keiner davon'; not 'perfect', 'second')."""
    english = english_words()
    out: dict[str, re.Pattern] = {}
    for code, acts in foreign_acts().items():
        phrases = {p.lower() for p in [*acts.reaction, *acts.ordinals, *acts.greeting, *acts.want, *acts.reset,
                                       *acts.compare, *acts.critique] if p[:1].isalpha()}
        own = [p for p in phrases if " " in p or "'" in p or p not in english]
        if own:
            out[code] = re.compile(rf"(?<![\w'])(?:{alternation(own)})(?![\w'])")
    return out


def _phrase_votes(text: str) -> dict[str, int]:
    """Per language, the words of its own act phrases ``text`` uses (not its function words, which
    count apart): a short reaction ('Me encanta
    el segundo', 'J'adore le deuxième') has too few letters for the statistics to tell."""
    acts = foreign_acts()
    return {code: sum(1 for m in rx.finditer(text) for w in re.findall(r"[^\W\d_]+", m.group(0))
                      if w not in acts[code].function_words)  # those vote on their own
            for code, rx in _act_phrases().items()}


_ENGLISH_FUNCTION = frozenset("""i you we she he it they a an the and or but for with in on at to of my our your is
are am was need want looking like please under over no not any some this that these those something can do does
have has what which how much""".split())


_SCRIPTS = {"CYRILLIC": "ru", "HIRAGANA": "ja", "KATAKANA": "ja", "CJK": "zh", "HANGUL": "ko", "ARABIC": "ar",
            "GREEK": "el", "HEBREW": "he", "THAI": "th", "DEVANAGARI": "hi"}
"""A writing system -> the language most written in it: a message in one the reader's statistics
do not cover is still told as not English (Japanese mixes kanji with kana, so kana decide)."""


def _script(text: str) -> str | None:
    """The language of ``text``'s script when most of its letters are not Latin ('Мне нравится' -> 'ru')."""
    import unicodedata

    letters = [c for c in text if c.isalpha()]
    scripts = Counter(next((code for name, code in _SCRIPTS.items() if unicodedata.name(c, "").startswith(name)), "")
                      for c in letters)
    if not letters or scripts[""] >= len(letters) / 2:
        return None
    if scripts["ja"]:
        return "ja"
    if scripts["ru"] and re.search(r"[іїєґ]", text.lower()):
        return "uk"
    return max((c for c in scripts if c), key=scripts.get)


def detect(text: str, lexicon: CatalogLexicon | None = None, known_words: frozenset[str] = frozenset()) -> str:
    """ISO 639-1 code of ``text``'s language ('en' when unsure). ``known_words`` are the words of
    the reader's own language files (shopping words the embedder's vocabulary may lack: 'moq')."""
    script = _script(text)
    if script is not None:
        return script
    if re.search(r"[¿¡]", text):
        return "es"  # ('¿Tienen este abrigo en talla M?': its words are also English vocabulary)
    words = re.findall(r"[^\W\d_]+", re.sub(r"\d+(?:st|nd|rd|th)\b", " ", text.lower()))
    if not words:
        return "en"
    whole = " ".join(words)
    alone = [code for code, rx in _act_phrases().items() if rx.fullmatch(whole)]
    if len(alone) == 1:
        return alone[0]  # 'Goedemorgen!': one phrase of one language, no English word
    english = english_words()
    function = _FOREIGN_FUNCTION_WORDS | _foreign_words()
    # 'EU 38', 'UK 8': a size system or other abbreviation in capitals is no word of a language
    # ('eu' is Portuguese for 'I').
    capitals = {w.lower() for w in re.findall(r"[^\W\d_]+", text) if w.isupper() and len(w) > 1}
    foreign = sum(1 for w in words if w in function and w not in capitals)
    known = sum(1 for w in words if w not in function and (
        w in _ENGLISH_FUNCTION or w in english or w in known_words
        or (lexicon is not None and lexicon.known_word(w))))
    phrased = _phrase_votes(text.lower())
    if foreign == 0 and max(phrased.values(), default=0) < 2 and (known >= len(words) * 0.4 or len(words) < 3):
        return "en"
    if sum(1 for w in words if w in _ENGLISH_FUNCTION) >= max(3, 2 * foreign + 1) and max(phrased.values(), default=0) < 2:
        return "en"  # 'the third one is over budjet, our limit is €15 per unit': English, a typo or two aside
    if foreign <= 1 and len(words) >= 5 and known >= len(words) * 0.8 and max(phrased.values(), default=0) < 2 \
            and not re.search(r"[¿¡ñéèêàâùûüöäßçãõíóú]", text.lower()):
        return "en"  # '7 euros per bag is our ceiling': one word that is also another language's ('per')
    if re.search(r"[¿¡ñ]", text):
        return "es"
    with _lock:
        values = _detector().compute_language_confidence_values(text)
    if not values:
        return "en"
    top = values[0]
    code = top.language.iso_code_639_1.name.lower()
    # Short messages fool the statistics: the languages' own function words ('hola', 'busco',
    # 'para') outvote them (lang/other.toml).
    own = [w.lower() for w in re.findall(r"[^\W\d_]+", text) if not (w.isupper() and len(w) > 1)]  # not 'EU'
    own = [w for w in own if w not in english]
    votes = {c: sum(1 for w in own if w in set(acts.function_words)) + phrased.get(c, 0)
             for c, acts in foreign_acts().items()}
    best = max(votes, key=votes.get) if votes else code
    if votes.get(best, 0) >= 2 and (best == code or votes[best] > votes.get(code, 0)) \
            and list(votes.values()).count(votes[best]) == 1:
        return best
    if code != "en" and (top.value >= (CONFIDENCE if foreign or votes.get(code, 0) >= 2 else 0.85) or foreign >= 2):
        return code
    if foreign >= 2 and known < len(words) * 0.5:  # lingua unsure, but the function words are not English
        other = next((v for v in values if v.language.iso_code_639_1.name.lower() != "en"), None)
        return other.language.iso_code_639_1.name.lower() if other is not None else "en"
    return "en"
