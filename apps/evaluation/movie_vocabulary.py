"""A movie domain for Motive's offline pipeline, used by ``motive eval crs``.

The product's vocabulary (:mod:`agent.vocabulary`) covers fashion and B2B supplies; a movie
seeker's motives ("something scary", "a feel-good film for the kids") and a movie's traits need
their own words. Both are plain data here, in the product's own types:

- :data:`MOVIE_MOTIVES`: :class:`~agent.vocabulary.MotiveEntry` rows (id, canonical text, cues),
  read by :class:`MovieMotiveInferer`, which is the product's
  :class:`~agent.motives.OfflineMotiveInferer` with this vocabulary in place of its own (cues,
  negation, similarity firing and free-text purposes all work the same way);
- :func:`movie_traits`: :class:`~agent.models.Traits` of a movie from its genres, keywords and
  year (genres -> what it is and how it feels, keywords -> its look and themes, year and audience
  -> when to watch it).
"""

from __future__ import annotations

from agent.models import Traits
from agent.vocabulary import MotiveEntry


def _m(id: str, text: str, *cues: str) -> MotiveEntry:  # noqa: A002
    return MotiveEntry(id=id, text=text, cues=tuple(cues), domain="any")


MOVIE_MOTIVES: tuple[MotiveEntry, ...] = (
    _m("scary", "wants a scary horror movie", "scary", "horror", "creepy", "spooky", "frightening",
       "terrifying", "slashers?", "haunted", "ghosts?", "zombies?", "gore", "gory", "jump scares?",
       "scare me", "halloween", "supernatural", "demons?", "possession", "exorcis\\w*"),
    _m("funny", "wants a funny comedy", "funny", "comed(?:y|ies)", "hilarious", "laugh\\w*", "humou?r",
       "silly", "goofy", "lighthearted", "light[- ]hearted", "spoofs?", "parod(?:y|ies)", "slapstick",
       "stand[- ]up", "make me laugh"),
    _m("romantic", "wants a romantic love story", "romance", "romantic", "love stor(?:y|ies)",
       "rom[- ]?coms?", "chick flicks?", "falling in love", "relationship"),
    _m("action", "wants an action-packed movie", "action", "explosions?", "fight scenes?",
       "car chases?", "martial arts", "kung fu", "shoot[- ]?outs?", "adrenaline", "stunts?"),
    _m("suspense", "wants a suspenseful thriller with twists", "thrillers?", "suspense\\w*",
       "twists?", "plot twists?", "mystery", "mysteries", "whodunn?it", "psychological",
       "keeps? you guessing", "edge of (?:my|your) seat", "tense"),
    _m("scifi", "wants a science fiction movie", "sci[- ]?fi", "science fiction", "space",
       "aliens?", "futuristic", "time travel", "robots?", "dystopian", "outer space"),
    _m("fantasy", "wants a fantasy adventure with magic", "fantasy", "magic\\w*", "wizards?",
       "dragons?", "fairy tales?", "mythical", "elves", "witch\\w*"),
    _m("family", "wants a family-friendly movie for kids", "kids?", "children", "family",
       "animated", "animation", "cartoons?", "pixar", "disney", "my son", "my daughter",
       "grandkids", "toddlers?", "all ages"),
    _m("drama", "wants a moving emotional drama", "drama\\w*", "emotional", "tear[- ]?jerkers?",
       "moving", "sad", "make me cry", "touching", "heartbreaking"),
    _m("true_story", "wants a documentary or a true story", "documentar(?:y|ies)",
       "true stor(?:y|ies)", "based on (?:a )?true", "biopics?", "biograph\\w*", "real events",
       "real life"),
    _m("war_history", "wants a war or historical film", "war", "world war", "ww2", "wwii",
       "historical", "history", "period pieces?", "soldiers?", "military", "vietnam"),
    _m("crime", "wants a crime or gangster film", "crime", "gangsters?", "mafia", "mob",
       "heists?", "detectives?", "cops?", "police", "robbery", "hitman", "drug lords?"),
    _m("superhero", "wants a superhero movie", "superhero\\w*", "super hero\\w*", "marvel",
       "comic books?", "avengers", "batman", "spider[- ]?man", "x[- ]men", "dc comics"),
    _m("musical", "wants a musical with songs", "musicals?", "singing", "songs?", "dancing",
       "broadway", "music"),
    _m("western", "wants a western", "westerns?", "cowboys?", "wild west"),
    _m("feel_good", "wants a feel-good uplifting movie", "feel[- ]good", "uplifting",
       "heart[- ]?warming", "happy", "cheerful", "inspiring", "inspirational", "cheer me up",
       "wholesome"),
    _m("classic", "likes classic older films", "classics?", "old movies?", "oldies",
       "black and white", "old school", "vintage", "(?:19)?[5-8]0'?s"),
    _m("recent", "wants a recent release", "new", "recent(?:ly)?", "latest", "this year",
       "in theaters", "came out", "just released"),
    _m("adventure", "wants an epic adventure", "adventures?", "epic", "quests?", "treasure",
       "exploration", "journey"),
    _m("teen", "wants a teen or coming-of-age story", "teens?", "teenagers?", "high school",
       "coming of age", "college", "prom"),
    _m("sports", "wants a sports movie", "sports?", "football", "basketball", "baseball",
       "boxing", "soccer", "hockey", "athletes?"),
    _m("date_night", "wants a movie for a date night", "date night", "a date", "with my (?:girlfriend|boyfriend|wife|husband|partner)",
       "for (?:my )?(?:girlfriend|boyfriend|wife|husband)"),
    _m("thought_provoking", "wants a smart thought-provoking film", "smart", "clever",
       "intelligent", "thought[- ]provoking", "mind[- ]bending", "deep", "philosophical",
       "makes? you think", "cerebral"),
    _m("dark", "wants a dark gritty film", "dark", "gritty", "disturbing", "twisted", "violent",
       "bleak", "intense"),
    _m("holiday", "wants a holiday or Christmas movie", "christmas", "holidays?", "xmas",
       "thanksgiving", "santa"),
    _m("animated", "wants an animated movie", "animated", "animation", "anime", "cartoons?", "pixar",
       "dreamworks"),
)

