"""Domain vocabularies: the trait phrases items are described with (MOTE), the motives people shop
for (MOPE), and the word lists motive inference leans on. (Reading a message's constraints is
``agent.reading``'s, with its own data files.)

Everything here is data. Two domains are covered side by side: fashion and luxury clienteling
(``fashion``) and B2B / industrial supplies (``b2b``); ``any`` entries apply to both.

Cues
----
A *cue* is a lower-case regular-expression fragment matched on word boundaries
(``\\b(?:cue)\\b``, case-insensitive) against an item's text or a person's clause. Cues are how a
phrase or motive fires deterministically, without embeddings: "linen" makes an item
"breathable in summer heat"; "gala" means a person is "dressing up for a wedding, gala or
party". A cue is ignored when it is negated in its clause ("not formal", "leather-free"); see
:func:`negated_at`.

Wording
-------
Alignment compares motive and trait texts by embedding, and small sentence encoders place
antonyms close together ("formal attire" sits near "relaxed casual fit"). Canonical motive texts
are therefore worded to share words with the traits that serve them ("dressing up for a summer
wedding or garden party" -> "summer wedding guest"; "wants breathable fabrics for summer heat"
-> "breathable in summer heat"), which was checked against every trait phrase with MiniLM.

Oppositions
-----------
``MotiveEntry.opposes`` lists the motives an entry contradicts (formal vs casual, bold vs
understated, splurge vs keep-costs-down, ...). The relation is made symmetric when the module is
loaded, so listing it on one side is enough. It powers "context competition" detection: a
history motive opposed by what the person asks for now is set aside.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

Domain = Literal["fashion", "b2b", "any"]
Dimension = Literal["functional", "aesthetic", "emotional", "occasion"]
DIMENSIONS: tuple[Dimension, ...] = ("functional", "aesthetic", "emotional", "occasion")


@dataclass(frozen=True)
class TraitPhrase:
    """One phrase of the trait vocabulary, e.g. 'breathable in summer heat'."""

    text: str
    cues: tuple[str, ...] = ()
    """Regex fragments; any one present in an item's text (and not negated) attaches the phrase."""
    domain: Domain = "any"
    cue_only: bool = False
    """A checkable claim (certified, leather-free, food-contact safe): attached only when a cue
    says so in the item's own text, never by embedding similarity."""


@dataclass(frozen=True)
class MotiveEntry:
    """One motive of the vocabulary, e.g. 'dressing up for a wedding, gala or party'."""

    id: str
    text: str
    """Canonical wording; it is what alignment embeds and what explanations quote."""
    cues: tuple[str, ...]
    """Regex fragments; one present in a clause (and not negated) fires the motive."""
    domain: Domain = "any"
    opposes: tuple[str, ...] = ()
    """Ids of motives this one contradicts (symmetric once loaded)."""
    also: tuple[str, ...] = ()
    """If set, a cue fires only when one of these also occurs in the same message
    (a compound motive such as 'formal attire for a *summer* event')."""
    subsumes: tuple[str, ...] = ()
    """Ids made redundant when this (more specific) motive fires from the same words."""
    negation_implies: str | None = None
    """Motive id a *negated* cue points to instead: 'nothing too flashy' -> understated."""
    unless: tuple[str, ...] = ()
    """Cues that veto this motive in the same clause ('birthday' is no gift when 'treat myself')."""


def _t(text: str, *cues: str, domain: Domain = "any") -> TraitPhrase:
    return TraitPhrase(text=text, cues=tuple(cues), domain=domain, cue_only=text in CUE_ONLY)


CUE_ONLY = frozenset({
    "breathable in summer heat", "cosy winter warmth", "water resistant", "sun protection", "vegan leather-free", "sustainable materials",
    "slip resistant grip", "recyclable materials", "cut resistant hand protection",
    "chemical resistant protection", "food-contact safe", "disposable single-use hygiene",
    "allergy-safe latex-free", "heat and flame resistant", "sterile and hygienic",
    "electrical insulation and safety", "high visibility", "bulk pack", "compostable packaging",
    "corrosion resistant stainless steel", "leak-proof secure sealing", "fast delivery",
    "regulatory compliance certified", "compliance confidence", "lab grade precision",
    "ethical peace of mind", "responsible waste reduction", "hygiene reassurance",
})
"""Trait phrases that state checkable facts; see :attr:`TraitPhrase.cue_only`."""


# --------------------------------------------------------------------------------------------
# Trait vocabulary (MOTE), one tuple per dimension
# --------------------------------------------------------------------------------------------

