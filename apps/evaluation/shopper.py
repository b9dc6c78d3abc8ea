"""A free-worded simulated shopper for ``motive eval simulate`` (``--shopper free``, the default).

:class:`apps.evaluation.simulate.UserSimulator` words its hard constraints the way Motive's own parser
reads them, so it measures that parser against its own phrasing. :class:`FreeShopper` holds the same
hidden target and plays the same game (same interface: :meth:`FreeShopper.opening`,
:meth:`FreeShopper.respond`, ``constraints``, ``stated``), but says things the way people write to a
shop assistant in a chat window, from phrasing tables written for this module without reference to
the parser: "in black please", "nothing in polyester", "I'm a 38", "2.5k max", "we can wait two weeks
max", "can't do an MOQ above 1000", "nah, not these", "my client is after a frock".

Truthfulness: every hard constraint it states is true of the target. ``constraints`` is its own
ground truth, set directly from the facts it decided to say (never by reading its sentences back),
and an update that the target would break is refused (:meth:`FreeShopper._apply`), so
``constraints.violations(target)`` stays empty. What it knows is read from the target's own fields
only: category, title words (for the kind of item and its colour when there is no colour field),
colour, material, sizes, availability, lead time, MOQ, tiered prices, certifications, purposes and
qualities (the cue tables of ``simulate.py``). Soft wishes ("ideally something soft", "something
cheaper?") are not constraints.

Every choice of wording is drawn from one seeded :class:`random.Random`, so a session is
reproducible for a seed. The module imports nothing from Motive's message parsing.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass
from typing import Callable, Sequence

from apps.evaluation.simulate import (AgentTurn, Profile, StatesTruths, UserReply, nice_ceiling, profile_of,
                                     with_article)
from agent.models import Constraints, Item, mentions_positively

# ================================================================================================
# Phrasing tables (module-level data; several ways to say each fact)
# ================================================================================================

GREETINGS: tuple[str, ...] = (
    "Hi", "Hello", "Hey", "Hi there", "Hello there", "Good morning", "Good afternoon", "Hiya", "Hey there",
    "Morning",
)
CHATTY_OPENERS: tuple[str, ...] = (
    "hope you can help", "quick question", "wonder if you can help", "so", "ok so", "bit of a search here",
)

# -- openings --------------------------------------------------------------------------------------
# {kind}: the kind of item ("a dress"); {purpose}: " for a wedding" or ""; pronoun slots: {subj}
# (I / they / we), {be} (I'm / they're / we're), {poss} (my / their / our).
OPEN_I: tuple[str, ...] = (
    "I'm looking for {kind}{purpose}",
    "do you have {kind}{purpose}?",
    "I need {kind}{purpose}",
    "I'm after {kind}{purpose}",
    "could you help me find {kind}{purpose}?",
    "looking for {kind}{purpose}",
    "I want to buy {kind}{purpose}",
    "I'm shopping for {kind}{purpose}",
    "{kind}{purpose}, what do you have?",
    "can you show me {kind}{purpose}?",
    "I'm hunting for {kind}{purpose}",
    "trying to find {kind}{purpose}",
)
OPEN_RELAY: tuple[str, ...] = (
    "my client is after {kind}{purpose}",
    "I'm shopping on behalf of a client who needs {kind}{purpose}",
    "one of my clients wants {kind}{purpose}",
    "I'm looking for {kind} for a client{purpose_and}",
    "I have a client looking for {kind}{purpose}",
    "my client needs {kind}{purpose}, can you help?",
)
OPEN_WE: tuple[str, ...] = (
    "we're looking for {kind}{purpose}",
    "we need to order {kind}{purpose}",
    "I'm sourcing {kind}{purpose}",
    "can you quote us for {kind}{purpose}?",
    "do you stock {kind}{purpose}?",
    "we're after {kind}{purpose}",
    "looking to buy {kind} in bulk{purpose}",
    "we need {kind}{purpose}",
    "I'm restocking {kind}{purpose} for the team",
    "need a supplier for {kind}{purpose}",
)
OPEN_TERSE: tuple[str, ...] = (
    "{kind_bare}{purpose}",
    "need {kind}{purpose}",
    "{kind_bare}{purpose} pls",
    "looking for {kind}",
)
OPEN_VAGUE: tuple[str, ...] = (
    "I'm looking for something {what}",
    "I need something {what}",
    "any ideas for something {what}?",
    "can you suggest something {what}?",
    "help me find something {what}",
    "do you have anything {what}?",
)
OPEN_VAGUE_RELAY: tuple[str, ...] = (
    "my client needs something {what}",
    "I'm looking for something {what} for a client",
    "a client of mine wants something {what}",
)
OPEN_VAGUE_WE: tuple[str, ...] = (
    "we need something {what}",
    "we're looking for something {what}",
    "do you carry anything {what}?",
)

# -- the kind of item --------------------------------------------------------------------------------
# Per category (a regex over the catalog's category name): (noun phrase, condition on the target's
# title and style or None, catalog categories the word covers). The catalog's own name is always a
# candidate too (``with_article(category)``); the covered categories are what the word means, and
# the target's own category is always among them.
SHOE_CATS = ("shoes", "sneakers", "trainers", "boots", "sandals", "heeled sandals", "pumps", "wedge",
             "ballerinas", "flat shoe", "flat shoes", "other shoe", "slippers", "heels", "loafers", "flip flop",
             "moccasins", "espadrilles")
HEEL_CATS = ("heels", "pumps", "heeled sandals", "wedge")
DRESS_CATS = ("dress", "dresses", "gown", "gowns")
KNIT_CATS = ("knitwear", "sweater", "sweaters", "jumper", "jumpers", "cardigan", "cardigans")
TROUSER_CATS = ("trousers", "pants", "slacks", "jeans", "chinos")
TOP_CATS = ("top", "tops", "blouse", "vest top", "t-shirt", "shirt", "polo shirt", "bodysuit")
BAG_CATS = ("handbag", "handbags", "bag", "bags")
JEWEL_CATS = ("jewellery", "jewelry", "earring", "earrings", "necklace", "ring", "rings", "bracelet")
SWIM_CATS = ("swimwear", "swimsuit", "bikini top", "swimwear bottom", "swimwear set", "swim shorts")
JACKET_CATS = ("blazer", "jacket", "jackets")
GLOVE_CATS = ("safety gloves", "gloves", "work gloves")
CLEANING_CATS = ("cleaning chemicals", "cleaning equipment")
WORKWEAR_CATS = ("workwear", "hi-vis clothing")

KindWord = tuple[str, "str | None", tuple[str, ...]]
KIND_WORDS: tuple[tuple[str, tuple[KindWord, ...]], ...] = (
    # -- fashion
    (r"dress(es)?", (
        ("a dress", None, DRESS_CATS), ("a frock", None, DRESS_CATS),
        ("a gown", r"gown|floor-length|ball", DRESS_CATS), ("an evening dress", r"gown|evening|cocktail", DRESS_CATS),
        ("a maxi dress", r"maxi", DRESS_CATS), ("a midi dress", r"midi", DRESS_CATS),
        ("a cocktail dress", r"cocktail", DRESS_CATS), ("a summer dress", r"tea dress|kaftan|linen", DRESS_CATS),
    )),
    (r"shoes?|footwear|sneakers|boots|sandals|pumps|heels|flat shoes?|ballerinas|other shoe|wedge", (
        ("shoes", None, SHOE_CATS), ("a pair of shoes", None, SHOE_CATS),
        ("heels", r"heel|stiletto|pump|slingback|wedge", HEEL_CATS),
        ("trainers", r"sneaker|trainer", ("sneakers", "trainers")),
        ("sneakers", r"sneaker|trainer", ("sneakers", "trainers")),
        ("boots", r"\bboots?\b", ("boots",)), ("sandals", r"sandal|slide", ("sandals", "heeled sandals")),
        ("loafers", r"loafer", ("loafers", "moccasins")), ("brogues", r"brogue", ()),
        ("espadrilles", r"espadrille", ("espadrilles",)), ("slingbacks", r"slingback", HEEL_CATS),
        ("court shoes", r"pump", HEEL_CATS),
    )),
    (r"knitwear|sweaters?|jumpers?|cardigans?", (
        ("some knitwear", None, KNIT_CATS), ("a knit", None, KNIT_CATS),
        ("a sweater", r"sweater|jumper|crewneck|turtleneck|pullover", KNIT_CATS),
        ("a jumper", r"sweater|jumper|crewneck|turtleneck|pullover", KNIT_CATS),
        ("a cardigan", r"cardigan", KNIT_CATS), ("a roll neck", r"turtleneck|roll-neck", KNIT_CATS),
        ("a knitted polo", r"polo", KNIT_CATS),
    )),
    (r"trousers|pants|jeans|chinos|slacks", (
        ("trousers", None, TROUSER_CATS), ("pants", None, TROUSER_CATS),
        ("slacks", r"pleat|wool|flannel|tuxedo|twill|tailor", TROUSER_CATS),
        ("jeans", r"\bjeans?\b|denim", ("jeans", "trousers")), ("a pair of trousers", None, TROUSER_CATS),
    )),
    (r"t-?shirts?|tees?", (
        ("a t-shirt", None, ("t-shirt", "t-shirts")), ("a tee", None, ("t-shirt", "t-shirts")),
        ("a t shirt", None, ("t-shirt", "t-shirts")), ("a top", None, TOP_CATS),
    )),
    (r"blouses?|tops?|vest tops?", (
        ("a blouse", r"blouse|bow|shell", TOP_CATS), ("a top", None, TOP_CATS),
        ("a cami", r"cami|strap", TOP_CATS), ("a vest", r"vest|strap|tank", TOP_CATS),
    )),
    (r"shirts?|polo shirts?", (
        ("a shirt", None, ("shirt", "shirts", "polo shirt")),
        ("a button-down", r"oxford|button|collar|placket", ("shirt", "shirts")),
        ("a dress shirt", r"dress shirt|cutaway|poplin", ("shirt", "shirts")),
    )),
    (r"blazers?", (
        ("a blazer", None, JACKET_CATS), ("a jacket", None, JACKET_CATS),
        ("a tailored jacket", None, JACKET_CATS), ("a sports coat", r"hopsack|tweed|navy", JACKET_CATS),
    )),
    (r"jackets?", (
        ("a jacket", None, JACKET_CATS + ("coat",)), ("some outerwear", None, ("jacket", "coat", "coats")),
    )),
    (r"coats?|outerwear", (
        ("a coat", None, ("coat", "coats", "outerwear")), ("an overcoat", r"overcoat|polo coat|melton", ("coat",)),
        ("a jacket", r"jacket|puffer|parka", ("coat", "jacket", "blazer")), ("a trench", r"trench", ("coat",)),
        ("a puffer", r"puffer", ("coat", "jacket")), ("outerwear", None, ("coat", "coats", "outerwear", "jacket")),
    )),
    (r"suits?", (
        ("a suit", None, ("suit", "suits")), ("a tux", r"tuxedo", ("suit",)), ("a tuxedo", r"tuxedo", ("suit",)),
        ("a trouser suit", r"trouser suit", ("suit",)), ("a three-piece", r"three-piece", ("suit",)),
        ("a two-piece", r"trouser suit|navy wool suit|linen-silk", ("suit",)),
    )),
    (r"skirts?", (
        ("a skirt", None, ("skirt", "skirts")), ("a midi skirt", r"midi", ("skirt",)),
        ("a maxi skirt", r"maxi", ("skirt",)), ("a pencil skirt", r"pencil", ("skirt",)),
        ("a wrap skirt", r"wrap", ("skirt",)),
    )),
    (r"handbags?|bags?", (
        ("a bag", None, BAG_CATS), ("a handbag", None, BAG_CATS),
        ("a purse", r"clutch|crossbody|minaudi|shoulder|bucket|top-handle", BAG_CATS),
        ("a tote", r"tote|basket", BAG_CATS), ("a clutch", r"clutch|minaudi", BAG_CATS),
        ("a crossbody", r"crossbody", BAG_CATS), ("a briefcase", r"briefcase", BAG_CATS),
        ("a shoulder bag", r"shoulder|chain", BAG_CATS), ("a beach bag", r"beach", BAG_CATS),
    )),
    (r"jewell?e?ry|earrings?|necklaces?|rings?|bracelets?", (
        ("some jewellery", None, JEWEL_CATS), ("a piece of jewellery", None, JEWEL_CATS),
        ("jewelry", None, JEWEL_CATS), ("a ring", r"\bring\b", JEWEL_CATS),
        ("earrings", r"earring|hoops", JEWEL_CATS), ("a bracelet", r"bracelet|cuff\b", JEWEL_CATS),
        ("a necklace", r"necklace|pendant", JEWEL_CATS), ("cufflinks", r"cufflink", JEWEL_CATS),
        ("a pendant", r"pendant", JEWEL_CATS),
    )),
    (r"scarf|scarves", (
        ("a scarf", None, ("scarf", "scarves")), ("a stole", r"stole", ("scarf",)),
        ("a wrap", r"stole|blanket", ("scarf",)),
        ("a sarong", r"sarong", ("scarf",)), ("a silk square", r"carr|twill", ("scarf",)),
    )),
    (r"watch(es)?", (
        ("a watch", None, ("watch", "watches")), ("a wristwatch", None, ("watch", "watches")),
        ("a timepiece", None, ("watch", "watches")), ("a dress watch", r"dress watch|automatic", ("watch",)),
    )),
    (r"swimwear|swimsuit|bikini.*|swimwear.*", (
        ("swimwear", None, SWIM_CATS), ("a swimsuit", r"swimsuit|one-piece", SWIM_CATS),
        ("a bikini", r"bikini", SWIM_CATS), ("swim shorts", r"swim shorts", SWIM_CATS),
        ("swimming trunks", r"swim shorts", SWIM_CATS), ("a cossie", r"swimsuit|one-piece|bikini", SWIM_CATS),
        ("a one-piece", r"one-piece|swimsuit", SWIM_CATS), ("something to swim in", None, SWIM_CATS),
    )),
    (r"belts?", (("a belt", None, ("belt", "belts")), ("a leather belt", r"leather|calf", ("belt",)))),
    (r"sunglasses", (
        ("sunglasses", None, ("sunglasses",)), ("sunnies", None, ("sunglasses",)), ("shades", None, ("sunglasses",)),
        ("a pair of sunglasses", None, ("sunglasses",)), ("aviators", r"aviator", ("sunglasses",)),
    )),
    (r"hoodie", (("a hoodie", None, ("hoodie",)), ("a hooded top", None, ("hoodie",)))),
    (r"shorts", (("shorts", None, ("shorts",)), ("a pair of shorts", None, ("shorts",)))),
    (r"leggings/tights|leggings|tights", (
        ("leggings", r"legging", ("leggings/tights",)), ("tights", r"tights", ("leggings/tights",)),
    )),
    (r"socks", (("socks", None, ("socks",)), ("a pair of socks", None, ("socks",)))),
    (r"underwear bottom|underwear", (
        ("underwear", None, ("underwear bottom", "underwear")), ("knickers", None, ("underwear bottom",)),
        ("briefs", None, ("underwear bottom",)),
    )),
    (r"bra", (("a bra", None, ("bra",)),)),
    (r"pyjama.*|nightwear", (
        ("pyjamas", None, ("pyjama set", "pyjama jumpsuit/playsuit", "pyjama bottom", "nightwear")),
        ("pjs", None, ("pyjama set", "pyjama bottom", "nightwear")),
    )),
    (r"jumpsuit/playsuit|jumpsuit|playsuit", (
        ("a jumpsuit", None, ("jumpsuit/playsuit",)), ("a playsuit", None, ("jumpsuit/playsuit",)),
    )),
    (r"hat/beanie|hat/brim|cap/peaked|hats?|beanie", (
        ("a hat", None, ("hat/beanie", "hat/brim", "cap/peaked")), ("a beanie", r"beanie", ("hat/beanie",)),
    )),
    (r"bodysuit", (("a bodysuit", None, ("bodysuit",)), ("a body", None, ("bodysuit",)))),
    # -- b2b
    (r"safety gloves|gloves|work gloves", (
        ("safety gloves", None, GLOVE_CATS), ("work gloves", None, GLOVE_CATS), ("protective gloves", None, GLOVE_CATS),
        ("gloves", None, GLOVE_CATS), ("cut-resistant gloves", r"cut-resistant", GLOVE_CATS),
        ("nitrile gloves", r"nitrile", GLOVE_CATS), ("disposable gloves", r"disposable", GLOVE_CATS),
        ("rigger gloves", r"rigger", GLOVE_CATS), ("welding gauntlets", r"welding", GLOVE_CATS),
        ("heat-resistant gloves", r"heat-resistant|aramid", GLOVE_CATS),
        ("thermal gloves", r"thermal|cold", GLOVE_CATS),
        ("chemical gloves", r"chemical", GLOVE_CATS), ("anti-vibration gloves", r"vibration", GLOVE_CATS),
    )),
    (r"safety footwear", (
        ("safety footwear", None, ("safety footwear",)), ("safety shoes", None, ("safety footwear",)),
        ("safety boots", r"boot|wellington", ("safety footwear",)), ("work boots", r"boot", ("safety footwear",)),
        ("safety trainers", r"trainer", ("safety footwear",)), ("wellies", r"wellington", ("safety footwear",)),
        ("kitchen clogs", r"clog", ("safety footwear",)), ("steel toe boots", r"\bboot", ("safety footwear",)),
    )),
    (r"safety eyewear", (
        ("safety eyewear", None, ("safety eyewear",)), ("eye protection", None, ("safety eyewear",)),
        ("safety glasses", r"spectacle|glasses", ("safety eyewear",)),
        ("safety specs", r"spectacle", ("safety eyewear",)),
        ("goggles", r"goggle", ("safety eyewear",)), ("a face shield", r"shield", ("safety eyewear",)),
        ("visors", r"shield", ("safety eyewear",)),
    )),
    (r"hearing protection", (
        ("hearing protection", None, ("hearing protection",)), ("ear protection", None, ("hearing protection",)),
        ("earplugs", r"plug", ("hearing protection",)), ("ear plugs", r"plug", ("hearing protection",)),
        ("ear defenders", r"defender|muff", ("hearing protection",)),
    )),
    (r"respiratory protection", (
        ("respiratory protection", None, ("respiratory protection",)),
        ("respirators", r"respirator|mask", ("respiratory protection",)),
        ("dust masks", r"ffp", ("respiratory protection",)), ("FFP2 masks", r"ffp2", ("respiratory protection",)),
        ("FFP3 masks", r"ffp3", ("respiratory protection",)),
        ("a half mask", r"half mask", ("respiratory protection",)),
        ("masks", None, ("respiratory protection",)),
    )),
    (r"head protection", (
        ("head protection", None, ("head protection",)), ("hard hats", r"helmet", ("head protection",)),
        ("safety helmets", r"helmet", ("head protection",)), ("bump caps", r"bump cap", ("head protection",)),
    )),
    (r"hi-vis clothing", (
        ("hi-vis clothing", None, ("hi-vis clothing",)), ("hi-vis", None, ("hi-vis clothing",)),
        ("high-vis vests", r"vest", ("hi-vis clothing",)), ("hi-vis jackets", r"parka|jacket", ("hi-vis clothing",)),
        ("high visibility gear", None, ("hi-vis clothing",)), ("work clothes", None, WORKWEAR_CATS),
    )),
    (r"workwear", (
        ("workwear", None, WORKWEAR_CATS), ("work clothes", None, WORKWEAR_CATS), ("uniforms", None, ("workwear",)),
        ("chef whites", r"chef jacket", ("workwear",)), ("chef jackets", r"chef jacket", ("workwear",)),
        ("work trousers", r"trousers", ("workwear",)), ("coveralls", r"coverall", ("workwear",)),
        ("overalls", r"coverall", ("workwear",)), ("lab coats", r"lab coat|smock", ("workwear",)),
        ("aprons", r"apron", ("workwear",)), ("work t-shirts", r"t-shirt", ("workwear",)),
        ("base layers", r"base layer", ("workwear",)), ("work jackets", r"jacket", ("workwear",)),
    )),
    (r"cleaning chemicals", (
        ("cleaning chemicals", None, ("cleaning chemicals",)), ("cleaning products", None, ("cleaning chemicals",)),
        ("cleaning supplies", None, CLEANING_CATS), ("a degreaser", r"degreaser", ("cleaning chemicals",)),
        ("disinfectant", r"disinfect|virucidal|sanitiser", ("cleaning chemicals",)),
        ("floor cleaner", r"floor cleaner", ("cleaning chemicals",)),
        ("dishwasher detergent", r"dishwasher", ("cleaning chemicals",)),
        ("bleach", r"bleach", ("cleaning chemicals",)), ("glass cleaner", r"glass cleaner", ("cleaning chemicals",)),
        ("descaler", r"descal", ("cleaning chemicals",)), ("laundry detergent", r"laundry", ("cleaning chemicals",)),
        ("oven cleaner", r"oven", ("cleaning chemicals",)), ("floor polish", r"polish", ("cleaning chemicals",)),
        ("washroom cleaner", r"washroom", ("cleaning chemicals",)),
        ("rinse aid", r"rinse aid", ("cleaning chemicals",)),
        ("drain cleaner", r"drain", ("cleaning chemicals",)), ("carpet shampoo", r"carpet", ("cleaning chemicals",)),
        ("surface cleaner", r"surface", ("cleaning chemicals",)),
    )),
    (r"cleaning equipment", (
        ("cleaning equipment", None, ("cleaning equipment",)), ("cleaning supplies", None, CLEANING_CATS),
        ("mop heads", r"mop head", ("cleaning equipment",)), ("microfibre cloths", r"cloth", ("cleaning equipment",)),
        ("cleaning cloths", r"cloth", ("cleaning equipment",)), ("mop pads", r"pad", ("cleaning equipment",)),
    )),
    (r"catering disposables", (
        ("catering disposables", None, ("catering disposables",)), ("disposables", None, ("catering disposables",)),
        ("takeaway packaging", r"box|clamshell|container|bowl|wedge|cup|lid", ("catering disposables",)),
        ("napkins", r"napkin", ("catering disposables",)), ("serviettes", r"napkin", ("catering disposables",)),
        ("takeaway boxes", r"box|clamshell|container", ("catering disposables",)),
        ("coffee cups", r"hot cup", ("catering disposables",)),
        ("paper cups", r"paper hot cup", ("catering disposables",)),
        ("cup lids", r"lid", ("catering disposables",)), ("wooden cutlery", r"cutlery", ("catering disposables",)),
        ("straws", r"straw", ("catering disposables",)), ("cling film", r"cling", ("catering disposables",)),
        ("greaseproof paper", r"greaseproof", ("catering disposables",)),
        ("sandwich boxes", r"sandwich", ("catering disposables",)),
        ("pizza boxes", r"pizza", ("catering disposables",)),
        ("coffee stirrers", r"stirrer", ("catering disposables",)),
        ("cold cups", r"cold cup", ("catering disposables",)), ("salad bowls", r"salad", ("catering disposables",)),
    )),
    (r"packaging", (
        ("packaging", None, ("packaging",)), ("packaging supplies", None, ("packaging",)),
        ("shipping boxes", r"box", ("packaging",)), ("cardboard boxes", r"box", ("packaging",)),
        ("packing tape", r"tape", ("packaging",)), ("pallet wrap", r"stretch wrap", ("packaging",)),
        ("stretch film", r"stretch wrap", ("packaging",)), ("bubble wrap", r"bubble", ("packaging",)),
        ("void fill", r"void", ("packaging",)), ("mailing bags", r"mailing bag", ("packaging",)),
        ("mailers", r"mailer|mailing", ("packaging",)), ("strapping", r"strapping", ("packaging",)),
        ("edge protectors", r"edge", ("packaging",)), ("shipping labels", r"label", ("packaging",)),
        ("paper wrap", r"honeycomb|paper wrap", ("packaging",)), ("postal boxes", r"postal|mailer box", ("packaging",)),
    )),
    (r"lab consumables", (
        ("lab consumables", None, ("lab consumables",)), ("lab supplies", None, ("lab consumables",)),
        ("pipette tips", r"pipette tip", ("lab consumables",)),
        ("centrifuge tubes", r"centrifuge", ("lab consumables",)),
        ("tubes", r"tube", ("lab consumables",)), ("petri dishes", r"petri", ("lab consumables",)),
        ("pipettes", r"pipette", ("lab consumables",)), ("cryovials", r"cryogenic", ("lab consumables",)),
        ("lab wipes", r"wipe", ("lab consumables",)), ("beakers", r"beaker", ("lab consumables",)),
        ("weighing boats", r"weighing", ("lab consumables",)), ("sharps bins", r"sharps", ("lab consumables",)),
        ("biohazard bags", r"biohazard", ("lab consumables",)), ("pH strips", r"ph indicator", ("lab consumables",)),
    )),
    (r"food hygiene", (
        ("food hygiene supplies", None, ("food hygiene",)), ("kitchen hygiene stuff", None, ("food hygiene",)),
        ("hairnets", r"hairnet", ("food hygiene",)), ("beard snoods", r"beard", ("food hygiene",)),
        ("disposable aprons", r"apron", ("food hygiene",)), ("a probe thermometer", r"thermometer", ("food hygiene",)),
        ("chopping boards", r"chopping", ("food hygiene",)), ("food labels", r"label", ("food hygiene",)),
        ("day dot labels", r"rotation label", ("food hygiene",)), ("vacuum pouches", r"vacuum", ("food hygiene",)),
        ("vac pack bags", r"vacuum", ("food hygiene",)),
        ("food-prep gloves", r"glove", ("food hygiene",) + GLOVE_CATS),
        ("disposable gloves", r"glove", ("food hygiene",) + GLOVE_CATS),
    )),
    (r"hand hygiene", (
        ("hand hygiene products", None, ("hand hygiene",)), ("hand sanitiser", r"rub|sanitiser", ("hand hygiene",)),
        ("hand gel", r"gel", ("hand hygiene",)), ("hand soap", r"soap", ("hand hygiene",)),
        ("hand wash", r"hand wash", ("hand hygiene",)), ("hand cream", r"cream", ("hand hygiene",)),
        ("a soap dispenser", r"dispenser", ("hand hygiene",)),
    )),
    (r"paper hygiene", (
        ("paper hygiene products", None, ("paper hygiene",)), ("paper towels", r"towel", ("paper hygiene",)),
        ("hand towels", r"towel", ("paper hygiene",)), ("toilet roll", r"toilet", ("paper hygiene",)),
        ("loo roll", r"toilet", ("paper hygiene",)), ("blue roll", r"wiping|centrefeed", ("paper hygiene",)),
        ("wiping rolls", r"wiping", ("paper hygiene",)),
    )),
    (r"first aid", (
        ("first aid supplies", None, ("first aid",)), ("first aid stuff", None, ("first aid",)),
        ("a first aid kit", r"kit", ("first aid",)), ("an eyewash station", r"eyewash", ("first aid",)),
        ("plasters", r"plaster", ("first aid",)), ("blue plasters", r"blue.*plaster", ("first aid",)),
    )),
    (r"waste bags", (
        ("bin bags", None, ("waste bags",)), ("bin liners", None, ("waste bags",)),
        ("waste bags", None, ("waste bags",)),
        ("refuse sacks", r"refuse", ("waste bags",)), ("rubbish sacks", r"refuse", ("waste bags",)),
        ("caddy liners", r"caddy", ("waste bags",)), ("clinical waste bags", r"clinical", ("waste bags",)),
    )),
    (r"tools", (
        ("tools", None, ("tools",)),
        ("hand tools", r"screwdriver|wrench|knife|level|measure|socket|pliers", ("tools",)),
        ("a screwdriver set", r"screwdriver", ("tools",)),
        ("insulated screwdrivers", r"vde insulated screwdriver", ("tools",)),
        ("a torque wrench", r"torque", ("tools",)), ("drill bits", r"drill", ("tools",)),
        ("a utility knife", r"utility knife", ("tools",)), ("box cutters", r"utility knife", ("tools",)),
        ("a spirit level", r"spirit level", ("tools",)), ("a tape measure", r"tape measure", ("tools",)),
        ("a socket set", r"socket", ("tools",)), ("a work light", r"light", ("tools",)),
        ("cable ties", r"cable ties", ("tools",)), ("zip ties", r"cable ties", ("tools",)),
        ("a step ladder", r"ladder", ("tools",)), ("pliers", r"pliers", ("tools",)),
    )),
)
AUDIENCE: dict[str, str] = {"menswear": "men's", "ladieswear": "women's", "baby/children": "kids'"}

# -- budgets ------------------------------------------------------------------------------------------
# {m}: an amount of money in one of many forms (see :func:`say_money`); "a"/"b": the two ends of a range.
BUDGET_MAX: tuple[str, ...] = (
    "under {m}", "{m} max", "no more than {m}", "{m} tops", "{poss} budget is {m}", "can't go over {m}",
    "up to {m}", "max {m}", "below {m}", "{subj} want to stay under {m}", "{poss} budget's {m}, no more",
    "nothing over {m} please", "keep it under {m}", "{m} is the limit", "{subj} can spend up to {m}",
    "{subj}'d rather not spend more than {m}", "budget: {m}", "not more than {m}",
)
BUDGET_AROUND: tuple[str, ...] = (
    "around {m}", "{mish}", "roughly {m}", "about {m}", "somewhere around {m}", "in the region of {m}",
    "{poss} budget is around {m}", "something around the {m} mark", "{m} or so",
)
BUDGET_RANGE: tuple[str, ...] = (
    "between {a} and {b}", "{a} to {b}", "{a}-{b}", "somewhere between {a} and {b}", "from {a} up to {b}",
    "{poss} budget is {a} to {b}", "in the {a}-{b} range",
)
NO_BUDGET: tuple[str, ...] = (
    "Price doesn't really matter.", "Not fussed about price.", "No set budget.", "Whatever it costs, within reason.",
    "No budget in mind really.",
)
UNIT_SUFFIX: tuple[str, ...] = (" a unit", " per unit", " each", " per piece", "")

# -- colours, materials, exclusions ---------------------------------------------------------------------
COLOUR_SAY: tuple[str, ...] = (
    "has to be {c}", "in {c} please", "{c} would be a must", "needs to be {c}", "{subj}'d want it in {c}",
    "{c} only", "{subj} want {c}", "it must be {c}", "colour-wise, {c}", "{c}, nothing else", "it should be {c}",
    "{c} is a must", "{subj} only want it in {c}",
)
NO_COLOUR: tuple[str, ...] = ("Any colour is fine.", "Colour doesn't matter.", "Not fussed about the colour.",
                              "Whatever colour.", "No preference on colour.")
MATERIAL_SAY: tuple[str, ...] = (
    "has to be {m}", "{m} please", "it must be {m}", "in {m}", "made of {m}", "{subj} want {m}",
    "{m} would be a must", "needs to be {m}", "{be} only interested in {m}", "it should be {m}",
    "real {m} only",
)
MATERIAL_PURE: tuple[str, ...] = ("only {m}", "{m} only", "pure {m}", "100% {m}")
MATERIAL_VEGAN: tuple[str, ...] = ("has to be vegan", "vegan please", "it must be vegan", "vegan only",
                                   "needs to be vegan", "{subj} only buy vegan")
MATERIAL_B2B: tuple[str, ...] = (
    "has to be {m}", "{m} please", "they need to be {m}", "must be {m}", "{m} only", "we need {m} ones",
    "made of {m}",
)
EXCLUDE_SAY: tuple[str, ...] = (
    "nothing in {x}", "no {x} please", "{subj} don't want {x}", "{x} is a no", "please avoid {x}",
    "can't do {x}", "without {x}", "no {x}", "{subj} can't stand {x}", "not {x}", "anything but {x}",
)
EXCLUDE_ONE: tuple[str, ...] = ("{x}-free please", "it has to be {x}-free")
EXCLUDE_ALLERGY: tuple[str, ...] = ("{be} allergic to {x}", "{subj} have a {x} allergy, so none of that")
AVOID_COLOUR: tuple[str, ...] = (
    "not in {c}", "nothing {c}", "no {c} please", "{subj} don't wear {c}", "{c} isn't for {obj}", "anything but {c}",
)
AVOID_COLOUR_B2B: tuple[str, ...] = ("not in {c}", "nothing {c}", "no {c} ones please", "{c} won't work for {obj}",
                                     "anything but {c}")

# -- sizes -------------------------------------------------------------------------------------------------
LETTER_WORDS: dict[str, tuple[str, ...]] = {
    "XXS": ("XXS",), "XS": ("XS", "extra small"), "S": ("S", "small"), "M": ("M", "medium"),
    "L": ("L", "large"), "XL": ("XL", "extra large"), "XXL": ("XXL", "2XL"),
}
SIZE_LETTER: tuple[str, ...] = (
    "size {s}", "{be} {aw}", "do you have it in {aw}?", "{be} usually {as_}", "{s} please", "{subj} wear {aw}",
    "in {aw}", "{subj} need {aw}", "{subj} take {aw}", "{s} for {obj}", "{be} {aw} usually",
)
SIZE_NUMBER: tuple[str, ...] = (
    "{be} {a_s}", "size {s}", "{a_s} please", "EU {s}", "{subj} wear {a_s}", "{subj} need it in {a_s}",
    "do you have {a_s}?", "{subj} take {a_s}", "{s} in EU sizes",
)
SIZE_SHOE: tuple[str, ...] = (
    "{be} {a_s}", "size {s}", "{subj} take {a_s}", "EU {s}", "{s} in shoes", "{poss} shoe size is {s}",
    "do you have them in {a_s}?", "{a_s} please",
)
SIZE_WAIST: tuple[str, ...] = ("waist {s}", "{s} waist", "{be} {a_s} in trousers", "size {s}", "{a_s} waist please")
SIZE_BELT: tuple[str, ...] = ("size {s}", "{a_s} please", "{subj} need {a_s}", "{s} cm belt", "belt size {s}")
SIZE_CASE: tuple[str, ...] = ("a {n}mm case", "{n} mm case please", "case size {n}mm", "{subj} want a {n} mm dial",
                              "{n}mm, not bigger")
SIZE_LENGTH: tuple[str, ...] = ("{s} length please", "{subj} need {s}", "the {s} one", "it has to be {s}")

# -- delivery ----------------------------------------------------------------------------------------------
LEAD_SAY: tuple[str, ...] = (
    "need it within {d} days", "{subj} can wait {dw} days max", "delivery in {d} days or less",
    "lead time can't be more than {d} days", "max {d} days lead time", "it has to arrive within {d} days",
    "{subj} need delivery inside {dw} days", "nothing with a lead time over {d} days",
)
LEAD_WEEK: tuple[str, ...] = ("has to be here by next week", "need it within a week", "within 7 days please",
                              "a week at most")
LEAD_WEEKS: tuple[str, ...] = ("{subj} can wait {w} weeks max", "within {w} weeks", "it needs to be here in {w} weeks",
                               "no more than {w} weeks lead time")
LEAD_FORTNIGHT: tuple[str, ...] = ("within a fortnight", "two weeks max")
LEAD_MONTH: tuple[str, ...] = ("within a month", "{subj} can wait a month, not longer")
STOCK_SAY: tuple[str, ...] = (
    "in stock only", "only what you have in stock", "it has to be in stock", "{subj} need something that can ship now",
    "nothing that's out of stock or made to order", "has to ship right away", "only things you can send straight away",
    "must be available now",
)
STOCK_SOON: tuple[str, ...] = (
    "{subj} need it for next week, so it has to be in stock", "it's a bit urgent, so in stock only",
    "has to be here by next week, so only stock items", "{subj} need it quickly, nothing made to order",
)

# -- quantities (b2b) ----------------------------------------------------------------------------------------
QUANTITY_SAY: tuple[str, ...] = (
    "we need about {q} {u}", "order would be {q} {u}", "we'd take {q} {u}", "quantity: {q} {u}",
    "looking at roughly {q} {u}", "it's for {q} {u}", "we'd want {q} {u} to start", "around {q} {u} per order",
    "{q} {u}", "we only need {q} {u}",
)
MOQ_SAY: tuple[str, ...] = (
    "can't do an MOQ above {q}", "minimum order has to be {q} or less", "we can't commit to more than {q} {u} minimum",
    "MOQ max {q}", "the MOQ needs to be {q} or under", "nothing with a minimum order over {q}",
    "our limit on minimum order is {q} {u}",
)
TIERS_SAY: tuple[str, ...] = ("do you do price breaks at volume?", "is there a volume discount?",
                              "hopefully there's tiered pricing", "bulk pricing would help")

# -- certifications ------------------------------------------------------------------------------------------
CERT_SAY: tuple[str, ...] = (
    "has to be {c} certified", "needs to meet {c}", "must comply with {c}", "{c} rated please",
    "certified to {c}", "we only buy {c} compliant", "{c} is required", "it has to carry {c}",
)
CERT_LABEL: tuple[str, ...] = ("has to carry the {c}", "{c} certified please", "must have {c}", "we need {c}")

# -- brands ----------------------------------------------------------------------------------------------------
BRAND_SAY: tuple[str, ...] = (
    "nothing from {b} please", "not a fan of {b}", "{subj}'d rather avoid {b}", "skip the {b} stuff",
    "no {b}", "not {b}", "{subj} don't want {b}", "anything but {b}", "{b} isn't for {obj}",
)

# -- purposes and qualities (soft) ---------------------------------------------------------------------------------
PURPOSE_SAY: tuple[str, ...] = (
    "it's for {p}", "{subj} need it for {p}", "for {p}", "{subj} want it for {p}", "it'll be for {p}",
    "mainly for {p}", "the occasion is {p}",
)
PURPOSE_WEAR: tuple[str, ...] = ("something {subj} can wear to {p}", "to wear to {p}", "{subj}'ll wear it to {p}")
PURPOSE_B2B: tuple[str, ...] = ("we'll use them for {p}", "it's for {p}", "they're for {p}", "needed for {p}",
                                "for use in {p}")
NO_PURPOSE: tuple[str, ...] = ("Nothing special, just everyday use.", "No occasion, just general use.",
                               "Just for everyday.", "Nothing in particular.")
NO_PURPOSE_B2B: tuple[str, ...] = ("Just general use on site.", "Everyday use, nothing special.",
                                   "Standard use.")
QUALITY_SAY: tuple[str, ...] = (
    "something {q}", "ideally {q}", "{subj}'d like it to be {q}", "{q} would be nice", "preferably {q}",
    "something on the {q} side", "{q} if possible",
)
NO_STYLE: tuple[str, ...] = ("No particular style.", "Open to anything style-wise.", "Not fussy about style.",
                             "Whatever looks good.")
MORE_SAY: tuple[str, ...] = ("something {more}", "can you show me something {more}?",
                             "{subj}'d prefer something {more}", "I was hoping for something {more}",
                             "anything {more}?")
CHEAPER_SAY: tuple[str, ...] = ("something cheaper?", "anything less pricey?", "can you go cheaper?",
                                "a bit more affordable please", "those are more than I hoped to spend",
                                "got anything cheaper?")

# -- turning things down ----------------------------------------------------------------------------------------
REJECT: tuple[str, ...] = (
    "None of these.", "Nah, not these.", "Not quite.", "None of those work for me.", "Hmm, no.",
    "Not really what I'm after.", "These aren't it.", "No, sorry.", "Not for me.", "Nope.",
    "Not these, sorry.", "I don't like any of these.", "None of them, unfortunately.", "Not feeling these.",
)
REJECT_ONE: tuple[str, ...] = ("Not this one.", "Nah, not that one.", "Not quite.", "That's not it.",
                               "No, sorry.", "Not for me.")
REJECT_RELAY: tuple[str, ...] = ("My client won't go for these.", "Not for my client.",
                                 "None of these, they won't like them.")
REJECT_WE: tuple[str, ...] = ("None of these will work for us.", "Not what we need.", "These won't do.",
                              "Not these, sorry.", "No, not quite.")
KEEP_GOING: tuple[str, ...] = ("Anything else?", "What else have you got?", "Keep looking please.",
                               "Can you show me other options?", "Show me something different?")
SHOW_ME: tuple[str, ...] = ("Could you show me a few options?", "Can I see some options?",
                            "What have you got?", "Show me what you have.")

REASON_PRICE: tuple[str, ...] = ("too pricey", "too expensive", "way over budget", "out of {poss} price range",
                                 "more than {subj} want to spend")
REASON_PRICE_SOME: tuple[str, ...] = ("some of these are over budget", "a couple are too pricey")
REASON_COLOUR: tuple[str, ...] = ("wrong colour", "not the right colour", "the colour's off", "wrong shade")
REASON_KIND: tuple[str, ...] = ("that's not what {subj} asked for", "wrong kind of thing", "that's not it at all",
                                "these aren't what {be} looking for")
REASON_SIZE: tuple[str, ...] = ("not in {poss} size", "they don't come in {poss} size", "wrong sizes")
REASON_MATERIAL: tuple[str, ...] = ("wrong material", "not the right fabric", "not what {subj} want it made of")
REASON_MATERIAL_B2B: tuple[str, ...] = ("wrong material", "not the material we need", "not what we want them made of")
REASON_STOCK: tuple[str, ...] = ("those aren't available right now", "can't wait for those", "not in stock")
REASON_LEAD: tuple[str, ...] = ("too slow", "the lead times are too long", "can't wait that long")
REASON_MOQ: tuple[str, ...] = ("the MOQ is too high", "minimum order's too big for us", "we can't order that many")
REASON_CERT: tuple[str, ...] = ("not certified", "missing the certification we need", "they don't meet the standard")

# -- style cues for relative critiques ("something more formal"), read from the target's own text ------------
STYLE_CUES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"black[- ]tie|\bgala|\bformal|\bopera|tuxedo|evening", ("more formal", "dressier", "a bit more dressed up")),
    (r"\bcasual|everyday|relaxed|weekend", ("more casual", "more relaxed", "less formal")),
    (r"\bwarm|thermal|insulat|winter|\bcold", ("warmer", "cosier")),
    (r"lightweight|breathab|\bsummer|airy", ("lighter", "more lightweight")),
    (r"minimal|understated|\bclean|simple", ("simpler", "more understated", "plainer")),
    (r"sequin|crystal|glitter|sparkl|paillette|shimmer", ("with more sparkle", "a bit more glam")),
    (r"heavy[- ]duty|durab|reinforced|robust", ("sturdier", "more heavy-duty", "tougher")),
    (r"recycl|compostable|organic|biodegrad|ecolabel|fsc", ("more eco-friendly", "greener", "more sustainable")),
    (r"tailored|structured|sculpt", ("more tailored", "more structured")),
    (r"\bsoft|brushed", ("softer",)),
)

# -- facts read from the target ---------------------------------------------------------------------------------------
COLOUR_WORDS: tuple[str, ...] = tuple(sorted("""
midnight blue|sky blue|powder blue|pale blue|light blue|dark blue|cobalt blue|sea blue|pale sky blue|forest green|
sage green|emerald green|moss green|ruby red|dark brown|chocolate brown|rose gold|white gold|yellow gold|ink black|
heather grey|slate grey|mid grey|deep teal|lemon yellow|dusty lilac|powder pink|off-white|optic white|grey melange|
black|white|ivory|cream|ecru|beige|stone|sand|oatmeal|camel|tan|cognac|brown|chocolate|tobacco|khaki|olive|
sage|green|emerald|teal|turquoise|aqua|blue|navy|cobalt|azure|indigo|grey|gray|charcoal|slate|silver|gold|
yellow|lemon|mustard|orange|coral|terracotta|rust|red|scarlet|ruby|burgundy|bordeaux|oxblood|pink|blush|rose|
lilac|purple|lavender|fawn|bone|nude|tortoiseshell|clear|russet|oat|mint|lime|fuchsia|magenta|maroon|champagne|
pastel
""".replace("\n", "").split("|"), key=len, reverse=True))
FASHION_MATERIAL_WORDS: tuple[str, ...] = (
    "organic cotton", "egyptian cotton", "stainless steel", "sterling silver", "yellow gold", "white gold", "rose gold",
    "camel hair", "baby alpaca", "cashmere", "silk", "linen", "merino", "lambswool", "alpaca", "wool", "cotton",
    "denim", "leather", "suede", "calfskin", "lambskin", "nappa", "nubuck", "velvet", "satin", "tweed", "flannel",
    "lyocell", "hemp", "cork", "raffia", "titanium", "pearl", "diamond", "lace", "chiffon", "organza", "georgette",
    "jersey", "corduroy", "nylon", "polyester", "cupro", "acetate", "enamel", "gold", "silver", "steel", "jute",
    "canvas", "felt", "brass", "crystal", "polyamide", "vegan",
)
B2B_MATERIAL_WORDS: tuple[str, ...] = (
    "nitrile", "latex", "vinyl", "aramid", "polypropylene", "polythene", "polyethylene", "hdpe", "cotton",
    "polyester", "polycotton", "merino", "leather", "stainless steel", "aluminium", "kraft paper", "paper",
    "cardboard", "corrugated cardboard", "bagasse", "birch", "microfibre", "borosilicate glass", "silicone",
    "rubber", "ethanol", "foam", "polycarbonate", "chrome vanadium", "cpla", "pla",
)
# Exclusions: (what the shopper says, terms recorded in exclude_terms, words that must all be absent from
# the target's text for the statement to be true, families of categories where a person would say it).
CLOTHES = "clothes"
FOOTWEAR = "footwear"
JEWELLERY = "jewellery"
GLOVES_FAMILY = "gloves"
CHEMICALS = "chemicals"
DISPOSABLES = "disposables"
WORK_CLOTHES = "workwear"
EXCLUSIONS: tuple[tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...] = (
    ("polyester", ("polyester",), ("polyester", "poly"), (CLOTHES, WORK_CLOTHES)),
    ("wool", ("wool",), ("wool", "merino", "lambswool", "cashmere", "alpaca", "camel hair", "mohair", "tweed",
                         "flannel", "felt", "melton", "bouclé", "boucle", "super 1", "barathea", "hopsack",
                         "gabardine", "knit"), (CLOTHES,)),
    ("silk", ("silk",), ("silk", "charmeuse", "crepe de chine", "duchess"), (CLOTHES,)),
    ("synthetics", ("polyester", "nylon", "acrylic"),
     ("polyester", "nylon", "acrylic", "polyamide", "elastane", "spandex", "lycra", "polyurethane", "synthetic",
      "microfibre", "microfiber", "lurex", "ripstop", "technical", "poly"), (CLOTHES, WORK_CLOTHES)),
    ("acrylic", ("acrylic",), ("acrylic",), (CLOTHES,)),
    ("nylon", ("nylon",), ("nylon", "polyamide"), (CLOTHES, WORK_CLOTHES)),
    ("viscose", ("viscose",), ("viscose", "rayon", "modal"), (CLOTHES,)),
    ("fur", ("fur",), ("fur", "shearling"), (CLOTHES, FOOTWEAR)),
    ("leather", ("leather",), ("leather", "suede", "calfskin", "lambskin", "nappa", "nubuck", "calf", "hide",
                               "kid "), (CLOTHES, FOOTWEAR)),
    ("suede", ("suede",), ("suede", "nubuck"), (FOOTWEAR,)),
    ("gold", ("gold",), ("gold", "gilded", "vermeil"), (JEWELLERY,)),
    ("silver", ("silver",), ("silver",), (JEWELLERY,)),
    ("anything plated", ("plated",), ("plated", "plating", "vermeil", "gilded", "gold-tone"), (JEWELLERY,)),
    ("latex", ("latex",), ("latex",), (GLOVES_FAMILY,)),
    ("powder", ("powder",), ("powder",), (GLOVES_FAMILY,)),
    ("vinyl", ("vinyl",), ("vinyl", "pvc"), (GLOVES_FAMILY, DISPOSABLES)),
    ("fragrance", ("fragrance", "perfume"), ("fragrance", "perfume", "scent", "fragranced"), (CHEMICALS,)),
    ("chlorine", ("chlorine", "bleach"), ("chlorine", "bleach", "hypochlorite", "nadcc"), (CHEMICALS,)),
    ("phosphates", ("phosphate",), ("phosphate",), (CHEMICALS,)),
    ("solvents", ("solvent",), ("solvent",), (CHEMICALS,)),
    ("plastic", ("plastic", "polystyrene", "pvc"),
     ("plastic", "polystyrene", "pvc", "polypropylene", "polyethylene", "polythene", "pet", "pla", "cpla", "hdpe",
      "ldpe", "vinyl", "nylon", "polyester", "film", "bubble", "poly", "acrylic", "laminat", "lined", "coated",
      "lid", "window", "stretch"), (DISPOSABLES,)),
    ("polystyrene", ("polystyrene",), ("polystyrene", "styrofoam"), (DISPOSABLES,)),
)
ALLERGENS = frozenset({"wool", "latex"})
FAMILY_OF: tuple[tuple[str, str], ...] = (  # b2b first: "catering" must not read as a ring
    (r"\b(?:gloves?|first aid|food hygiene)\b", GLOVES_FAMILY),
    (r"\b(?:cleaning chemicals|hand hygiene)\b", CHEMICALS),
    (r"\b(?:catering disposables|packaging|waste bags)\b", DISPOSABLES),
    (r"\b(?:workwear|hi-vis clothing)\b", WORK_CLOTHES),
    (r"^(?!safety )(?:.* )?(?:dress(?:es)?|knitwear|sweaters?|jumpers?|cardigans?|trousers|pants|jeans|shirts?|"
     r"t-shirts?|blouses?|tops?|vest tops?|skirts?|suits?|blazers?|jackets?|coats?|scarf|scarves|swimwear|swimsuit|"
     r"bikini top|hoodie|shorts|leggings/tights|pyjama set|jumpsuit/playsuit|bodysuit|underwear bottom|bra|socks)$",
     CLOTHES),
    (r"^(?!safety )(?:.* )?(?:shoes?|sneakers|boots|sandals|pumps|heels|ballerinas|wedge|slippers|handbags?|bags?|"
     r"belts?)$", FOOTWEAR),
    (r"^(?:jewell?e?ry|earrings?|necklaces?|rings?|bracelets?|watch(?:es)?)$", JEWELLERY),
)

ROUND_AMOUNTS: tuple[float, ...] = (
    1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 35, 40, 45, 50, 60, 70, 75, 80, 90, 100, 120, 150, 180, 200, 250,
    300, 350, 400, 450, 500, 600, 700, 750, 800, 900, 1000, 1200, 1500, 2000, 2500, 3000, 3500, 4000, 4500, 5000,
    6000, 7000, 7500, 8000, 10000, 12000, 15000, 20000, 25000, 30000, 50000, 100000,
)
QUANTITY_STEPS: tuple[int, ...] = (
    1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 24, 25, 30, 36, 40, 48, 50, 60, 75, 80, 100, 120, 144, 150, 200, 250, 300,
    400, 500, 600, 750, 800, 1000, 1200, 1500, 2000, 2500, 3000, 4000, 5000, 10000,
)
LEAD_STEPS: tuple[int, ...] = (2, 3, 5, 7, 10, 14, 21, 28, 30, 35, 42, 45, 60, 90)

CURRENCY_SYMBOL = {"EUR": "€", "USD": "$", "GBP": "£"}
CURRENCY_WORD = {"EUR": ("euros", "EUR", "eur"), "USD": ("dollars", "USD", "bucks"), "GBP": ("pounds", "GBP", "quid")}

# Chances (per session or per turn).
VAGUE_OPENING = 0.25
"""Opening names no kind of item, only what it is for or like (when the target has such a motive)."""
OPENING_FACTS = ((0, 0.3), (1, 0.45), (2, 0.25))
"""How many facts the opening carries besides the need."""
RELAY_VOICE = 0.2
"""Fashion: an associate relaying a client's need ("my client is after ...")."""
LOWERCASE = 0.25
TERSE = 0.25
CHATTY = 0.25
GREETING = 0.6
REASON = 0.7
"""Chance that a rejection says why (when a reason is true of the items shown)."""