GENRE_TRAITS: dict[str, tuple[str, str]] = {
    # genre: (what it is, how it feels)
    "Action": ("action film", "thrilling and action-packed"),
    "Adventure": ("adventure film", "epic adventure"),
    "Animation": ("animated film", "colourful animation"),
    "Children": ("children's film", "family-friendly for kids"),
    "Comedy": ("comedy", "funny and lighthearted"),
    "Crime": ("crime film", "gritty crime story"),
    "Documentary": ("documentary", "true story"),
    "Drama": ("drama", "emotional and moving"),
    "Fantasy": ("fantasy film", "magical"),
    "Film-Noir": ("film noir", "dark and moody"),
    "Horror": ("horror film", "scary and frightening"),
    "Musical": ("musical", "songs and dancing"),
    "Mystery": ("mystery film", "puzzling mystery with twists"),
    "Romance": ("romance film", "romantic"),
    "Sci-Fi": ("science fiction film", "futuristic"),
    "Thriller": ("thriller", "suspenseful and tense"),
    "War": ("war film", "historical war drama"),
    "Western": ("western", "wild west"),
}
MAX_KEYWORDS = 5
CLASSIC_BEFORE = 1980
RECENT_FROM = 2012


def movie_traits(genres: tuple[str, ...], keywords: tuple[str, ...], year: int | None) -> Traits | None:
    """A movie's traits from its genres, first keywords and year; None when nothing is known."""
    functional = [GENRE_TRAITS[g][0] for g in genres if g in GENRE_TRAITS]
    emotional = [GENRE_TRAITS[g][1] for g in genres if g in GENRE_TRAITS]
    aesthetic = list(dict.fromkeys(k.lower() for k in keywords))[:MAX_KEYWORDS]
    occasion: list[str] = []
    if "Children" in genres or "Animation" in genres:
        occasion.append("family movie night")
    if "Romance" in genres:
        occasion.append("date night")
    if year is not None and year < CLASSIC_BEFORE:
        occasion.append("classic older film")
    if year is not None and year >= RECENT_FROM:
        occasion.append("recent release")
    if not (functional or emotional or aesthetic or occasion):
        return None
    return Traits(functional=functional[:5], aesthetic=aesthetic, emotional=emotional[:5],
                  occasion=occasion, source="offline")


def movie_motive_inferer(embedder):
    """The product's :class:`~agent.motives.OfflineMotiveInferer` reading :data:`MOVIE_MOTIVES`."""
    from agent.motives import OfflineMotiveInferer

    return OfflineMotiveInferer(embedder, entries=MOVIE_MOTIVES)