FUNCTIONAL: tuple[TraitPhrase, ...] = (
    # fashion
    _t("breathable in summer heat", "linen", "breathable", "breathes", "airy", "seersucker", "voile",
       "cotton poplin", "lightweight cotton", "summer weight", "hot (?:afternoons?|days?|weather|climates?)",
       "heatwave", domain="fashion"),
    _t("cosy winter warmth", "wool", "cashmere", "fleece", "shearling", "quilted",
       "down[- ]filled", "merino", "alpaca", "thermal (?:lining|gloves?|layer|underwear|socks)",
       "insulated (?:jacket|coat|gloves?|boots?|lining|parka|vest)", "padded (?:jacket|coat|gilet)"),
    _t("water resistant", "waterproof", "water[- ]resistant", "water[- ]repellent", "rainproof",
       "gore[- ]tex", "showerproof", "wax(?:ed)? cotton"),
    _t("travel-friendly and packable", "packable", "wrinkle[- ]resistant", "crease[- ]resistant",
       "non[- ]iron", "travel", "foldable", "carry[- ]on", domain="fashion"),
    _t("stretch for freedom of movement", "stretch", "elastane", "spandex", "lycra",
       "elasticated", "elastic waist", "four[- ]way stretch"),
    _t("all-day comfort", "comfortable", "comfort", "cushioned", "memory foam", "soft[- ]touch",
       "padded insole", "all[- ]day"),
    _t("easy care machine washable", "machine[- ]washable", "easy[- ]care", "wash and wear",
       "easy to clean", "wipe[- ]clean"),
    _t("versatile layering piece", "layering", "versatile", "transitional", domain="fashion"),
    _t("sun protection", "upf", "uv protection", "sun hat", "spf", "wide brim", domain="fashion"),
    _t("practical pockets and compartments", "pockets?", "compartments?", "laptop sleeve",
       "zip(?:ped)? pocket", "organiser", "organizer"),
    _t("supportive low-heel footwear", "block heel", "low heel", "arch support", "kitten heel",
       "flat sole", "cushioned sole", domain="fashion"),
    _t("vegan leather-free", "vegan", "faux leather", "leather[- ]free", "cruelty[- ]free",
       "animal[- ]free", "plant[- ]based leather", "apple leather", "pu leather"),
    _t("sustainable materials", "organic cotton", "organic", "recycled", "tencel", "lyocell",
       "hemp", "sustainabl[ey]", "responsibly sourced", "gots", "econyl", "deadstock"),
    # any
    _t("slip resistant grip", "slip[- ]resistant", "non[- ]slip", "anti[- ]slip", "grip",
       "textured palm", "rubber sole"),
    _t("durable heavy-duty", "heavy[- ]duty", "durable", "rugged", "reinforced",
       "industrial[- ]grade", "commercial[- ]grade", "abrasion[- ]resistant", "hard[- ]wearing",
       "tear[- ]resistant", "long[- ]lasting", "puncture[- ]resistant", "impact[- ]resistant"),
    _t("lightweight", "lightweight", "light[- ]weight", "ultralight", "featherweight"),
    _t("reusable and washable", "reusable", "refillable", "washable", "launderable"),
    _t("recyclable materials", "recyclable", "recycled", "rpet", "post[- ]consumer"),
    _t("portable battery powered", "portable", "cordless", "battery[- ]powered", "rechargeable",
       "usb", "handheld"),
    # b2b
    _t("cut resistant hand protection", "cut[- ]resistant", "cut level", "cut protection",
       "en ?388", "ansi a[1-9]", "kevlar", "dyneema", "hppe", "level a[1-9]", domain="b2b"),
    _t("chemical resistant protection", "chemical[- ]resistant", "chemical resistance",
       "solvent[- ]resistant", "acid[- ]resistant", "chemical protection", "protects? against chemicals",
       domain="b2b"),
    _t("food-contact safe", "food[- ]safe", "food[- ]contact", "food[- ]grade", "fda[- ]approved",
       "fda[- ]compliant", "haccp", "food handling", "food service", "foodservice", domain="b2b"),
    _t("disposable single-use hygiene", "disposable", "single[- ]use", "one[- ]time use",
       domain="b2b"),
    _t("allergy-safe latex-free", "latex[- ]free", "powder[- ]free", "hypoallergenic",
       "nitrile", "allergy"),
    _t("heat and flame resistant", "heat[- ]resistant", "flame[- ]resistant", "fire[- ]resistant",
       "fireproof", "flame[- ]retardant", "high[- ]temperature", "heat[- ]proof", "oven[- ]safe",
       domain="b2b"),
    _t("lab grade precision", "precision", "accuracy", "accurate", "calibrated", "calibration",
       "tolerance", "laboratory(?! grown|[- ]grown)", "analytical", "graduated", "borosilicate", "class a",
       domain="b2b"),
    _t("sterile and hygienic", "sterile", "sterili[sz]ed", "autoclavable", "antimicrobial",
       "antibacterial", "hygienic", "medical[- ]grade", domain="b2b"),
    _t("electrical insulation and safety", "dielectric", "insulated handles?", "voltage",
       "electrical safety", "ul[- ]listed", "arc[- ]rated", "non[- ]conductive", domain="b2b"),
    _t("high visibility", "hi[- ]vis", "high[- ]visibility", "reflective", "fluorescent",
       domain="b2b"),
    _t("bulk pack", "bulk", r"case of \d+", r"pack of \d+", r"box of \d+", r"\d{2,} ?(?:pcs|pieces|count|ct)",
       "pallet", "wholesale", "value pack", domain="b2b"),
    _t("compostable packaging", "compostable", "biodegradable", "bagasse", "plant[- ]based",
       "kraft paper", "paper[- ]based", "pla lined", domain="b2b"),
    _t("corrosion resistant stainless steel", "stainless", "corrosion[- ]resistant", "rust[- ]proof",
       "rust[- ]resistant", "galvani[sz]ed", domain="b2b"),
    _t("leak-proof secure sealing", "leak[- ]proof", "leak[- ]resistant", "airtight",
       "watertight", "tamper[- ]evident", "secure lid", "snap[- ]on lid", domain="b2b"),
    _t("ergonomic for long shifts", "ergonomic", "anti[- ]fatigue", "comfort grip",
       "cushioned grip", "long shifts?", domain="b2b"),
    _t("cleaning and disinfection", "disinfect\\w*", "saniti[sz]\\w*", "cleaner", "detergent",
       "degreaser", "bleach", "virucidal", "bactericidal", domain="b2b"),
    _t("accurate measurement and testing", "multimeters?", "gauges?", "thermometers?", "sensors?",
       "testers?", "probes?", "detectors?", "(?:ph|moisture|flow|pressure|sound|light|emf|digital) meters?",
       "measuring (?:cups?|jugs?|tapes?|instruments?|devices?)", domain="b2b"),
    _t("compatible replacement part", "compatible", "replacement", "universal fit", "retrofit",
       "spare part", "fits most", domain="b2b"),
    _t("fast delivery", "next[- ]day", "ships? (?:today|same day|within 24)", "express delivery",
       "quick ship", "fast shipping", "in stock now", domain="any"),
    _t("regulatory compliance certified", "certified", "certification", "compliant", "approved",
       "iso ?\\d{3,5}", "en ?\\d{3,5}", "ansi", "osha", "ce[- ]marked", "ce marking", "nsf",
       "astm", "ul[- ]listed", "reach compliant", "rohs", domain="b2b"),
)