# ================================================================================================
# Saying numbers and money
# ================================================================================================

_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
         "seventeen eighteen nineteen").split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def number_words(n: int, rng: random.Random | None = None) -> str:
    """English words for ``0 <= n < 1,000,000``: 250 -> 'two hundred and fifty' or 'two hundred fifty',
    2500 -> 'two thousand five hundred' or 'twenty-five hundred' or 'two and a half thousand'."""
    if n < 0 or n >= 1_000_000:
        raise ValueError(f"out of range: {n}")
    conj = " and " if rng is None or rng.random() < 0.5 else " "
    if rng is not None and 1100 <= n < 10000 and n % 100 == 0 and n % 1000 and rng.random() < 0.4:
        if n % 1000 == 500 and rng.random() < 0.5:
            return f"{number_words(n // 1000)} and a half thousand"
        return f"{number_words(n // 100)} hundred"

    def below_1000(k: int) -> str:
        if k < 20:
            return _ONES[k]
        if k < 100:
            return _TENS[k // 10] + ("-" + _ONES[k % 10] if k % 10 else "")
        rest = k % 100
        return _ONES[k // 100] + " hundred" + (conj + below_1000(rest) if rest else "")

    if n < 1000:
        return below_1000(n)
    thousands, rest = divmod(n, 1000)
    head = below_1000(thousands) + " thousand"
    if not rest:
        return head
    return head + ((conj if rest < 100 else " ") + below_1000(rest))


def _digits(amount: float, comma_thousands: bool, decimal_comma: bool = False) -> str:
    if float(amount).is_integer():
        text = f"{int(amount):,}" if comma_thousands and amount >= 1000 else f"{int(amount)}"
    else:
        text = f"{amount:.2f}"
        if decimal_comma:
            text = text.replace(".", ",")
    return text


MONEY_STYLES: tuple[str, ...] = ("symbol", "symbol", "after", "after_space", "word", "code", "bare", "words", "k",
                                 "grand", "cents")


def money_forms(amount: float, currency: str) -> list[str]:
    """The styles in which ``amount`` can be said (see :func:`say_money`)."""
    forms = ["bare", "symbol", "after", "after_space", "word", "code"]
    whole = float(amount).is_integer()
    if whole and 10 <= amount < 1_000_000 and amount in ROUND_AMOUNTS:
        forms.append("words")
    if amount >= 1000 and round(amount / 100) * 100 == amount:
        forms.append("k")
    if amount in (1000, 2000, 3000, 5000, 10000):
        forms.append("grand")
    if amount < 1:
        forms.append("cents")
    if currency.upper() not in CURRENCY_SYMBOL:
        forms = [f for f in forms if f in ("bare", "words", "k", "grand")]
    return forms


def say_money(amount: float, currency: str, style: str, rng: random.Random) -> str:
    """``amount`` said in ``style``: '€300', '300€', '300 €', '300 euros', '300 EUR', '300', 'three hundred
    euros', '2.5k', 'a grand', '41 cents'."""
    cur = currency.upper()
    symbol = CURRENCY_SYMBOL.get(cur, "")
    words = CURRENCY_WORD.get(cur, ("", "", ""))
    comma = rng.random() < 0.5
    if style == "symbol" and symbol:
        return f"{symbol}{_digits(amount, comma)}"
    if style in ("after", "after_space") and symbol:
        space = " " if style == "after_space" else ""
        return _digits(amount, comma, decimal_comma=rng.random() < 0.5) + space + symbol
    if style == "word" and symbol:
        return f"{_digits(amount, comma)} {words[0] if rng.random() < 0.7 else words[2]}"
    if style == "code" and symbol:
        return f"{_digits(amount, comma)} {words[1]}"
    if style == "words" and float(amount).is_integer():
        text = number_words(int(amount), rng)
        return f"{text} {words[0]}" if words[0] and rng.random() < 0.6 else text
    if style == "k" and amount >= 1000:
        thousands = amount / 1000
        text = f"{thousands:g}k"
        return f"{symbol}{text}" if symbol and rng.random() < 0.4 else text
    if style == "grand" and amount in (1000, 2000, 3000, 5000, 10000):
        n = int(amount // 1000)
        return "a grand" if n == 1 else f"{number_words(n) if rng.random() < 0.6 else n} grand"
    if style == "cents" and amount < 1 and symbol:
        return f"{round(amount * 100):d} cents"
    return _digits(amount, comma)


# ================================================================================================
# What the shopper knows (read from the target's own fields)
# ================================================================================================


@dataclass(frozen=True)
class BudgetPlan:
    """How this shopper puts their budget, decided once: the numbers never change between statements."""

    form: str
    """``max`` (under B), ``around`` (around X: a ceiling of 1.2 X), ``range`` (between A and B)."""
    amount: float
    """B for ``max``, X for ``around``, B for ``range``."""
    low: float = 0.0
    """A for ``range``."""

    @property
    def ceiling(self) -> float:
        return round(self.amount * 1.2, 2) if self.form == "around" else self.amount

    @property
    def floor(self) -> float | None:
        return self.low if self.form == "range" else None


@dataclass(frozen=True)
class SizePlan:
    kind: str
    """``letter``, ``number``, ``shoe``, ``waist``, ``belt``, ``case``, ``length``."""
    said: str
    """The size as said ('M', '38', '38 mm')."""
    accepted: tuple[str, ...]
    """The sizes recorded in ``Constraints.sizes`` (each offered by the target, or naming what was said)."""


@dataclass(frozen=True)
class Facts:
    """Everything the shopper may state, each true of the target."""

    kinds: tuple[tuple[str, tuple[str, ...]], ...]
    """(noun phrase, categories it covers): ways to name the kind of item (empty: no category)."""
    colour: str = ""
    colour_options: tuple[str, ...] = ()
    material: str = ""
    material_pure: bool = False
    exclusions: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """(what is said, terms recorded)."""
    budget: BudgetPlan | None = None
    size: SizePlan | None = None
    stock: bool = False
    """The target can ship now, so 'in stock only' may be said."""
    lead_limit: int | None = None
    quantity: int | None = None
    moq_limit: int | None = None
    unit: str = "units"
    tiers: bool = False
    certification: str = ""
    certification_label: bool = False
    styles: tuple[str, ...] = ()
    """'more formal', 'warmer': relative critiques true of the target's text."""
    b2b: bool = False


def _has_word(text: str, word: str) -> bool:
    """``word`` occurs in ``text`` as a whole word and not as its absence ('leather-free')."""
    if not re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", text):
        return False
    return mentions_positively(text, word)


def _absent(text: str, word: str) -> bool:
    """``word`` is not mentioned positively anywhere in ``text``, even inside a longer word."""
    if word.endswith(" "):  # 'kid ' (kid leather) must be followed by a space
        return word not in text or not mentions_positively(text, word.strip())
    return not mentions_positively(text, word)


def _category_family(category: str) -> str:
    return next((fam for pattern, fam in FAMILY_OF if re.search(pattern, category)), "") if category else ""


def kind_words(target: Item, categories: set[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Ways to name the target's kind, with the catalog categories each covers (always its own)."""
    cat = target.category
    if not cat:
        return ()
    title = (target.title + " " + str(target.attributes.get("style", ""))).lower()
    audience = AUDIENCE.get(str(target.attributes.get("range", "")).lower(), "")
    out: list[tuple[str, tuple[str, ...]]] = []
    for pattern, words in KIND_WORDS:
        if not re.fullmatch(pattern, cat):
            continue
        for phrase, condition, covers in words:
            if condition and not re.search(condition, title):
                continue
            bare = re.sub(r"^(?:an?|some|a pair of) ", "", phrase)
            covered = {c for c in covers if c in categories} | {cat}
            covered |= {c for c in categories if c in (bare, bare.rstrip("s"), bare + "s")}
            out.append((phrase, tuple(sorted(covered))))
        break
    out.append((with_article(cat), (cat,)))
    if audience:
        out = [(_with_audience(p, audience), c) for p, c in out]
    seen: dict[str, tuple[str, ...]] = {}
    for phrase, covers in out:
        if not names_title(phrase, target):
            seen.setdefault(phrase, covers)
    return tuple(seen.items())


def names_title(text: str, target: Item) -> bool:
    """``text`` contains the target's title or id as a whole word or phrase (any case)."""
    for name in (target.title, target.id):
        if name and re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text, flags=re.IGNORECASE):
            return True
    return False


def need_words(target: Item, need: str) -> str:
    """How a person names an item with no category (``Profile.need``), shortened when that would be
    the whole title ('Digital Caliper' -> 'a caliper'); '' when no shorter name is left."""
    while need and names_title(need, target):
        words = need.split()
        if len(words) <= 1:
            return ""
        need = " ".join(words[1:])
        if not names_title(need, target):
            return with_article(need)
    return need


def _with_audience(phrase: str, audience: str) -> str:
    m = re.match(r"^(an?|some|a pair of) (.*)$", phrase)
    if not m:
        return f"{audience} {phrase}"
    article = m.group(1)
    if article == "a pair of":
        return f"a pair of {audience} {m.group(2)}"
    if article in ("a", "an"):
        article = "a"  # men's, women's, kids' all start with a consonant
    return f"{article} {audience} {m.group(2)}"


SPELLINGS: tuple[tuple[str, str], ...] = (("grey", "gray"),)
"""Words a shopper takes for the same colour, either way round."""


def _colour_of(target: Item, text: str) -> tuple[str, tuple[str, ...]]:
    """The target's colour as a person says it, and the forms they might use (each in its text)."""
    source = str(target.attributes.get("colour") or target.attributes.get("color") or "").lower()
    if not source:
        title = target.title.lower()
        source = title if re.search(r"(?<![a-z-])(?:" + "|".join(map(re.escape, COLOUR_WORDS)) + r")(?![a-z-])",
                                    title) else ""
        if re.search(r"colour-coded|color-coded", title):
            source = re.sub(r"colou?r-coded", "", source)
    if not source:
        return "", ()
    best: tuple[int, int, str] | None = None
    for word in COLOUR_WORDS:
        m = re.search(rf"(?<![a-z-]){re.escape(word)}(?![a-z-])", source)
        if m and (best is None or (m.start(), -len(word)) < (best[0], -best[1])):
            best = (m.start(), len(word), word)
    if best is None:
        return "", ()
    colour = best[2]
    options = [colour]
    last = colour.split()[-1]
    if " " in colour and last in COLOUR_WORDS and last not in ("gold",):
        options.append(last)
    options = [o for o in options if o in text and _has_word(text, o)]
    return (options[0], tuple(options)) if options else ("", ())


def _material_of(target: Item, text: str, b2b: bool) -> tuple[str, bool]:
    words = B2B_MATERIAL_WORDS if b2b else FASHION_MATERIAL_WORDS
    found: list[tuple[int, int, str]] = []
    source = ""
    for source in (str(target.attributes.get("material", "")).lower(), target.title.lower()):
        found = [(m.start(), -len(w), w) for w in words
                 if (m := re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", source)) and _has_word(source, w)
                 and w in text]
        if found:
            break
    if not found:
        return "", False
    found.sort()
    material = found[0][2]
    others = [w for _, _, w in found[1:] if w not in material and material not in w]
    pure = not others and not re.search(r"\b(?:blend|with|and|over|lining|lined)\b|[,%]", source)
    return material, pure


def _exclusions_of(target: Item, text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    family = _category_family(target.category)
    out = []
    for said, terms, absent, families in EXCLUSIONS:
        if family not in families:
            continue
        if all(_absent(text, w) for w in absent) and all(not mentions_positively(text, t) for t in terms):
            out.append((said, terms))
    return tuple(out)


_LETTER = re.compile(r"^(?:XXS|XS|S|M|L|XL|XXL)(?:/(?:XXS|XS|S|M|L|XL|XXL))?$")
_COMBOS = ("XS/S", "S/M", "M/L", "L/XL", "XL/XXL")


def _size_of(target: Item, rng: random.Random) -> SizePlan | None:
    raw = target.attributes.get("size")
    if raw is None:
        return None
    offered = [str(s).strip() for s in (raw if isinstance(raw, list) else str(raw).replace("/", ",").split(","))]
    offered = [s for s in offered if s]
    if not offered:
        return None
    pick = rng.choice(offered)
    cat = target.category
    if _LETTER.match(pick.upper()):
        letters = pick.upper().split("/")
        base = rng.choice(letters)
        accepted = {base} | {c for c in _COMBOS if base in c.split("/")} | {pick}
        # keep the item's own spelling for the one it offers
        accepted = {a for a in accepted if a.upper() != pick.upper()} | {pick}
        return SizePlan("letter", base, tuple(sorted(accepted)))
    if re.fullmatch(r"\d{2,3}", pick):
        n = int(pick)
        if re.search(r"shoe|sneaker|boot|sandal|pump|heel|loafer|footwear", cat):
            kind = "shoe"
        elif re.search(r"trouser|jean|pants", cat) and n <= 40:
            kind = "waist"
        elif re.search(r"belt", cat):
            kind = "belt"
        else:
            kind = "number"
        return SizePlan(kind, pick, (pick,))
    if m := re.fullmatch(r"(\d{2}) mm", pick):
        return SizePlan("case", m.group(1), (pick,))
    if re.fullmatch(r"\d{2} cm(?: chain)?", pick):
        return SizePlan("length", pick, (pick,))
    return None  # one size, dimensions: nothing a person would state


def _step_at_least(value: float, steps: Sequence[float]) -> float:
    return next((s for s in steps if s >= value - 1e-9), value)


def _round_at_least(value: float) -> float:
    if value <= 0:
        return 0.0
    if value < 1:
        return math.ceil(round(value * 10, 9)) / 10
    return _step_at_least(value, ROUND_AMOUNTS) if value <= ROUND_AMOUNTS[-1] else nice_ceiling(value)


def _budget_of(price: float, profile: Profile, rng: random.Random) -> BudgetPlan | None:
    if price <= 0:
        return None
    form = rng.choices(["max", "round", "around", "range"], weights=[3, 3, 2, 1.5])[0]
    above = _round_at_least(price * 1.05)
    """'under B' with B the price itself would be untrue: a ceiling is always above the price."""
    if form == "max":
        amount = profile.budget if profile.budget and profile.budget > price else above
        return BudgetPlan("max", amount)
    if form == "round":
        return BudgetPlan("max", max(_round_at_least(price * rng.uniform(1.0, 1.25)), above))
    if form == "around":
        near = [x for x in ROUND_AMOUNTS if price / 1.2 <= x <= price * 1.1 and x * 1.2 >= price]
        if near:
            x = min(near, key=lambda v: abs(v - price))
            if round(x * 1.2, 2) >= price:
                return BudgetPlan("around", x)
        return BudgetPlan("max", max(_round_at_least(price * rng.uniform(1.0, 1.25)), above))
    high = max(_round_at_least(price * rng.uniform(1.0, 1.3)), above)
    lows = [x for x in ROUND_AMOUNTS if x <= price * rng.uniform(0.5, 0.85)]
    if not lows or lows[-1] >= high or lows[-1] <= 0:
        return BudgetPlan("max", high)
    return BudgetPlan("range", high, lows[-1])


def _unit_of(pack: str) -> str:
    pack = pack.lower()
    for pattern, unit in ((r"^pack of", "packs"), (r"^(?:dispenser )?box of", "boxes"), (r"^case of", "cases"),
                          (r"^pair$", "pairs"), (r"^bundle of", "bundles"), (r"^roll", "rolls"), (r"^set", "sets"),
                          (r"^kit", "kits"), (r"\bcan$", "cans"), (r"bottle$", "bottles"), (r"drum$", "drums"),
                          (r"^bag of", "bags"), (r"^rack of", "racks"), (r"^tub of", "tubs"),
                          (r"cartridge$", "cartridges")):
        if re.search(pattern, pack):
            return unit
    return "units"


_CERT = re.compile(r"\b((?:DIN EN ISO|DIN EN|EN ISO|BS EN|EN|ISO|DIN|IEC) \d{2,5}(?:-\d+)?)")
_LABELS = ("EU Ecolabel", "Nordic Swan", "Blue Angel", "FSC", "OEKO-TEX", "OK compost HOME", "FFP2", "FFP3")


def _certification_of(target: Item, text: str) -> tuple[str, bool]:
    raw = str(target.attributes.get("certifications", "") or "")
    if not raw:
        return "", False
    found = [m.group(1) for m in _CERT.finditer(raw)]
    labels = [lab for lab in _LABELS if lab.lower() in raw.lower()]
    for token in found:
        if token.lower() in text:
            return token, False
    for label in labels:
        if label.lower() in text:
            return label, True
    return "", False


def facts_of(target: Item, profile: Profile, categories: set[str], b2b: bool, rng: random.Random) -> Facts:
    """Everything this shopper may say about ``target``, each fact checked against its own text."""
    text = target.text().lower()
    colour, colour_options = _colour_of(target, text)
    material, pure = _material_of(target, text, b2b)
    attrs = target.attributes
    lead = attrs.get("lead_time_days")
    moq = attrs.get("moq")
    lead_limit = None
    if lead is not None:
        try:
            lead_value = float(lead)
        except (TypeError, ValueError):
            lead_value = None
        if lead_value is not None:
            i = next((k for k, s in enumerate(LEAD_STEPS) if s >= lead_value), None)
            if i is not None:
                lead_limit = LEAD_STEPS[min(i + (rng.random() < 0.4), len(LEAD_STEPS) - 1)]
    quantity = moq_limit = None
    if moq is not None:
        try:
            moq_value = float(moq)
        except (TypeError, ValueError):
            moq_value = None
        if moq_value is not None and moq_value > 0:
            quantity = int(_step_at_least(moq_value * rng.choice([1, 1.5, 2, 3, 5, 10]), QUANTITY_STEPS))
            moq_limit = int(_step_at_least(moq_value * rng.choice([1, 1.2, 2, 4]), QUANTITY_STEPS))
            if quantity < moq_value:
                quantity = None
            if moq_limit < moq_value:
                moq_limit = None
    tiers = attrs.get("tiered_prices")
    cert, label = _certification_of(target, text)
    styles = tuple(phrase for pattern, phrases in STYLE_CUES if re.search(pattern, text) for phrase in phrases[:1])
    return Facts(
        kinds=kind_words(target, categories), colour=colour, colour_options=colour_options, material=material,
        material_pure=pure, exclusions=_exclusions_of(target, text), budget=_budget_of(target.price, profile, rng),
        size=_size_of(target, rng), stock=target.shippable, lead_limit=lead_limit, quantity=quantity,
        moq_limit=moq_limit, unit=_unit_of(str(attrs.get("pack_size", ""))),
        tiers=isinstance(tiers, list) and len(tiers) > 1, certification=cert, certification_label=label,
        styles=styles, b2b=b2b,
    )


# ================================================================================================
# The shopper
# ================================================================================================


@dataclass
class Voice:
    """How this person writes, for the whole session."""

    subj: str = "I"
    """'I', 'they' (an associate relaying a client's need) or 'we' (a business buyer)."""
    greeting: bool = True
    lowercase: bool = False
    terse: bool = False
    chatty: bool = False

    @property
    def relay(self) -> bool:
        return self.subj == "they"

    def slots(self) -> dict[str, str]:
        be = {"I": "I'm", "they": "they're", "we": "we're"}[self.subj]
        poss = {"I": "my", "they": "their", "we": "our"}[self.subj]
        obj = {"I": "me", "they": "them", "we": "us"}[self.subj]
        return {"subj": self.subj, "be": be, "poss": poss, "obj": obj}


STATIC_FACTS = ("budget", "colour", "size", "material", "exclusion", "stock", "lead", "quantity", "moq", "cert")
OPENING_WEIGHTS = {"budget": 3.0, "colour": 2.0, "size": 1.5, "material": 1.0, "exclusion": 0.8, "stock": 0.5,
                   "lead": 1.2, "quantity": 2.0, "moq": 0.6, "cert": 0.8, "purpose": 2.0, "quality": 1.2}
CRITIQUE_WEIGHTS = {"budget": 3.0, "colour": 3.0, "size": 2.0, "material": 2.0, "exclusion": 1.5, "stock": 1.5,
                    "lead": 2.0, "quantity": 2.0, "moq": 1.5, "cert": 1.5, "avoid": 1.0, "brand": 0.7}


class FreeShopper(StatesTruths):
    """A shopper who wants ``target``, says only true things about it and words them freely (module
    docstring). Same interface as :class:`apps.evaluation.simulate.UserSimulator`."""

    def __init__(self, target: Item, catalog: dict[str, Item], domain: str = "any",
                 rng: random.Random | None = None, profile: Profile | None = None):
        self.target = target
        self.catalog = catalog
        self.rng = rng if rng is not None else random.Random(f"free:{target.id}")
        rng = self.rng
        b2b = domain == "b2b" or (domain != "fashion" and any(
            k in target.attributes for k in ("moq", "lead_time_days", "tiered_prices")))
        self.profile = profile if profile is not None else profile_of(target, "b2b" if b2b else "fashion", {}, rng)
        categories = {i.category for i in catalog.values() if i.category} | {target.category}
        self.facts = facts_of(target, self.profile, categories, b2b, rng)
        fashion = domain == "fashion" or (not b2b and bool(target.category))
        subj = "we" if b2b and rng.random() < 0.75 else "they" if fashion and rng.random() < RELAY_VOICE else "I"
        terse = rng.random() < TERSE
        self.voice = Voice(subj=subj, terse=terse, chatty=not terse and rng.random() < CHATTY / (1 - TERSE),
                           lowercase=rng.random() < LOWERCASE,
                           greeting=rng.random() < (GREETING if not terse else 0.2))
        p = self.profile
        self.vague = bool(p.purposes or p.qualities) and rng.random() < VAGUE_OPENING
        self.stated: set[str] = set()
        """Facts said so far: 'category' (or 'need' with no catalog category), 'budget', 'colour',
        'material', 'exclusion', 'size', 'stock', 'lead', 'quantity', 'moq', 'cert', 'specific',
        'purpose:<p>', 'quality:<q>', 'brand:<b>', 'avoid:<colour>', 'more:<style>', 'cheaper', 'tiers'."""
        self.constraints = Constraints()
        """The hard constraints stated so far (what ``violations`` is measured against)."""
        self.said: list[tuple[str, str, str]] = []
        """Every fact or move said, as (kind, template, rendered words): for tests of variety."""
        self.kind_said: str = ""
        """The words last used for the kind of item ('a frock', 'work gloves')."""
        self.refused: list[str] = []
        """Facts not stated because the target would have broken them (should stay empty)."""
        self._exclusion = rng.choice(self.facts.exclusions) if self.facts.exclusions else None
        if len(self.facts.exclusions) > 1 and rng.random() < 0.3:
            first, second = rng.sample(list(self.facts.exclusions), 2)
            if len(first[1]) == 1 and len(second[1]) == 1:
                self._exclusion = (f"{first[0]} or {second[0]}", first[1] + second[1])

    # -- bookkeeping -------------------------------------------------------------------------------------

    def _pick(self, fact_kind: str, table: Sequence[str], /, **values) -> str:
        template = self.rng.choice(list(table))
        words = template.format(**self.voice.slots(), **values)
        self.said.append((fact_kind, template, words))
        return words

    def _available(self, fact: str) -> bool:
        f = self.facts
        return {
            "budget": f.budget is not None, "colour": bool(f.colour), "size": f.size is not None,
            "material": bool(f.material), "exclusion": self._exclusion is not None, "stock": f.stock,
            "lead": f.lead_limit is not None, "quantity": f.quantity is not None,
            "moq": f.moq_limit is not None, "cert": bool(f.certification),
        }.get(fact, False)

    # -- saying facts (each returns the words, or '' when the fact cannot be said) --------------------------

    def _say_kind(self, narrow: bool = False, again: bool = False) -> str:
        """The kind of item; records the categories the word covers (replacing earlier ones)."""
        kinds = self.facts.kinds
        if not kinds:
            need = need_words(self.target, self.profile.need)
            if not need:
                return ""
            self.stated.add("need")
            self.kind_said = need
            self.said.append(("category", "need", need))
            return need
        if again and self.kind_said and self.rng.random() < 0.6:  # asked again: mostly the same word
            self.said.append(("category", self.kind_said, self.kind_said))
            return self.kind_said
        options = list(kinds)
        if narrow:  # prefer a word that covers fewer categories than the last one
            options = sorted(options, key=lambda k: len(k[1]))[: max(1, len(options) // 2)]
        phrase, covers = self.rng.choice(options)
        if not self._apply("category", categories=list(covers)):
            phrase, covers = next(((p, c) for p, c in kinds if self._apply("category", categories=list(c))),
                                  ("", ()))
            if not phrase:
                return ""
        self.kind_said = phrase
        self.said.append(("category", phrase, phrase))
        return phrase

    def _money(self, amount: float, style: str = "") -> str:
        if not style:
            style = self.rng.choice(money_forms(amount, self.target.currency))
        words = say_money(amount, self.target.currency, style, self.rng)
        self.said.append(("money", style, words))
        return words

    def _say_budget(self) -> str:
        plan = self.facts.budget
        if plan is None:
            return ""
        update = {"budget_max": plan.ceiling}
        if plan.floor is not None:
            update["budget_min"] = plan.floor
        if not self._apply("budget", **update):
            return ""
        suffix = self.rng.choice(UNIT_SUFFIX) if self.facts.b2b else ""  # prices are per unit
        if plan.form == "around":
            m = self._money(plan.amount)
            mish = (m + "ish") if re.search(r"\d$", m) else ("about " + m)
            return self._pick("budget", BUDGET_AROUND, m=m + suffix, mish=mish + suffix)
        if plan.form == "range":
            # one style for both ends ('€200 to €300', '200-300€'), digits only
            common = [f for f in money_forms(plan.low, self.target.currency)
                      if f in money_forms(plan.amount, self.target.currency) and f not in ("words", "grand", "cents")]
            style = self.rng.choice(common or ["bare"])
            template = self.rng.choice(list(BUDGET_RANGE))
            low_style = high_style = style
            if "{a}-{b}" in template and style != "bare" and style != "k":  # '€200-300', '200-300€'
                low_style, high_style = (style, "bare") if style == "symbol" else ("bare", style)
            a, b = self._money(plan.low, low_style), self._money(plan.amount, high_style)
            words = template.format(**self.voice.slots(), a=a, b=b + suffix)
            self.said.append(("budget", template, words))
            return words
        return self._pick("budget", BUDGET_MAX, m=self._money(plan.amount) + suffix)

    def _say_colour(self) -> str:
        f = self.facts
        if not f.colour:
            return ""
        colour = self.rng.choice(list(f.colour_options))
        if not self._apply("colour", must_have=_plus(self.constraints.must_have, colour)):
            return ""
        return self._pick("colour", COLOUR_SAY, c=colour)

    def _say_material(self) -> str:
        f = self.facts
        if not f.material or not self._apply("material", must_have=_plus(self.constraints.must_have, f.material)):
            return ""
        if f.material == "vegan":
            table: Sequence[str] = MATERIAL_VEGAN
        else:
            table = MATERIAL_B2B if f.b2b else MATERIAL_SAY + (MATERIAL_PURE if f.material_pure else ())
        return self._pick("material", table, m=f.material)

    def _say_exclusion(self) -> str:
        if self._exclusion is None:
            return ""
        said, terms = self._exclusion
        if not self._apply("exclusion", exclude_terms=_plus(self.constraints.exclude_terms, *terms)):
            return ""
        table = EXCLUDE_SAY
        if " or " not in said and said in ALLERGENS:
            table = table + EXCLUDE_ALLERGY
        if " " not in said and said not in ("synthetics", "phosphates", "solvents"):
            table = table + EXCLUDE_ONE
        return self._pick("exclusion", table, x=said)

    def _say_size(self) -> str:
        plan = self.facts.size
        if plan is None or not self._apply("size", sizes=list(plan.accepted)):
            return ""
        if plan.kind == "letter":
            word = self.rng.choice(LETTER_WORDS.get(plan.said, (plan.said,)))
            return self._pick("size", SIZE_LETTER, s=plan.said, aw=f"{_article(word)} {word}",
                              as_=f"{_article(plan.said)} {plan.said}")
        table = {"number": SIZE_NUMBER, "shoe": SIZE_SHOE, "waist": SIZE_WAIST, "belt": SIZE_BELT,
                 "case": SIZE_CASE, "length": SIZE_LENGTH}[plan.kind]
        return self._pick("size", table, s=plan.said, n=plan.said, a_s=f"{_number_article(plan.said)} {plan.said}")

    def _say_stock(self) -> str:
        if not self.facts.stock or not self._apply("stock", in_stock_only=True):
            return ""
        table = STOCK_SAY + (STOCK_SOON if not self.facts.b2b else ())
        return self._pick("delivery", table)

    def _say_lead(self) -> str:
        days = self.facts.lead_limit
        if days is None or not self._apply("lead", max_lead_time_days=days):
            return ""
        if days == 7:
            table: Sequence[str] = LEAD_WEEK + LEAD_SAY
        elif days == 14:
            table = LEAD_FORTNIGHT + LEAD_WEEKS + LEAD_SAY
        elif days in (21, 28, 35, 42):
            table = LEAD_WEEKS + LEAD_SAY
        elif days == 30:
            table = LEAD_MONTH + LEAD_SAY
        else:
            table = LEAD_SAY
        dw = number_words(days) if self.rng.random() < 0.5 else str(days)
        return self._pick("delivery", table, d=days, dw=dw, w=number_words(days // 7))

    def _quantity_words(self, q: int) -> str:
        r = self.rng.random()
        if q >= 1000 and r < 0.3:
            return f"{q:,}"
        if q >= 1000 and r < 0.45 and q % 1000 == 0:
            return f"{q // 1000}k"
        if q in QUANTITY_STEPS and 10 <= q and r > 0.85:
            return number_words(q)
        return str(q)

    def _say_quantity(self) -> str:
        q = self.facts.quantity
        if q is None:
            return ""
        limit = min(q, self.constraints.max_moq) if self.constraints.max_moq is not None else q
        if not self._apply("quantity", max_moq=limit):
            return ""
        unit = self.facts.unit if self.rng.random() < 0.7 else "units"
        words = self._pick("quantity", QUANTITY_SAY, q=self._quantity_words(q), u=unit)
        if self.facts.tiers and "tiers" not in self.stated and self.rng.random() < 0.3:
            self.stated.add("tiers")
            words += ", " + self._pick("tiers", TIERS_SAY)
        return words

    def _say_moq(self) -> str:
        q = self.facts.moq_limit
        if q is None:
            return ""
        limit = min(q, self.constraints.max_moq) if self.constraints.max_moq is not None else q
        if not self._apply("moq", max_moq=limit):
            return ""
        return self._pick("moq", MOQ_SAY, q=self._quantity_words(q), u=self.facts.unit)

    def _say_cert(self) -> str:
        f = self.facts
        if not f.certification:
            return ""
        if not self._apply("cert", must_have=_plus(self.constraints.must_have, f.certification.lower())):
            return ""
        return self._pick("certification", CERT_LABEL if f.certification_label else CERT_SAY, c=f.certification)

    def _say_static(self, fact: str) -> str:
        return {"budget": self._say_budget, "colour": self._say_colour, "size": self._say_size,
                "material": self._say_material, "exclusion": self._say_exclusion, "stock": self._say_stock,
                "lead": self._say_lead, "quantity": self._say_quantity, "moq": self._say_moq,
                "cert": self._say_cert}[fact]()

    def _say_purpose(self, value: str) -> str:
        self.stated.add(f"purpose:{value}")
        if self.facts.b2b:
            table: Sequence[str] = PURPOSE_B2B
        elif value in ("a wedding", "an evening event", "a party", "work", "the beach"):
            table = PURPOSE_SAY + PURPOSE_WEAR
        else:
            table = PURPOSE_SAY
        return self._pick("purpose", table, p=value)

    def _say_quality(self, value: str) -> str:
        self.stated.add(f"quality:{value}")
        return self._pick("quality", QUALITY_SAY, q=value)

    def _say_brand(self, brand: str) -> str:
        if brand.lower() == self.target.brand.lower():
            return ""
        if not self._apply(f"brand:{brand}", brands_out=_plus(self.constraints.brands_out, brand)):
            return ""
        return self._pick("brand", BRAND_SAY, b=brand)

    def _say_avoid(self, colour: str) -> str:
        if not self._apply(f"avoid:{colour}", exclude_terms=_plus(self.constraints.exclude_terms, colour)):
            return ""
        return self._pick("exclusion", AVOID_COLOUR_B2B if self.facts.b2b else AVOID_COLOUR, c=colour)

    # -- putting sentences together -----------------------------------------------------------------

    def _finish(self, parts: Sequence[str]) -> str:
        """Join sentences the way this person writes (terse: commas; lowercase: no capitals)."""
        parts = [p.strip() for p in parts if p and p.strip()]
        if not parts:
            return ""
        if self.voice.terse:
            text = ", ".join(p.rstrip(".!") for p in parts)
        else:
            out = []
            for p in parts:
                p = p[:1].upper() + p[1:]
                out.append(p if p[-1] in ".?!" else p + ("!" if self.voice.chatty and self.rng.random() < 0.3 else "."))
            text = " ".join(out)
        if self.voice.lowercase:
            text = text.lower()
        return self._scrub(text)

    def _scrub(self, text: str) -> str:
        """Never the target's title or id. Kind words that would name it are never chosen; this is the
        last guard (a numeric id that a budget or a quantity happens to spell, say)."""
        for name in (self.target.title, self.target.id):
            if name.isdigit():  # a numeric id spelt by a price or a quantity does not name the item
                continue
            pattern = rf"(?<![\w-]){re.escape(name)}(?![\w-])"
            if name and re.search(pattern, text, flags=re.IGNORECASE):
                text = re.sub(pattern, "that", text, flags=re.IGNORECASE)
        return text

    def _greeting(self) -> str:
        if not self.voice.greeting:
            return ""
        hi = self.rng.choice(GREETINGS)
        if self.voice.chatty and self.rng.random() < 0.5:
            return f"{hi}! {self.rng.choice(CHATTY_OPENERS).capitalize()}, "
        return hi + self.rng.choice([", ", "! ", " - ", "! "])

    # -- the opening ------------------------------------------------------------------------------------

    def opening(self) -> str:
        p, rng = self.profile, self.rng
        purpose = p.purposes[0] if p.purposes else ""
        n_facts = rng.choices([n for n, _ in OPENING_FACTS], weights=[w for _, w in OPENING_FACTS])[0]
        if self.vague or not (self.facts.kinds or p.need):
            what = f"for {purpose}" if purpose else p.qualities[0] if p.qualities else "useful"
            if purpose:
                self.stated.add(f"purpose:{purpose}")
            elif p.qualities:
                self.stated.add(f"quality:{p.qualities[0]}")
            table = OPEN_VAGUE_WE if self.voice.subj == "we" else OPEN_VAGUE_RELAY if self.voice.relay else OPEN_VAGUE
            head = self._pick("opening", table, what=what)
            n_facts = min(n_facts, 1)
        else:
            kind = self._say_kind()
            with_purpose = bool(purpose) and rng.random() < 0.45
            if with_purpose:
                self.stated.add(f"purpose:{purpose}")
            purpose_words = f" for {purpose}" if with_purpose else ""
            if self.voice.terse:
                table = OPEN_TERSE
            elif self.voice.subj == "we":
                table = OPEN_WE
            elif self.voice.relay:
                table = OPEN_RELAY
            else:
                table = OPEN_I
            bare = re.sub(r"^(?:an?|some|a pair of) ", "", kind)
            head = self._pick("opening", table, kind=kind, kind_bare=bare, purpose=purpose_words,
                              purpose_and=(", it's" + purpose_words) if purpose_words else "")
        extras = self._opening_facts(n_facts)
        greeting = self._greeting()
        if greeting.endswith("! "):
            head = head[:1].upper() + head[1:]
        return self._finish([greeting + head, *extras])

    def _opening_facts(self, n: int) -> list[str]:
        pool = [f for f in STATIC_FACTS if self._available(f)]
        p = self.profile
        if p.purposes and not any(s.startswith("purpose:") for s in self.stated):
            pool.append("purpose")
        if p.qualities:
            pool.append("quality")
        out: list[str] = []
        while pool and len(out) < n:
            fact = self.rng.choices(pool, weights=[OPENING_WEIGHTS[f] for f in pool])[0]
            pool.remove(fact)
            if fact == "purpose":
                words = self._say_purpose(p.purposes[0])
            elif fact == "quality":
                words = self._say_quality(p.qualities[0])
            else:
                words = self._say_static(fact)
            if words:
                out.append(words)
        return out

    # -- answering ----------------------------------------------------------------------------------------

    def respond(self, turn: AgentTurn) -> UserReply:
        if turn.act == "ask":
            return UserReply(self.answer(turn.asked or ""))
        shown = [self.catalog[i] for i in turn.item_ids if i in self.catalog]
        if self.target.id in turn.item_ids:
            return UserReply(self._finish([self.rng.choice(("That one's perfect, thanks!", "Yes, that's it.",
                                                            "Love that one, I'll take it."))]))
        return self.critique(shown, turn.item_ids)

    def answer(self, attribute: str) -> str:
        """A clarifying question answered truthfully from the target's facts."""
        p, f = self.profile, self.facts
        if attribute == "category":
            kind = self._say_kind(again=True)
            return self._finish([kind or self.rng.choice(("Not sure yet.", "Open to ideas."))])
        if attribute == "occasion":
            purpose = self._next("purpose", p.purposes) or (p.purposes[0] if p.purposes else "")
            if purpose:
                return self._finish([self._say_purpose(purpose)])
            self.said.append(("answer", "no purpose", ""))
            return self._finish([self.rng.choice(NO_PURPOSE_B2B if f.b2b else NO_PURPOSE)])
        if attribute == "budget":
            words = self._say_budget()
            return self._finish([words] if words else [self.rng.choice(NO_BUDGET)])
        if attribute == "style":
            quality = self._next("quality", p.qualities) or (p.qualities[0] if p.qualities else "")
            if quality:
                return self._finish([self._say_quality(quality)])
            if f.styles:
                return self._finish([self._pick("quality", QUALITY_SAY, q=f.styles[0])])
            return self._finish([self.rng.choice(NO_STYLE)])
        if attribute == "colour":
            words = self._say_colour()
            return self._finish([words] if words else [self.rng.choice(NO_COLOUR)])
        return self.critique([], []).text

    def _next(self, kind: str, values: Sequence[str]) -> str:
        return next((v for v in values if f"{kind}:{v}" not in self.stated), "")

    # -- turning shown items down -------------------------------------------------------------------------

    def _reject_words(self, shown_ids: Sequence[str]) -> str:
        if self.voice.relay and self.rng.random() < 0.3:
            table: Sequence[str] = REJECT_RELAY
        elif self.voice.subj == "we" and self.rng.random() < 0.4:
            table = REJECT_WE
        else:
            table = REJECT_ONE if len(shown_ids) == 1 else REJECT
        return self._pick("rejection", table)

    def _reason(self, table: Sequence[str]) -> str:
        return self._pick("reason", table) if self.rng.random() < REASON else ""

    def _join_reason(self, reason: str, words: str) -> str:
        sep = self.rng.choice((" - ", ", ", ". ", "; ", " so "))
        if sep == ". ":
            words = words[:1].upper() + words[1:]
        return reason + sep + words

    def _differences(self, shown: list[Item]) -> list[tuple[str, Callable[[], str], float]]:
        """Facts not yet stated that tell some shown item apart from the target: (fact, say, weight),
        each say() returning 'reason. fact' words (or '')."""
        f, c = self.facts, self.constraints
        out: list[tuple[str, Callable[[], str], float]] = []
        texts = [s.text().lower() for s in shown]

        def with_reason(all_true: bool, table: Sequence[str], say: Callable[[], str]) -> Callable[[], str]:
            """``say``, led by a reason when the reason is true of every item shown."""
            def run() -> str:
                words = say()
                if not words or not all_true:
                    return words
                reason = self._reason(table)
                return self._join_reason(reason, words) if reason else words
            return run

        if f.budget and "budget" not in self.stated:
            over = [s.price > f.budget.ceiling + 1e-9 for s in shown]
            under = [f.budget.floor is not None and s.price < f.budget.floor - 1e-9 for s in shown]
            if any(over) or any(under):
                # "too pricey" only when true of every item shown; "some are over budget" when of some
                table = REASON_PRICE if all(over) else REASON_PRICE_SOME
                out.append(("budget", with_reason(any(over), table, self._say_budget), CRITIQUE_WEIGHTS["budget"]))
        if f.colour and "colour" not in self.stated:
            lacks = [f.colour.split()[-1] not in t for t in texts]
            if any(lacks):
                out.append(("colour", with_reason(all(lacks), REASON_COLOUR, self._say_colour),
                            CRITIQUE_WEIGHTS["colour"]))
        same_kind = [s for s in shown if s.category == self.target.category]
        if f.size and "size" not in self.stated and same_kind:  # a size complaint is about the same kind of item
            probe = Constraints(sizes=list(f.size.accepted))
            wrong = [bool(probe.violations(s)) for s in same_kind]
            if any(wrong):
                out.append(("size", with_reason(all(wrong), REASON_SIZE, self._say_size), CRITIQUE_WEIGHTS["size"]))
        if f.material and "material" not in self.stated:
            lacks = [f.material not in t for t in texts]
            if any(lacks):
                out.append(("material", with_reason(all(lacks), REASON_MATERIAL_B2B if f.b2b else REASON_MATERIAL,
                                                    self._say_material),
                            CRITIQUE_WEIGHTS["material"]))
        if self._exclusion and "exclusion" not in self.stated:
            terms = self._exclusion[1]
            has = [any(mentions_positively(t, term) for term in terms) for t in texts]
            if any(has):
                out.append(("exclusion", with_reason(all(has), REASON_MATERIAL_B2B if f.b2b else REASON_MATERIAL,
                                                     self._say_exclusion),
                            CRITIQUE_WEIGHTS["exclusion"]))
        if f.stock and "stock" not in self.stated:
            cant = [not s.shippable for s in shown]
            if any(cant):
                out.append(("stock", with_reason(all(cant), REASON_STOCK, self._say_stock), CRITIQUE_WEIGHTS["stock"]))
        if f.lead_limit is not None and "lead" not in self.stated:
            slow = [Constraints(max_lead_time_days=f.lead_limit).violations(s) != [] for s in shown]
            if any(slow):
                out.append(("lead", with_reason(all(slow), REASON_LEAD, self._say_lead), CRITIQUE_WEIGHTS["lead"]))
        for fact, limit in (("quantity", f.quantity), ("moq", f.moq_limit)):
            if limit is not None and fact not in self.stated and c.max_moq is None:
                big = [Constraints(max_moq=limit).violations(s) != [] for s in shown]
                if any(big):
                    say = self._say_quantity if fact == "quantity" else self._say_moq
                    out.append((fact, with_reason(all(big), REASON_MOQ, say), CRITIQUE_WEIGHTS[fact]))
        if f.certification and "cert" not in self.stated:
            lacks = [f.certification.lower() not in t for t in texts]
            if any(lacks):
                out.append(("cert", with_reason(all(lacks), REASON_CERT, self._say_cert), CRITIQUE_WEIGHTS["cert"]))
        target_text = self.target.text().lower()
        for s in shown:
            colour, _ = _colour_of(s, s.text().lower())
            # 'grey' is the target's 'gray' spelt the other way: ruling it out would be a lie.
            spellings = {colour, *(b for a, b in SPELLINGS if a == colour), *(a for a, b in SPELLINGS if b == colour)}
            if (colour and f"avoid:{colour}" not in self.stated and colour not in target_text
                    and not any(mentions_positively(target_text, c) or c in f.colour for c in spellings)):
                out.append(("avoid", lambda colour=colour: self._say_avoid(colour), CRITIQUE_WEIGHTS["avoid"]))
                break
        brand = next((s.brand for s in shown if s.brand and s.brand.lower() != self.target.brand.lower()
                      and f"brand:{s.brand}" not in self.stated), "")
        if brand:
            out.append(("brand", lambda: self._say_brand(brand), CRITIQUE_WEIGHTS["brand"]))
        return out

    def critique(self, shown: list[Item], shown_ids: Sequence[str]) -> UserReply:
        """Turn the shown items down with one new true fact or reason; with nothing shown, say one
        more thing about the need."""
        p, rng = self.profile, self.rng
        rejected = tuple(shown_ids)
        no = self._reject_words(shown_ids) if shown_ids else ""

        def reply(*words: str) -> UserReply:
            return UserReply(self._finish([no, *words]), rejected)

        kind_known = bool(self.stated & {"category", "need"})
        # 1. the wrong kind of item (or no kind said yet)
        kind = self._say_kind() if not kind_known and (self.facts.kinds or p.need) else ""
        if kind:
            lead = rng.choice(("{subj} need {k}", "{be} after {k}", "{be} looking for {k} specifically",
                               "{k}, please", "it's {k} {subj} need")).format(k=kind, **self.voice.slots())
            self.said.append(("category-move", "need", lead))
            return reply(lead)
        if shown and self.facts.kinds and "category-again" not in self.stated:
            allowed = set(self.constraints.categories)
            wrong = [s.category not in allowed for s in shown]
            if any(wrong):
                self.stated.add("category-again")
                reason = self._reason(REASON_KIND) if all(wrong) else ""
                kind = self._say_kind(narrow=True)
                words = rng.choice(("{subj} need {k}", "{subj} said {k}", "{subj} want {k}", "{k} please",
                                    "{be} after {k}")).format(k=kind, **self.voice.slots())
                self.said.append(("category-move", "again", words))
                return reply(self._join_reason(reason, words) if reason else words)
        # 2. a fact that tells the items shown apart from the target
        if shown:
            options = self._differences(shown)
            while options:
                i = rng.choices(range(len(options)), weights=[w for _, _, w in options])[0]
                _, say, _ = options.pop(i)
                words = say()
                if words:
                    return reply(words)
        # 3. soft critiques and new facts that do not discriminate
        soft: list[Callable[[], str]] = []
        if shown and "cheaper" not in self.stated and all(self.target.price < s.price for s in shown):
            soft.append(self._cheaper)
        for style in self.facts.styles:
            if f"more:{style}" not in self.stated and shown and not any(_style_match(style, s) for s in shown):
                soft.append(lambda style=style: self._more(style))
                break
        purpose = self._next("purpose", p.purposes)
        if purpose:
            soft.append(lambda: self._say_purpose(purpose))
        quality = self._next("quality", p.qualities)
        if quality:
            soft.append(lambda: self._say_quality(quality))
        if soft and rng.random() < 0.6:
            words = rng.choice(soft)()
            if words:
                return reply(words)
        for fact in rng.sample(list(STATIC_FACTS), len(STATIC_FACTS)):
            if fact not in self.stated and self._available(fact) and (fact != "moq" or "quantity" not in self.stated):
                words = self._say_static(fact)
                if words:
                    return reply(words)
        if p.specific and "specific" not in self.stated and not names_title(p.specific, self.target):
            self.stated.add("specific")
            self.said.append(("category-move", "specific", p.specific))
            return reply(rng.choice(("More specifically, {s}", "I mean {s}", "it's {s} {subj} need")).format(
                s=p.specific, **self.voice.slots()))
        if soft:
            words = rng.choice(soft)()
            if words:
                return reply(words)
        if shown:
            brand = next((s.brand for s in shown if s.brand and s.brand.lower() != self.target.brand.lower()
                          and f"brand:{s.brand}" not in self.stated), "")
            if brand:
                words = self._say_brand(brand)
                if words:
                    return reply(words)
            return reply(self._pick("rejection", KEEP_GOING))
        return UserReply(self._finish([self._pick("show", SHOW_ME)]), rejected)

    def _cheaper(self) -> str:
        self.stated.add("cheaper")
        return self._pick("relative", CHEAPER_SAY)

    def _more(self, style: str) -> str:
        self.stated.add(f"more:{style}")
        return self._pick("relative", MORE_SAY, more=style)


def _plus(values: Sequence[str], *more: str) -> list[str]:
    """``values`` with ``more`` appended, each once."""
    out = list(values)
    out += [m for m in more if m not in out]
    return out


def _number_article(number: str) -> str:
    """'an 8', 'an 80', 'an 11', 'an 18', otherwise 'a 38'."""
    return "an" if number.startswith("8") or number in ("11", "18") or re.match(r"1[18]\d\d$", number) else "a"


def _article(word: str) -> str:
    """'an' before a vowel sound: 'an M', 'an XL', 'an extra small', 'a medium', 'a 2XL'."""
    if word[:1] in "AEIOUaeiou" or (word.isupper() and word[:1] in "FHLMNSX"):
        return "an"
    return "a"


def _style_match(style: str, item: Item) -> bool:
    pattern = next((pat for pat, phrases in STYLE_CUES if style in phrases), None)
    return bool(pattern and re.search(pattern, item.text().lower()))


# ------------------------------------------------------------------------------------------------
# A gift shopper: opens vaguely ('I need a present') and says whom it is for only when asked


GIFT_OPENINGS = ("I need a present.", "I'm looking for a gift.", "Can you help me find a present?",
                 "I need a gift for someone.", "looking for a present")
GIFT_FOR = {
    "women": ("my sister", "my mother", "my wife", "my girlfriend", "my niece", "my aunt"),
    "men": ("my husband", "my father", "my brother", "my boyfriend", "my nephew", "my dad"),
    "": ("a friend", "my partner", "a colleague", "a dear friend"),
}
GIFT_ANSWERS = ("It's for {who}.", "For {who}.", "It's a present for {who}.", "{who}, actually.")


class GiftShopper(FreeShopper):
    """A shopper buying ``target`` as a present (fashion catalogs). Whom for follows the target's own
    text (``agent.client_facts.item_gender``: an item its text says is for women is for a sister, a
    mother...; an item of unsaid gender for a friend or a partner). With ``upfront`` the opening
    names the recipient ('I need a present for my sister'); otherwise it is vague ('I need a
    present') and the recipient, with the budget and sometimes the kind of item, is said only
    when the agent asks whom it is for. Then it goes on as a :class:`FreeShopper`."""

    def __init__(self, target: Item, catalog: dict[str, Item], domain: str = "fashion",
                 rng: random.Random | None = None, upfront: bool = False):
        from agent.client_facts import item_gender

        super().__init__(target, catalog, domain, rng)
        self.upfront = upfront
        self.recipient = self.rng.choice(GIFT_FOR[item_gender(target)])
        self.told = False

    def opening(self) -> str:
        opening = self.rng.choice(GIFT_OPENINGS)
        self.stated.add("purpose:gift")
        if self.upfront:
            self.told = True
            opening = f"{opening.rstrip('.?')} for {self.recipient}."
        self.said.append(("opening", "gift", opening))
        return self._finish([opening])

    def answer(self, attribute: str) -> str:
        if attribute != "recipient":
            return super().answer(attribute)
        self.told = True
        parts = [self._pick("recipient", GIFT_ANSWERS, who=self.recipient)]
        budget = self._say_budget()
        if budget:
            parts.append(budget)
        if self.rng.random() < 0.5:
            kind = self._say_kind()
            if kind:
                parts.append(self._pick("category", ("{kind}, please.", "Looking for {kind}."), kind=kind))
        return self._finish(parts)