AESTHETIC: tuple[TraitPhrase, ...] = (
    # fashion
    _t("minimalist", "minimalist", "minimal", "clean lines", "pared[- ]back", "simple",
       "unfussy", "understated", domain="fashion"),
    _t("tailored silhouette", "tailored", "structured", "sharp shoulders?", "fitted",
       "slim[- ]fit", "double[- ]breasted", "single[- ]breasted", "sartorial", domain="fashion"),
    _t("bold statement", "bold", "statement", "vibrant", "neon", "dramatic", "eye[- ]catching",
       "oversized bow", "graphic", "animal print", "leopard", domain="fashion"),
    _t("classic timeless design", "classic", "timeless", "heritage", "iconic", "trench",
       "little black dress", "wardrobe staple", domain="fashion"),
    _t("flowing feminine drape", "flowing", "floaty", "chiffon", "ruffles?", "wrap dress",
       "a[- ]line", "pleated", "draped?", "bias[- ]cut", "lace", "georgette", domain="fashion"),
    _t("romantic floral print", "floral", "flowers?", "botanical", "rose print", "blossom",
       domain="fashion"),
    _t("sleek polished finish", "sleek", "polished", "glossy", "patent", "satin", "lustrous",
       domain="fashion"),
    _t("luxurious texture", "cashmere", "silk", "velvet", "suede", "mohair", "alpaca",
       "fine[- ]gauge", "crepe de chine", "nappa", "lambskin", domain="fashion"),
    _t("relaxed casual fit", "relaxed", "loose", "boyfriend", "slouchy", "casual", "denim",
       "jersey", "sweatshirt", "hoodie", "joggers?", "easy fit", domain="fashion"),
    _t("sporty athletic look", "sporty", "athletic", "athleisure", "track(?:suit| pants| jacket)", "sneakers?",
       "trainers", "running (?:shoes|tights|shorts|tops?|jackets?|gear)", "performance fabric", domain="fashion"),
    _t("neutral earthy palette", "beige", "camel", "sand", "ecru", "cream", "taupe", "oatmeal",
       "ivory", "stone", "khaki", "olive", "neutral", "tan", domain="fashion"),
    _t("dark sophisticated palette", "black", "navy", "charcoal", "midnight", "burgundy",
       "espresso", "ink", domain="fashion"),
    _t("bright colourful palette", "red", "fuchsia", "yellow", "orange", "cobalt", "emerald",
       "turquoise", "hot pink", "colou?rful", "multicolou?r(?:ed)?", "saffron", domain="fashion"),
    _t("soft pastel palette", "pastel", "blush", "lilac", "mint", "powder blue", "baby blue",
       "pale pink", "lavender", "sky blue", domain="fashion"),
    _t("glamorous sparkle", "sequins?", "sequinned", "sequined", "glitter", "embellish\\w*",
       "crystals?", "beaded", "sparkl\\w*", "metallic", "lam[eé]", domain="fashion"),
    _t("edgy rock style", "studded", "biker", "edgy", "distressed", "moto", "grunge",
       domain="fashion"),
    _t("bohemian free spirit", "boho", "bohemian", "fringed?", "embroidered", "peasant",
       "crochet", "tiered", domain="fashion"),
    _t("preppy polished", "preppy", "polo", "cable[- ]knit", "loafers?", "blazer", "button[- ]down",
       domain="fashion"),
    _t("artisanal craftsmanship", "handmade", "hand[- ]stitched", "artisan\\w*", "handcrafted",
       "hand[- ]finished", "made in italy", "made in france", "atelier", "hand[- ]woven"),
    _t("signature logo detail", "logo", "monogram\\w*", "signature print", "branded hardware",
       domain="fashion"),
    _t("modest coverage", "long[- ]sleeved?", "long sleeves", "high neck(?:line)?", "below the knee", "maxi",
       "ankle[- ]length", "modest", "covered shoulders", domain="fashion"),
    _t("elegant refined lines", "elegant", "elegance", "refined", "graceful", "sophisticated",
       "column", "floor[- ]length", "gown", domain="fashion"),
    # b2b / any
    _t("industrial utilitarian design", "industrial", "utilitarian", "utility", "workwear",
       domain="b2b"),
    _t("clinical clean appearance", "clinical", "medical", "scrubs", "lab coat", domain="b2b"),
    _t("compact space-saving design", "compact", "space[- ]saving", "stackable", "nestable",
       "slim profile", "wall[- ]mounted"),
    _t("colour-coded for organisation", "colou?r[- ]coded", "colou?r coding", domain="b2b"),
    _t("clean professional presentation", "uniform", "front of house", "chef'?s? jacket", "apron",
       "professional look", domain="b2b"),
    _t("natural kraft look", "kraft", "natural brown", "unbleached", "bamboo", domain="b2b"),
)

EMOTIONAL: tuple[TraitPhrase, ...] = (
    _t("understated luxury", "quiet luxury", "understated", "discreet", "refined", "cashmere",
       "subtle", domain="fashion"),
    _t("gift-worthy", "gift", "gifting", "gift[- ]box(?:ed)?", "presentation box", "keepsake",
       "gift[- ]wrapped", domain="any"),
    _t("confidence boost", "confident", "confidence", "power suit", "empower\\w*", "commanding",
       domain="fashion"),
    _t("sense of celebration", "celebrat\\w*", "festive", "party", "special occasion", "glamour",
       "glamorous", domain="fashion"),
    _t("romantic allure", "romantic", "date night", "seductive", "alluring", "sensual",
       domain="fashion"),
    _t("playful and fun", "playful", "fun", "quirky", "whimsical", "novelty", "cheerful",
       domain="fashion"),
    _t("effortless ease", "effortless", "easy[- ]going", "easy to wear", "throw[- ]on",
       "laid[- ]back", domain="fashion"),
    _t("exclusive prestige", "exclusive", "limited edition", "couture", "prestige", "luxury",
       "luxurious", "designer", "haute", "collector", domain="fashion"),
    _t("ethical peace of mind", "sustainabl[ey]", "ethical(?:ly)?", "organic", "fair[- ]trade",
       "recycled", "eco[- ]friendly", "responsibly", "carbon[- ]neutral", "b corp"),
    _t("reliability and peace of mind", "reliable", "dependable", "trusted", "warranty",
       "guarantee(?:d)?", "proven"),
    _t("safety and protection assurance", "protect\\w*", "safety", "ppe", "hazard", "injur\\w*",
       domain="b2b"),
    _t("professional credibility", "professional", "executive", "corporate", "business",
       "boardroom"),
    _t("compliance confidence", "certified", "compliant", "compliance", "approved", "ansi",
       "osha", "haccp", "iso ?\\d{3,5}", "en ?\\d{3,5}", "regulat\\w*", domain="b2b"),
    _t("value for money", "value", "economical", "affordable", "budget", "cost[- ]effective",
       "savings?", "bulk", "economy"),
    _t("timeless investment", "investment", "heirloom", "lifetime", "timeless", "built to last",
       "forever", domain="fashion"),
    _t("cosy comfort", "cosy", "cozy", "snug", "soft", "plush", "comforting", domain="fashion"),
    _t("youthful energy", "youthful", "fresh", "fun", "vibrant", "young", domain="fashion"),
    _t("self-expression and individuality", "unique", "one[- ]of[- ]a[- ]kind", "individual",
       "statement", "original", "distinctive", domain="fashion"),
    _t("vintage nostalgia", "vintage", "retro", "nostalgic", "70s", "1970s", "90s", domain="fashion"),
    _t("team pride and brand image", "branded", "team", "company logo", "custom print",
       domain="b2b"),
    _t("worker wellbeing", "ergonomic", "fatigue", "wellbeing", "well[- ]being", "breathable",
       domain="b2b"),
    _t("hygiene reassurance", "hygienic", "hygiene", "sanitary", "sterile", "antibacterial",
       "antimicrobial", domain="b2b"),
    _t("responsible waste reduction", "compostable", "biodegradable", "recyclable", "plastic[- ]free",
       "zero waste", "reduce waste", domain="b2b"),
)

OCCASION: tuple[TraitPhrase, ...] = (
    # fashion
    _t("black-tie evening", "black[- ]tie", "gala", "evening gown", "ball ?gown", "opera",
       "formal evening", "tuxedo", "floor[- ]length", "white[- ]tie", domain="fashion"),
    _t("cocktail party", "cocktail", "soir[eé]e", "party dress", "evening party", domain="fashion"),
    _t("summer wedding guest", "wedding guest", "summer wedding", "garden party", "weddings?",
       "wedding season", domain="fashion"),
    _t("bridal wedding day", "bridal", "bride", "bridesmaids?", "wedding dress", "rehearsal dinner",
       domain="fashion"),
    _t("boardroom", "boardroom", "board meetings?", "executive", "power suit", "suit",
       domain="fashion"),
    _t("everyday office wear", "office", "workwear", "work wear", "business casual", "desk",
       "9[- ]to[- ]5", "commute", "to work", domain="fashion"),
    _t("job interview", "interviews?", domain="fashion"),
    _t("weekend casual", "weekend", "brunch", "errands", "everyday", "off[- ]duty", "casual",
       domain="fashion"),
    _t("beach holiday", "beach", "resort", "swim\\w*", "holiday", "vacation", "seaside", "pool",
       "kaftan", "sarong", "riviera", domain="fashion"),
    _t("travel", "travel(?:ling|ing)?", "airport", "flights?", "journey", "weekender", "carry[- ]on",
       "getaway", domain="fashion"),
    _t("date night", "date night", "dinner date", "romantic dinner", "night out", domain="fashion"),
    _t("winter city days", "winter", "snow", "cold days", "chilly", "city coat", domain="fashion"),
    _t("outdoor active pursuits", "hiking", "outdoors? (?:activities|sports?|adventures?)", "trail", "for running",
       "jogging", "gym", "yoga", "workouts?", "cycling", domain="fashion"),
    _t("festive holiday season", "christmas", "holiday season", "new year'?s?", "festive season",
       domain="fashion"),
    _t("religious or cultural ceremony", "ceremony", "christening", "baptism", "communion",
       "bar mitzvah", "bat mitzvah", "eid", "diwali", domain="fashion"),
    _t("graduation or prom", "graduation", "prom", "commencement", domain="fashion"),
    _t("day at the races", "races", "ascot", "derby", "polo match", "fascinator", domain="fashion"),
    # b2b
    _t("commercial kitchen", "kitchens?", "restaurants?", "catering", "food service", "foodservice",
       "bakery", "culinary", "chefs?", "canteen", domain="b2b"),
    _t("food processing plant", "food processing", "meat", "poultry", "dairy", "butcher\\w*",
       "seafood", domain="b2b"),
    _t("hospital and clinical care", "hospitals?", "clinic(?:al|s)?", "medical", "patients?",
       "healthcare", "nursing", "exam(?:ination)? gloves?", "surgical", "dental", domain="b2b"),
    _t("laboratory work", "laborator(?:y|ies)", "lab(?![- ]grown)", "research", "scientific", "beakers?",
       "pipettes?", "specimens?", "test tubes?", domain="b2b"),
    _t("construction site", "construction", "building site", "contractors?", "scaffold\\w*",
       "demolition", "roofing", domain="b2b"),
    _t("warehouse and logistics", "warehouse", "logistics", "shipping", "packing", "pallets?",
       "forklift", "mailers?", "fulfil(?:l)?ment", domain="b2b"),
    _t("manufacturing floor", "manufactur\\w*", "assembly", "factory", "production line",
       "machining", "metalwork\\w*", "welding", domain="b2b"),
    _t("automotive workshop", "automotive", "mechanics?", "garage", "vehicle", "engine",
       domain="b2b"),
    _t("electrical maintenance", "electrical", "electricians?", "wiring", "circuits?", domain="b2b"),
    _t("plumbing and HVAC", "plumbing", "hvac", "pipes?", "fittings?", "valves?", "heat pump",
       "refrigerant", domain="b2b"),
    _t("janitorial cleaning", "janitorial", "cleaning", "custodial", "facility maintenance",
       "restrooms?", "housekeeping", domain="b2b"),
    _t("cleanroom", "cleanroom", "clean room", "esd", "anti[- ]static", domain="b2b"),
    _t("office supplies", "office supplies", "stationery", "printer", "copier", domain="b2b"),
    _t("outdoor work in wet weather", "outdoor work", "wet conditions", "rain gear", domain="b2b"),
    _t("hospitality front of house", "hotels?", "hospitality", "front of house", "banquet",
       "bar service", domain="b2b"),
    _t("3d printing and prototyping", "3d print\\w*", "filament", "prototyp\\w*", domain="b2b"),
    _t("takeaway and food retail", "takeaway", "take[- ]out", "to[- ]go", "cafes?", "coffee shop",
       "deli", "food truck", domain="b2b"),
)

TRAIT_VOCABULARY: dict[Dimension, tuple[TraitPhrase, ...]] = {
    "functional": FUNCTIONAL,
    "aesthetic": AESTHETIC,
    "emotional": EMOTIONAL,
    "occasion": OCCASION,
}


# --------------------------------------------------------------------------------------------
# Motive vocabulary (MOPE)
# --------------------------------------------------------------------------------------------

_HOT = ("summer", "july", "august", "hot(?! pink)", "heat", "heatwave", "humid", "tropical", "sunny",
        "provence", "tuscany", "riviera", "mediterranean", "outdoors?", "garden", "beach")

MOTIVES: tuple[MotiveEntry, ...] = (
    # --- fashion: occasions and settings --------------------------------------------------------
    MotiveEntry(
        "formal_summer_event", "dressing up for a summer wedding or garden party",
        cues=("weddings?(?! anniversar)", "gala", "black[- ]tie", "formal", "cocktail", "ceremony", "elegant",
              "dressy", "reception", "christening", "garden party", "wedding guest"),
        also=_HOT, domain="fashion", subsumes=("formal_event",),
        opposes=("casual_relaxed",),
    ),
    MotiveEntry(
        "formal_event", "dressing up for a wedding, gala or party",
        cues=("weddings?(?! anniversar)", "gala", "black[- ]tie", "white[- ]tie", "formal", "cocktail", "ceremony",
              "elegant", "dressy", "dress up", "opera", "ball", "reception", "christening",
              "evening (?:gowns?|wear|dress(?:es)?)", "ball ?gowns?",
              "evening event", "awards?", "premiere", "fundraiser", "special occasion",
              "semi[- ]formal", "smarter", "dress smart", "smart attire"),
        domain="fashion", opposes=("casual_relaxed",), negation_implies="casual_relaxed",
    ),
    MotiveEntry(
        "professional_work", "wants polished, professional office attire",
        cues=("office", "boardroom", "board meetings?", "meetings?", "interviews?", "professional",
              "for work", "at work", "to work", "workwear", "business", "corporate", "conference",
              "presentations?", "client meetings?", "new job", "promotion", "workplace"),
        domain="fashion", opposes=("casual_relaxed", "beach_holiday"),
    ),
    MotiveEntry(
        "casual_relaxed", "prefers casual relaxed style",
        cues=("casual", "relaxed", "laid[- ]back", "weekends?", "everyday", "comfy", "easy[- ]going",
              "chill", "lounging", "off[- ]duty", "low[- ]key", "brunch", "errands"),
        domain="fashion", negation_implies="formal_event",
    ),
    MotiveEntry(
        "beach_holiday", "is dressing for a beach holiday",
        cues=("beach", "resort", "seaside", "holiday", "vacation", "pool(?:side)?", "riviera",
              "island", "cruise", "swim\\w*", "sun lounger"),
        domain="fashion",
    ),
    MotiveEntry(
        "date_night", "wants to make an impression on a night out",
        cues=("date night", "first date", "a date", "night out", "dinner date", "party", "clubbing",
              "impress", "anniversary dinner"),
        domain="fashion",
    ),
    MotiveEntry(
        "travel_comfort", "wants comfort for travel",
        cues=("travel(?:l?ing)?", "trip", "flights?", "plane", "journey", "packing", "suitcase",
              "long[- ]haul", "airport", "road trip", "carry[- ]on"),
        domain="any",
    ),
    MotiveEntry(
        "active_outdoor", "needs gear for an active outdoor lifestyle",
        cues=("hiking", "running", "gym", "workouts?", "cycling", "yoga", "trail", "camping",
              "training", "sport(?:s|y)?"),
        domain="fashion",
    ),
    # --- fashion: style --------------------------------------------------------------------------
    MotiveEntry(
        "bold_statement", "wants a bold statement look",
        cues=("bold", "statement", "stand out", "eye[- ]catching", "head[- ]turning", "daring",
              "vibrant", "bright", "loud", "dramatic", "colou?rful", "flashy", "show[- ]stopp\\w*",
              "turn heads", "make an entrance", "sparkl\\w*", "sequins?", "shiny", "embellish\\w*",
              "drama", "loves colou?r"),
        domain="fashion", opposes=("understated_minimal",), negation_implies="understated_minimal",
    ),
    MotiveEntry(
        "understated_minimal", "prefers understated minimal style",
        cues=("understated", "minimal(?:ist)?", "simple", "subtle", "discreet", "quiet luxury",
              "clean lines", "neutral", "muted", "pared[- ]back", "low[- ]key", "nothing flashy",
              "classic"),
        domain="fashion", negation_implies="bold_statement",
    ),
    MotiveEntry(
        "timeless_investment", "wants a timeless piece that lasts for years",
        cues=("timeless", "investment", "last for years", "lasts? forever", "heirloom",
              "wardrobe staple", "for years", "classic piece", "buy once"),
        domain="fashion", opposes=("trendy",),
    ),
    MotiveEntry(
        "trendy", "wants something on-trend and fashionable",
        cues=("trendy", "on[- ]trend", "fashionable", "latest", "this season", "in style",
              "of the moment", "it[- ]bag", "viral", "new collection"),
        domain="fashion",
    ),
    MotiveEntry(
        "flattering_fit", "wants a flattering fit",
        cues=("flattering", "fit(?:ted)?", "figure", "silhouette", "petite", "curvy", "tall",
              "slimming", "waist", "tailored"),
        domain="fashion",
    ),
    MotiveEntry(
        "modest_coverage", "prefers modest coverage",
        cues=("modest", "covers? (?:my |the )?(?:shoulders|arms|knees)", "not too revealing",
              "conservative", "long sleeves?", "below the knee"),
        domain="fashion",
    ),
    MotiveEntry(
        "feel_confident", "wants to feel confident and self-assured",
        cues=("confident", "confidence", "empowered", "feel good", "feel great", "feel amazing",
              "powerful", "self[- ]assured"),
        domain="fashion",
    ),
    MotiveEntry(
        "splurge_luxury", "wants to treat themselves to something luxurious",
        cues=("luxury", "luxurious", "splurge", "treat (?:myself|herself|himself)", "indulge",
              "high[- ]end", "designer", "money is no object", "spare no expense", "finest",
              "special treat", "something special", "extravagant"),
        domain="fashion", opposes=("keep_costs_down",), negation_implies="keep_costs_down",
    ),
    MotiveEntry(
        "comfort_all_day", "wants all-day comfort",
        cues=("comfortable", "comfort", "comfy", "on my feet", "all day", "easy to wear",
              "not itchy", "cosy", "cozy", "easy to walk"),
        domain="any",
    ),
    MotiveEntry(
        "stay_cool", "wants breathable fabrics for summer heat",
        cues=("hot(?! pink)", "heat", "heatwave", "humid", "tropical", "scorching", "sweltering",
              "breathable", "stay cool", "keep cool", "summer"),
        domain="fashion", opposes=("stay_warm",),
    ),
    MotiveEntry(
        "stay_warm", "needs warmth for cold weather",
        cues=("cold", "winter", "warm(?! (?:colou?rs?|tones?|shades?|hues?|undertones?))", "chilly", "snow", "freezing", "frosty", "ski(?:ing)?",
              "keep warm", "stay warm"),
        domain="any",
    ),
    MotiveEntry(
        # A date in the northern winter ('a gala in February', 'our January wedding'): the season,
        # said by its month. Not 'by January' or 'delivered in January' (a deadline, not weather).
        "winter_month", "dressing for a cold winter date",
        cues=(r"(?<!by )(?<!delivered )(?<!arrive )(?<!before )(?:in|for|this|next|early|late|mid[- ]?) "
              r"(?:december|january|february)\b",
              r"(?:december|january|february) (?:weddings?|galas?|part(?:y|ies)|events?|trips?|holidays?|balls?|"
              r"ceremon(?:y|ies)|christenings?|dinners?)"),
        domain="fashion", opposes=("stay_cool",), subsumes=("stay_warm",),
    ),
    MotiveEntry(
        "rain_protection", "needs protection from rain and water",
        cues=("rain(?:y)?", "waterproof", "wet", "storms?", "drizzle", "downpour", "showers?"),
        domain="any",
    ),
    MotiveEntry(
        "vegan_animal_free", "avoids animal-derived materials",
        cues=("vegan", "animal[- ]free", "cruelty[- ]free", "leather[- ]free", "no animal",
              "plant[- ]based"),
        domain="fashion",
    ),
    # --- any: gift, money, time, values ---------------------------------------------------------
    MotiveEntry(
        "meaningful_gift", "wants a meaningful gift",
        cues=("gifts?", "gifting", "a present", "birthday", "anniversary", "christmas",
              "valentine'?s?", "mother'?s day", "father'?s day", "surprise (?:her|him|them)",
              "thank[- ]you gift", "retirement",
              "for (?:my )?(?:wife|husband|mum|mom|mother|dad|father|girlfriend|boyfriend|partner|"
              "sister|brother|daughter|son|friend|boss|colleague)(?!'s|’s)"),
        domain="any", unless=("myself", "for me", "treat me", "my own"),
    ),
    MotiveEntry(
        "values_sustainability", "values sustainability",
        cues=("sustainab\\w*", "eco[- ]friendly", "eco", "organic", "recycled", "ethical(?:ly)?",
              "environment\\w*", "planet", "carbon", "compostable", "biodegradable", "recyclable",
              "plastic[- ]free", "zero waste", "fair[- ]trade", "green credentials", "responsibly",
              "(?:remove|eliminate|reduce|phase out|cut down on|ban|replace|replacing) (?:\\w+ )?(?:single[- ]use|plastics?|polystyrene)",
              "less plastic", "take[- ]back"),
        domain="any",
    ),
    MotiveEntry(
        "keep_costs_down", "wants an affordable, budget-friendly option",
        cues=("cheap(?:er|est)?", "affordable", "budget[- ]friendly", "limited budget",
              "small budget", "too expensive", "too pricey", "over (?:my |our )?budget", "inexpensive", "costs? down", "save money",
              "saving money", "value for money", "economical", "tight budget", "bargain",
              "cost[- ]effective", "low[- ]cost", "reduce costs?", "cut costs?", "good deal",
              "budget[- ]conscious", "cost[- ]conscious",
              "best price", "not too expensive", "on a budget", "price[- ]sensitive"),
        domain="any",
    ),
    MotiveEntry(
        "quality_over_price", "prefers premium quality even at a higher price",
        cues=("best quality", "top quality", "high quality", "premium quality", "professional[- ]grade",
              "quality matters", "worth paying", "invest in quality", "top of the line",
              "best on the market"),
        domain="any", opposes=("keep_costs_down",),
    ),
    MotiveEntry(
        "needs_it_fast", "needs it fast",
        cues=("urgent(?:ly)?", "asap", "quickly", "fast", "tomorrow", "this week", "by (?:monday|"
              "tuesday|wednesday|thursday|friday|saturday|sunday|the weekend)", "rush",
              "last[- ]minute", "express", "right away", "immediately", "in a hurry", "running out",
              "ran out", "next[- ]day", "short notice", "soon"),
        domain="any",
    ),
    MotiveEntry(
        "durability_heavy_use", "needs durability for heavy use",
        cues=("durable", "durability", "heavy[- ]duty", "rugged", "long[- ]lasting", "tough",
              "withstand", "wear and tear", "heavy use", "daily use", "hard[- ]wearing",
              "built to last", "will last", "won'?t break", "robust", "sturdy", "abrasion"),
        domain="any",
    ),
    MotiveEntry(
        "easy_care", "wants something low-maintenance and easy to care for",
        cues=("easy care", "machine washable", "low[- ]maintenance", "easy to clean",
              "wrinkle[- ]free", "no ironing", "non[- ]iron", "wash and wear"),
        domain="any",
    ),
    # --- b2b ------------------------------------------------------------------------------------
    MotiveEntry(
        "regulatory_compliance", "prioritises regulatory compliance",
        cues=("complian(?:ce|t)", "regulations?", "regulatory", "certified", "certifications?",
              "inspections?", "audits?", "osha", "haccp", "iso ?\\d{3,5}", "en ?\\d{3,5}", "ansi",
              "fda", "ce[- ]marked", "meet (?:the )?standards?", "up to code", "health (?:and safety )?code",
              "legal requirements?", "pass (?:our |the )?\\w+ (?:inspections?|audits?)"),
        domain="b2b",
    ),
    MotiveEntry(
        "food_safety", "needs food-contact safe supplies",
        cues=("food[- ]safe", "food[- ]contact", "food[- ]grade", "kitchens?", "restaurants?",
              "catering", "bakery", "food service", "foodservice", "food handling", "food prep",
              "deli", "cafe", "canteen", "food processing"),
        domain="b2b",
    ),
    MotiveEntry(
        "strict_hygiene", "needs to maintain strict hygiene",
        cues=("hygiene", "hygienic", "sanitary", "sterile", "clean ?room", "infection",
              "contamination", "cross[- ]contamination", "disinfect\\w*", "hospitals?", "clinics?",
              "patients?", "germs?", "bacteria"),
        domain="b2b",
    ),
    MotiveEntry(
        "worker_safety", "wants to protect workers from injury",
        cues=("safety", "protect(?:ion)?", "injur(?:y|ies)", "cuts?(?! (?:costs?|down))", "hazards?", "ppe", "accidents?",
              "burns?", "workers?", "crew", "staff safety", "lacerations?", "sharp edges",
              "blades?", "knives"),
        domain="b2b",
    ),
    MotiveEntry(
        "bulk_volume", "buys in bulk for volume pricing",
        cues=("bulk", "volume", "wholesale", "pallets?", "large order", "stock up", "restock",
              "(?:[5-9]\\d|[1-9]\\d{2,}|\\d{1,3}(?:,\\d{3})+) (?:units|pieces|pcs|pairs|boxes|cases|rolls|packs)",
              "tiered pricing",
              "volume discount", "quantity discount", "in quantity"),
        domain="b2b", opposes=("small_trial",),
    ),
    MotiveEntry(
        "small_trial", "wants to trial a small quantity first",
        cues=("free samples?", "a sample", "samples? first", "order samples?", "trial", "test batch", "small (?:minimum )?orders?", "pilot", "try (?:out )?a few",
              "small quantit(?:y|ies)", "just a few", "limited storage", "storage (?:room )?is small",
              "small minimum", "low moq"),
        domain="b2b",
    ),
    MotiveEntry(
        "reliable_supply", "needs a reliable, consistent supply",
        cues=("reliable supplier", "consistent", "recurring", "reorder", "re[- ]order",
              "regular supply", "monthly", "weekly orders?", "standing order", "never run out",
              "every (?:week|month)", "ongoing", "regularly",
              "supply chain", "dependable"),
        domain="b2b",
    ),
    MotiveEntry(
        "lab_precision", "needs lab-grade precision and accuracy",
        cues=("precision", "precise", "accurate", "accuracy", "calibrat\\w*", "lab", "laborator\\w*",
              "tolerances?", "measurements?", "analytical", "reproducible"),
        domain="b2b",
    ),
    MotiveEntry(
        "cut_protection", "needs cut resistant hand protection",
        cues=("cut[- ]resist\\w*", "cut level", "cut protection", "cuts?(?! (?:costs?|down))", "lacerations?",
              "sharp (?:edges|blades|metal|objects)", "glass handling", "handling glass", "sheet metal",
              "knives", "blades?", "stamping", "press line"),
        domain="b2b",
    ),
    MotiveEntry(
        "heat_protection", "needs heat and flame resistant protection",
        cues=("heat[- ]resistant", "heat protection", "heat[- ]proof", "thermal protection", "high temperatures?",
              "ovens?", "hot surfaces?", "hot work", "welding", "welders?", "flames?", "fire", "sparks", "burns?",
              "foundry", "molten"),
        domain="b2b",
    ),
    MotiveEntry(
        "chemical_protection", "needs chemical resistant protection",
        cues=("chemicals?", "solvents?", "acids?", "corrosive", "caustic", "degreas\\w*", "splash(?:es)?"),
        domain="b2b",
    ),
    MotiveEntry(
        "compostable_packaging", "wants compostable, plastic-free packaging",
        cues=("compostable", "biodegradable", "plastic[- ]free", "bagasse", "recyclable packaging",
              "(?:remove|replace|replacing|phase out) (?:\\w+ )?(?:single[- ]use )?(?:plastics?|polystyrene)"),
        domain="b2b",
    ),
    MotiveEntry(
        "worker_comfort", "wants comfort for workers on long shifts",
        cues=("long shifts?", "all[- ]day wear", "ergonomic", "fatigue", "comfortable for (?:the )?staff",
              "on their feet", "comfortable to wear", "breathable"),
        domain="b2b",
    ),
    MotiveEntry(
        "professional_image_b2b", "wants a professional look in front of customers",
        cues=("customer[- ]facing", "front of house", "brand image", "presentation", "uniforms?",
              "look professional", "our guests", "upscale"),
        domain="b2b",
    ),
    MotiveEntry(
        "equipment_compatibility", "needs compatibility with existing equipment",
        cues=("compatible", "compatibility", "fits? our", "replacement", "spare parts?", "retrofit",
              "for our (?:machine|printer|system|dispenser|equipment)", "same as before"),
        domain="b2b",
    ),
    MotiveEntry(
        "disposable_hygiene", "prefers disposable single-use items",
        cues=("disposable", "single[- ]use", "one[- ]time use", "throw[- ]away"),
        domain="b2b", opposes=("reusable",),
    ),
    MotiveEntry(
        "reusable", "prefers reusable, washable items",
        cues=("reusable", "washable", "re[- ]use", "refillable", "multiple uses"),
        domain="any",
    ),
)

# Symmetric closure of ``opposes``, computed once so either side may declare an opposition.
_OPPOSITES: dict[str, set[str]] = {m.id: set(m.opposes) for m in MOTIVES}
for _m in MOTIVES:
    for _other in _m.opposes:
        _OPPOSITES.setdefault(_other, set()).add(_m.id)
OPPOSITES: dict[str, frozenset[str]] = {k: frozenset(v) for k, v in _OPPOSITES.items()}
"""Motive id -> ids it contradicts (symmetric)."""

MOTIVES_BY_ID: dict[str, MotiveEntry] = {m.id: m for m in MOTIVES}
MOTIVES_BY_TEXT: dict[str, MotiveEntry] = {m.text.lower(): m for m in MOTIVES}

_unknown = {o for v in OPPOSITES.values() for o in v} - MOTIVES_BY_ID.keys()
_unknown |= {m.negation_implies for m in MOTIVES if m.negation_implies} - MOTIVES_BY_ID.keys()
_unknown |= {s for m in MOTIVES for s in m.subsumes} - MOTIVES_BY_ID.keys()
if _unknown:  # a typo in the tables above must fail at import, not silently never fire
    raise ValueError(f"agent/vocabulary.py refers to unknown motive ids: {sorted(_unknown)}")


def motives_for_domain(domain: str) -> tuple[MotiveEntry, ...]:
    """The motives that apply to a catalog of ``domain`` (``fashion``, ``b2b`` or ``any``)."""
    if domain not in ("fashion", "b2b"):
        return MOTIVES
    return tuple(m for m in MOTIVES if m.domain in (domain, "any"))


# --------------------------------------------------------------------------------------------
# Cue matching
# --------------------------------------------------------------------------------------------

NEGATORS = frozenset({
    "not", "no", "nothing", "never", "without", "avoid", "avoids", "avoiding", "hate", "hates",
    "dislike", "dislikes", "disliked", "refuses", "refuse", "less", "non", "neither", "nor",
    "remove", "removing", "eliminate", "eliminating", "ban", "banning", "phase", "replace", "replacing",
    "stop", "stopped", "quit",
    "don't", "dont", "doesn't", "doesnt", "isn't", "isnt", "aren't", "arent", "won't", "wont",
    "can't", "cant", "cannot", "nor", "neither", "none", "rather", "instead", "anything but",
})
"""Words that negate a cue appearing shortly after them in the same clause."""

CLAUSE_BREAKS = frozenset({"but", "and", "although", "though", "yet", "however", "so", "because",
                           "while", "whereas", "just", "only", "which", "that", "where"})
"""Words that end the reach of a negation: 'not sure but something formal' is not negated."""

NEGATION_WINDOW = 4
"""How many words before a cue a negator may stand and still negate it."""

_WORD = re.compile(r"[a-z0-9']+")


@lru_cache(maxsize=None)
def cue_pattern(cues: tuple[str, ...]) -> re.Pattern[str] | None:
    """One compiled pattern for a tuple of cues, or None when there are no cues."""
    if not cues:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(cues) + r")(?![\w])", re.IGNORECASE)


def literal_anchor(cue: str) -> str | None:
    """The longest literal run every match of ``cue`` must contain ('cut[- ]resistant' ->
    'resistant'), or None when there is none. A fast ``in`` test on it skips most regex scans."""
    text = cue
    while True:  # innermost groups first, so nested groups collapse too
        reduced = re.sub(r"\([^()]*\)[?*+]?", "\x00", text)
        if reduced == text:
            break
        text = reduced
    if "|" in text:
        return None
    text = re.sub(r"\[[^\]]*\][?*+]?", "\x00", text)  # character classes
    text = re.sub(r"\\.(?:\{[^}]*\})?[?*+]?", "\x00", text)  # escapes (\w, \d{3,5}, ...)
    text = re.sub(r".[?*]|\{[^}]*\}", "\x00", text)  # optional characters, counted repeats
    text = text.replace("+", "\x00").replace(".", "\x00")
    runs = [r for r in text.split("\x00") if r.strip()]
    return max(runs, key=len) if runs else None


class CueMatcher:
    """Matches one tuple of cues fast: a substring test on each cue's literal anchor decides
    whether the (slower) regular expression needs to run at all."""

    def __init__(self, cues: tuple[str, ...]):
        self.pattern = cue_pattern(cues)
        anchors = [literal_anchor(c) for c in cues]
        self.anchors: tuple[str, ...] | None = None if any(a is None for a in anchors) else tuple(anchors)

    def may_match(self, lowered: str) -> bool:
        return self.pattern is not None and (
            self.anchors is None or any(a in lowered for a in self.anchors))

    def hits(self, text: str, lowered: str | None = None) -> list[re.Match[str]]:
        """Non-negated matches in ``text`` (``lowered`` is ``text.lower()`` when known)."""
        if not self.may_match(lowered if lowered is not None else text.lower()):
            return []
        return cue_hits(self.pattern, text)

    def negated(self, text: str, lowered: str | None = None) -> list[re.Match[str]]:
        if not self.may_match(lowered if lowered is not None else text.lower()):
            return []
        return negated_hits(self.pattern, text)


def readable_cue(cue: str) -> str | None:
    """A cue as plain words ('black[- ]tie' -> 'black tie'), or None when it is a real pattern
    (alternations, digits) that has no single plain reading."""
    text = cue.replace("[- ]", " ").replace("\\w*", "").replace("'?", "'")
    if re.search(r"[\\()\[\]|{}+*]", text):
        return None
    text = re.sub(r"(\w)\?", "", text)  # an optional last letter: 'gowns?' -> 'gown'
    return text.replace("?", "").strip() or None


def negated_at(text: str, start: int, end: int) -> bool:
    """True when the match ``text[start:end]`` is negated: a negator among the
    :data:`NEGATION_WINDOW` words before it (without a clause break in between), 'too' / 'overly'
    right before it ('too formal'), or a '-free' / ' free' suffix right after it ('leather-free')."""
    lowered = text.lower()
    if re.match(r"[- ]free\b", lowered[end:end + 6]):
        return True
    before = lowered[:start]
    # A comma, semicolon or full stop ends a negation's reach.
    before = re.split(r"[,;.!?:()]", before)[-1]
    words = _WORD.findall(before)[-NEGATION_WINDOW:]
    if words and words[-1] in ("too", "overly"):
        return True  # 'too formal' asks for less of it
    for k in range(len(words) - 1, -1, -1):
        word = words[k]
        if word in CLAUSE_BREAKS:
            return False
        if word in NEGATORS or word.endswith("n't"):
            return True
        if word == "than" and re.search(r"\b(?:more|rather|other)\b", before):
            return True  # 'more jeans-and-a-knit than boardroom': the boardroom is what is not wanted
    return False


def cue_hits(pattern: re.Pattern[str] | None, text: str) -> list[re.Match[str]]:
    """Non-negated matches of ``pattern`` in ``text``."""
    if pattern is None:
        return []
    return [m for m in pattern.finditer(text) if not negated_at(text, m.start(), m.end())]


def negated_hits(pattern: re.Pattern[str] | None, text: str) -> list[re.Match[str]]:
    """Negated matches of ``pattern`` in ``text`` ('nothing too flashy')."""
    if pattern is None:
        return []
    return [m for m in pattern.finditer(text) if negated_at(text, m.start(), m.end())]


# --------------------------------------------------------------------------------------------
# Word lists for motive inference
# --------------------------------------------------------------------------------------------

CATEGORY_SYNONYMS: dict[str, tuple[str, ...]] = {
    "shoes": ("shoes", "footwear", "heels", "pumps", "sneakers", "boots"),
    "shoe": ("shoes", "footwear"),
    "heels": ("heels", "pumps", "shoes", "footwear"),
    "pumps": ("pumps", "heels", "shoes"),
    "stilettos": ("heels", "pumps", "shoes"),
    "sneakers": ("sneakers", "trainers", "shoes", "footwear"),
    "trainers": ("trainers", "sneakers", "shoes", "footwear"),
    "loafers": ("loafers", "shoes", "footwear"),
    "flats": ("flats", "shoes", "footwear"),
    "sandals": ("sandals", "shoes", "footwear"),
    "boots": ("boots", "shoes", "footwear"),
    "footwear": ("footwear", "shoes"),
    "jacket": ("jacket", "blazer", "coat", "outerwear"),
    "jackets": ("jacket", "blazer", "coat", "outerwear"),
    "blazer": ("blazer", "jacket"),
    "coat": ("coat", "outerwear", "jacket"),
    "outerwear": ("outerwear", "coat", "jacket"),
    "gown": ("gown", "dress", "evening dress"),
    "gowns": ("gown", "dress", "evening dress"),
    "frock": ("dress",),
    "bag": ("bag", "handbag", "bags", "accessories"),
    "handbag": ("handbag", "bag"),
    "purse": ("handbag", "bag", "wallet"),
    "tote": ("tote", "bag", "handbag"),
    "clutch": ("clutch", "handbag", "bag"),
    "tee": ("t-shirt", "top"),
    "t-shirt": ("t-shirt", "top"),
    "shirt": ("shirt", "blouse", "top"),
    "blouse": ("blouse", "shirt", "top"),
    "sweater": ("sweater", "knitwear", "jumper", "cardigan"),
    "jumper": ("jumper", "sweater", "knitwear"),
    "pullover": ("sweater", "knitwear", "jumper"),
    "cardigan": ("cardigan", "knitwear", "sweater"),
    "knit": ("knitwear", "sweater"),
    "trousers": ("trousers", "pants"),
    "pants": ("pants", "trousers"),
    "slacks": ("trousers", "pants"),
    "jeans": ("jeans", "denim", "trousers"),
    "necklace": ("necklace", "jewellery", "jewelry"),
    "earrings": ("earrings", "jewellery", "jewelry"),
    "bracelet": ("bracelet", "jewellery", "jewelry"),
    "jewelry": ("jewelry", "jewellery"),
    "jewellery": ("jewellery", "jewelry"),
    "scarf": ("scarf", "scarves", "accessories"),
    "gloves": ("gloves", "glove"),
    "mitts": ("gloves", "glove"),
    "masks": ("masks", "respirators", "face masks"),
    "respirator": ("respirators", "masks"),
    "goggles": ("goggles", "eye protection", "safety glasses"),
    "glasses": ("safety glasses", "eye protection", "goggles"),
    "apron": ("aprons", "apron", "workwear"),
    "aprons": ("aprons", "apron", "workwear"),
}
"""A word a person uses -> category names it may mean, in order of preference. Only names that
exist in the catalog at hand are used. Generic B2B nouns (boxes, cups, tape, labels) are left
out on purpose: in a real catalog they span several categories (mailer boxes are packaging,
clamshell boxes are catering disposables), and a wrong category would hide the right items."""
