"""A B2B procurement buyer for ``motive eval simulate --shopper buyer`` (B2B catalogs).

:class:`apps.evaluation.shopper.FreeShopper` says its facts freely but plays an easy game: its
opening often carries the kind of item, a budget and another fact at once, so most sessions end on
the first turn and the methods cannot be told apart. :class:`BuyerShopper` plays the game a buyer
in a chat window plays with a supplier's assistant:

- **The opening is the need, not a specification.** It names the job, the place, the people or the
  hazard, read from the target's own text ("kitting out 40 new starters in our cold store", "need
  something for the lads in the wash bay, it's all caustic"), the kind of item in the buyer's own
  words ("hand protection", "riggers", "eppendorfs", "bog roll") or, in a quarter of the sessions,
  no kind at all, and at most ONE hard fact (a budget, a lead time, a quantity, a standard, stock).
- **Further facts come as reactions to what was shown.** Each turn it compares the shown cards'
  catalog facts with its target's and complains about one real difference, stating its true limit:
  a shown item whose lead time is longer than the target's gets "the second one's three weeks out,
  we need them inside a week"; an MOQ above what it orders gets "MOQ of 144 is no good, we only
  take 30 pairs at a time"; a price above its ceiling "too dear at our volumes, has to be under
  €4 a pair"; a missing standard "has to be EN 388 rated"; another brand "not Packridge, we had
  issues with them"; the same kind in another pack "the first one is close but we need it in boxes
  of 100". The complaint names the card (by position or brand) and the card's own fact.
- **Sometimes it asks first.** About one reaction in five is a question about one card ("what's
  the lead time on the second one?", "is the Ironvale one EN 388?"); on the next turn it states the
  fact the answer settles ("right, 21 days is too long for us...") and turns the cards down.
- When nothing shown breaks a fact it has left, it says more about the job or the hazard, narrows
  the kind ("gauntlets, really"), volunteers one more fact, or asks for other options.
- What a message turns down (``UserReply.rejected``, which the baselines are told and Motive must
  read) is what its words turn down: every card when it says no to all ("None of these", "what
  else have you got?") or its complaint is true of every card; otherwise the cards that break what
  has been stated. "The second one is close but we need boxes of 100" says nothing against the
  first card, and a baseline may show it again.

Truthfulness is FreeShopper's: every hard constraint it states is true of the target;
``constraints`` is set directly from the facts it chose to say (never by reading its sentences
back) and an update the target would break is refused (:meth:`BuyerShopper._apply`), so
``constraints.violations(target)`` stays empty. The job, the place and the hazard are soft (no
constraint), each read from a cue in the target's own text. It never names the target's title or
id. Every fact is worded from the phrasing tables of this module, written without reference to
Motive's reader (several forms each: digits and words, units, trade jargon, typos, lowercase).
Every choice is drawn from one seeded :class:`random.Random`, so a session is reproducible for a
seed. The interface is FreeShopper's: :meth:`opening`, :meth:`respond`, ``constraints``, ``stated``.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass, field
from typing import Sequence

from apps.evaluation.simulate import AgentTurn, StatesTruths, UserReply
from agent.models import Constraints, Item, mentions_positively

# ================================================================================================
# Phrasing tables
# ================================================================================================

GREETINGS: tuple[str, ...] = ("Hi", "Hello", "Morning", "Afternoon", "Hiya", "Hi there", "Good morning", "Hey")
SIGN_OFFS: tuple[str, ...] = ("Cheers", "Thanks", "Ta", "Thanks in advance", "Cheers, Dave", "Thx", "Regards, Sam")

# -- the job: (cue in the target's text, places, crews) --------------------------------------------------------
# {n}: a head count ("40", "forty"). Soft context: never a constraint, and each is read from the target.
SCENES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    (r"cold[- ]store|freezer|chiller|thermal",
     ("our cold store", "the blast freezer", "the chiller", "the frozen side of the warehouse"),
     ("{n} new starters", "the pickers", "the night shift", "the lads on the freezer team")),
    (r"\blab\b|laborator|pcr|dna|rna|pipett|cell culture|microbio|centrifug|petri|assay|specimen",
     ("the QC lab", "our micro lab", "the research lab", "the teaching labs"),
     ("{n} lab techs", "the technicians", "our scientists", "the PhD students")),
    (r"sheet metal|glass handling|glazing|press line|stamping|cut level|cut-resist",
     ("the press shop", "the glazing unit", "the fab shop", "our metal stockholding"),
     ("{n} blokes handling sheet metal", "the glaziers", "the press operators", "the lads on the line")),
    (r"weld|spark|foundry|molten",
     ("the fab shop", "the welding bay", "the foundry"),
     ("the welders", "{n} fabricators", "the lads on the torches")),
    (r"chemical|caustic|acid|solvent|degreas|alkaline|sodium hydroxide",
     ("the wash bay", "the chemical store", "the CIP room", "our dye house"),
     ("the guys decanting chemicals", "the cleaning crew", "{n} operatives", "the wash-down team")),
    (r"noise|\bdb\b|snr|loud|ear ?plugs?|ear defenders?",
     ("the bottling line", "the machine shop", "our sawmill", "the print hall"),
     ("the lads on the grinders", "{n} machine operators", "the line staff", "the night shift")),
    (r"dust|ffp|particle|asbestos|silica|sanding|filters?\b",
     ("the joinery shop", "the demolition site", "our grain store", "the sanding line"),
     ("the lads on the demolition site", "{n} joiners", "the site crew", "the strip-out gang")),
    (r"vibration|impact|breaker",
     ("the road crew", "the quarry", "the groundworks"),
     ("the lads on the breakers", "{n} groundworkers", "the road gang")),
    (r"construction|\bsite\b|helmet|toe|boots?\b|hi-vis|visibility|ladder|scaffold|hard hat",
     ("the building site", "our new-build site", "the depot", "the yard"),
     ("the site lads", "{n} new starters", "the subbies", "the groundworks gang")),
    (r"food|kitchen|catering|bakery|haccp|chef|sous-vide|allergen|1935/2004",
     ("our kitchen", "the food production unit", "the central kitchen", "our bakery", "the canteen"),
     ("the kitchen team", "{n} chefs", "the line staff", "the food handlers", "the canteen staff")),
    (r"takeaway|coffee|cafe|café|cups?\b|straw|napkin|pizza|sandwich|street food|cutlery|stirrer|clamshell",
     ("our three cafés", "the takeaway", "the coffee kiosks", "the food truck", "the deli counter"),
     ("the front of house lot", "{n} baristas", "the counter staff")),
    (r"shipping|parcel|dispatch|e-commerce|pallet|mailing|mailer|postal|carton|void fill|strapping|label",
     ("the dispatch bay", "our packing benches", "the warehouse", "the fulfilment centre"),
     ("the dispatch team", "{n} pickers on nights", "the packers", "the warehouse lads")),
    (r"clean|janitor|washroom|floor|mop|microfibre|toilet|towel|disinfect|sanitis|bleach|soap|hand (?:soap|wash|gel|rub|cream|towel)",
     ("the offices", "our washrooms", "the care home", "the school", "the gym", "the leisure centre"),
     ("the cleaning crew", "our contract cleaners", "the night cleaners", "{n} housekeepers", "the caretakers")),
    (r"first aid|wound|plaster|eyewash|clinical|sharps|medical|patient",
     ("the first aid room", "our care home", "the site office", "the dental practice"),
     ("the first aiders", "the nurses", "{n} carers", "the duty managers")),
    (r"electric|insulated|vde|1000 v|60900",
     ("the electrical contracting side", "our maintenance dept", "the substation jobs"),
     ("our sparkies", "the electricians", "{n} maintenance engineers")),
    (r"torque|socket|drill|wrench|spirit level|tape measure|pliers|work light|cable ties|tools?\b|knife",
     ("the maintenance workshop", "the vehicle workshop", "our fitting shop", "the van stock"),
     ("the fitters", "the maintenance team", "{n} engineers", "the mechanics")),
)
SCENE_FALLBACK: tuple[tuple[str, ...], tuple[str, ...]] = (
    ("our site", "the unit", "the new premises", "the main depot"),
    ("the team", "{n} staff", "the lads", "the operatives"),
)
CREW_SIZES: tuple[int, ...] = (4, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 80)

# -- the hazard or the job's point (soft), from the target's text --------------------------------------------
HAZARDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"cut\b|cut-|sheet metal|glass handling|glazing|blade", ("it's sharp edges all day", "cut risk is the big one", "they keep nicking their hands")),
    (r"heat-resist|°c contact|oven|flame|foundry", ("it's hot work", "they're pulling trays out of ovens", "burns are the worry")),
    (r"chemical|caustic|acid|solvent", ("it's chemical splash we're worried about", "they handle caustic", "nasty chemicals")),
    (r"cold[- ]store|cold room|freez|thermal glove|chiller", ("it's freezing in there", "they're in the cold for hours", "minus temps all shift")),
    (r"noise|\bdb\b|snr|loud", ("it's loud, over 85 dB", "noise is the issue", "the racket is constant")),
    (r"dust|ffp|particle|silica", ("there's a lot of dust", "dust is the problem", "it's filthy with dust")),
    (r"vibration", ("hand-arm vibration is the worry", "they're on breakers all day")),
    (r"waterproof|wet|rain|wellington", ("it's wet work", "they're out in the rain", "always wet underfoot")),
    (r"slip|floor", ("the floors get slippy", "slips are the worry")),
    (r"virus|virucid|norovirus|bacteria|disinfect|sanitis|1276|14476", ("we've had a norovirus scare", "we need to kill bugs properly", "infection control is the priority")),
    (r"food|1935/2004|food-contact|haccp", ("it's all food contact", "it's in the food area", "HACCP is strict here")),
    (r"compost|recycl|fsc|ecolabel|plastic-free|eco", ("we're trying to go greener", "the client wants it sustainable", "we're cutting plastic")),
    (r"sterile|dnase|rnase|pyrogen", ("it's sensitive work, contamination kills us", "it's PCR work", "it's cell culture")),
    (r"detectable", ("the auditors want everything metal-detectable", "we've had bits end up in product")),
    (r"static|esd|antistatic", ("it's electronics, static is a problem",)),
    (r"visib|hi-vis", ("they're working near traffic", "there's plant moving about")),
    (r"electric|insulated|vde|live", ("they work near live kit", "it's live electrical work")),
)

# -- the kind of item in a buyer's words --------------------------------------------------------------------------
# category -> (phrase, condition on the target's title or None, other categories the word covers).
PPE = ("safety gloves", "safety eyewear", "hearing protection", "respiratory protection", "head protection",
       "safety footwear", "hi-vis clothing")
BUYER_KINDS: dict[str, tuple[tuple[str, str | None, tuple[str, ...]], ...]] = {
    "safety gloves": (
        ("gloves", None, ("food hygiene",)), ("work gloves", None, ()), ("hand protection", None, ("food hygiene",)),
        ("PPE gloves", None, ()), ("some PPE", None, PPE), ("cut gloves", r"cut", ()), ("cut resistant gloves", r"cut", ()),
        ("gauntlets", r"gauntlet", ()), ("riggers", r"rigger", ()), ("rigger gloves", r"rigger", ()),
        ("welding gloves", r"weld", ()), ("freezer gloves", r"cold|thermal", ()), ("thermal gloves", r"thermal", ()),
        ("heat gloves", r"heat|aramid", ()), ("oven gloves", r"heat", ()), ("chemical gloves", r"chemical", ()),
        ("nitrile gloves", r"nitrile", ("food hygiene",)), ("disposable gloves", r"disposable", ("food hygiene",)),
        ("AV gloves", r"vibration", ()), ("impact gloves", r"impact", ()),
    ),
    "food hygiene": (
        ("food hygiene stuff", None, ()), ("kitchen consumables", None, ("catering disposables",)),
        ("gloves", r"glove", ("safety gloves",)), ("blue gloves", r"blue.*glove", ("safety gloves",)),
        ("food prep gloves", r"glove", ("safety gloves",)), ("hairnets", r"hairnet", ()), ("mob caps", r"hairnet", ()),
        ("beard snoods", r"beard", ()), ("beard nets", r"beard", ()), ("aprons", r"apron", ("workwear",)),
        ("tabards", r"apron", ("workwear",)), ("a probe", r"thermometer", ()), ("probe thermometers", r"thermometer", ()),
        ("chopping boards", r"chopping", ()), ("day dots", r"rotation label", ()), ("food labels", r"label", ("packaging",)),
        ("vac pouches", r"vacuum", ()), ("vacuum bags", r"vacuum", ()),
    ),
    "safety eyewear": (
        ("eye protection", None, ()), ("eye pro", None, ()), ("some PPE", None, PPE),
        ("safety glasses", r"spectacle", ()), ("safety specs", r"spectacle", ()), ("specs", r"spectacle", ()),
        ("goggles", r"goggle", ()), ("splash goggles", r"goggle", ()), ("face shields", r"shield", ()),
        ("visors", r"shield", ()),
    ),
    "hearing protection": (
        ("hearing protection", None, ()), ("ear protection", None, ()), ("some PPE", None, PPE),
        ("ear plugs", r"plug", ()), ("earplugs", r"plug", ()), ("foamies", r"foam", ()),
        ("ear defenders", r"defender", ()), ("ear muffs", r"defender", ()), ("defenders", r"defender", ()),
    ),
    "respiratory protection": (
        ("masks", None, ()), ("RPE", None, ()), ("respirators", None, ()), ("some PPE", None, PPE),
        ("dust masks", r"ffp", ()), ("FFP3s", r"ffp3", ()), ("FFP2s", r"ffp2", ()), ("ffp3 masks", r"ffp3", ()),
        ("half masks", r"half mask", ()), ("a half face mask", r"half mask", ()),
    ),
    "head protection": (
        ("head protection", None, ()), ("some PPE", None, PPE), ("hard hats", r"helmet", ()),
        ("helmets", r"helmet", ()), ("lids", r"helmet", ()), ("bump caps", r"bump", ()),
    ),
    "safety footwear": (
        ("safety footwear", None, ()), ("safety shoes", None, ()), ("work boots", r"boot", ()),
        ("safety boots", r"boot", ()), ("rigger boots", r"boot", ()), ("safety trainers", r"trainer", ()),
        ("clogs", r"clog", ()), ("kitchen clogs", r"clog", ()), ("wellies", r"wellington", ()),
        ("safety wellies", r"wellington", ()),
    ),
    "hi-vis clothing": (
        ("hi-vis", None, ()), ("hi vis", None, ()), ("high viz", None, ()), ("some PPE", None, PPE),
        ("vests", r"vest", ()), ("hi-vis vests", r"vest", ()), ("waistcoats", r"vest", ()),
        ("hi-vis jackets", r"parka|jacket", ("workwear",)), ("parkas", r"parka", ("workwear",)),
    ),
    "first aid": (
        ("first aid stuff", None, ()), ("first aid supplies", None, ()), ("first aid kits", r"kit", ()),
        ("a first aid box", r"kit", ()), ("an eyewash station", r"eyewash", ()), ("eye wash", r"eyewash", ()),
        ("plasters", r"plaster", ()), ("blue plasters", r"blue.*plaster", ()),
    ),
    "workwear": (
        ("workwear", None, ("hi-vis clothing",)), ("uniforms", None, ()), ("work clothes", None, ("hi-vis clothing",)),
        ("work trousers", r"work trousers", ()), ("combat trousers", r"work trousers", ()),
        ("chef whites", r"chef jacket", ()), ("chefs jackets", r"chef jacket", ()), ("chef trousers", r"chef trousers", ()),
        ("chef pants", r"chef trousers", ()), ("coveralls", r"coverall", ()), ("boiler suits", r"coverall", ()),
        ("overalls", r"coverall", ()), ("FR overalls", r"flame", ()), ("lab coats", r"lab coat|smock", ()),
        ("aprons", r"apron", ("food hygiene",)), ("tees", r"t-shirt", ()), ("work t-shirts", r"t-shirt", ()),
        ("thermals", r"thermal|base layer", ()), ("base layers", r"base layer", ()), ("softshells", r"softshell", ()),
        ("smocks", r"smock", ()),
    ),
    "cleaning chemicals": (
        ("chemicals", None, ()), ("cleaning chemicals", None, ()), ("cleaning products", None, ()),
        ("cleaning stuff", None, ("cleaning equipment",)), ("degreaser", r"degreas", ()),
        ("sanitiser", r"sanitis", ("hand hygiene",)), ("disinfectant", r"disinfect|virucid", ()),
        ("bleach", r"bleach", ()), ("floor cleaner", r"floor cleaner", ()), ("dishwasher detergent", r"dishwasher", ()),
        ("machine detergent", r"dishwasher", ()), ("rinse aid", r"rinse aid", ()), ("descaler", r"descal", ()),
        ("glass cleaner", r"glass", ()), ("window cleaner", r"glass", ()), ("oven cleaner", r"oven", ()),
        ("drain treatment", r"drain", ()), ("chlorine tabs", r"tablet", ()), ("carpet cleaner", r"carpet", ()),
        ("laundry liquid", r"laundry", ()), ("floor polish", r"polish", ()), ("washroom cleaner", r"washroom", ()),
        ("toilet cleaner", r"washroom", ()), ("cleaning sachets", r"sachet", ()),
    ),
    "cleaning equipment": (
        ("cleaning kit", None, ()), ("cleaning stuff", None, ("cleaning chemicals",)), ("cloths", r"cloth", ()),
        ("microfibres", r"microfibre", ()), ("mop heads", r"mop head", ()), ("kentucky mops", r"kentucky", ()),
        ("mop pads", r"pad", ()), ("flat mop pads", r"pad", ()),
    ),
    "hand hygiene": (
        ("hand hygiene", None, ()), ("hand gel", r"gel|rub", ()), ("hand sanitiser", r"rub", ()),
        ("sanitiser", r"rub", ("cleaning chemicals",)), ("hand soap", r"soap", ()), ("hand wash", r"hand wash", ()),
        ("hand cream", r"cream", ()), ("barrier cream", r"barrier", ()), ("soap dispensers", r"dispenser", ()),
    ),
    "paper hygiene": (
        ("paper products", None, ()), ("washroom paper", None, ()), ("hand towels", r"towel", ()),
        ("paper towels", r"towel", ()), ("c-fold", r"c-fold", ()), ("loo roll", r"toilet", ()),
        ("bog roll", r"toilet", ()), ("toilet rolls", r"toilet", ()), ("blue roll", r"wiping|centrefeed", ()),
        ("centrefeed", r"centrefeed", ()), ("jumbo rolls", r"jumbo", ()),
    ),
    "catering disposables": (
        ("disposables", None, ("food hygiene",)), ("catering disposables", None, ()),
        ("takeaway packaging", r"box|container|bowl|wedge|cup|lid", ()), ("napkins", r"napkin", ()),
        ("serviettes", r"napkin", ()), ("food boxes", r"box|clamshell", ()), ("clamshells", r"clamshell", ()),
        ("coffee cups", r"hot cup", ()), ("hot cups", r"hot cup", ()), ("lids", r"lid", ()),
        ("wooden cutlery", r"cutlery", ()), ("straws", r"straw", ()), ("foil trays", r"foil", ()),
        ("cling", r"cling", ()), ("greaseproof", r"greaseproof", ()), ("sandwich wedges", r"sandwich", ()),
        ("pizza boxes", r"pizza", ()), ("stirrers", r"stirrer", ()), ("cold cups", r"cold cup", ()),
        ("smoothie cups", r"cold cup", ()), ("salad bowls", r"salad", ()),
    ),
    "waste bags": (
        ("bin bags", None, ()), ("bin liners", None, ()), ("sacks", None, ()), ("black sacks", r"black|refuse", ()),
        ("refuse sacks", r"refuse", ()), ("caddy liners", r"caddy", ()), ("food waste liners", r"caddy", ()),
        ("clinical waste bags", r"clinical", ()), ("orange bags", r"orange", ()),
    ),
    "packaging": (
        ("packaging", None, ()), ("packing materials", None, ()), ("boxes", r"box", ("catering disposables",)),
        ("cartons", r"box", ()), ("shipping boxes", r"box", ()), ("mailer boxes", r"mailer|postal", ()),
        ("tape", r"tape", ()), ("gummed tape", r"water-activated", ()), ("packing tape", r"packing tape", ()),
        ("pallet wrap", r"stretch", ()), ("stretch film", r"stretch", ()), ("bubble wrap", r"bubble", ()),
        ("void fill", r"void", ()), ("paper mailers", r"mailing bag", ()), ("strapping", r"strapping", ()),
        ("edge boards", r"edge", ()), ("corner protectors", r"edge", ()), ("labels", r"label", ("food hygiene",)),
        ("thermal labels", r"thermal", ()), ("honeycomb paper", r"honeycomb", ()),
    ),
    "lab consumables": (
        ("lab consumables", None, ()), ("lab supplies", None, ()), ("lab plastics", None, ()),
        ("tips", r"pipette tip", ()), ("pipette tips", r"pipette tip", ()), ("eppendorfs", r"microcentrifuge", ()),
        ("eppi tubes", r"microcentrifuge", ()), ("falcon tubes", r"50 ml|conical", ()), ("falcons", r"conical", ()),
        ("petri dishes", r"petri", ()), ("plates", r"petri", ()), ("stripettes", r"serological", ()),
        ("serological pipettes", r"serological", ()), ("cryovials", r"cryogenic", ()), ("lab wipes", r"wipe", ()),
        ("beakers", r"beaker", ()), ("weigh boats", r"weighing", ()), ("sharps bins", r"sharps", ()),
        ("biohazard bags", r"biohazard", ()), ("autoclave bags", r"autoclav", ()), ("pH paper", r"ph indicator", ()),
    ),
    "tools": (
        ("tools", None, ()), ("hand tools", None, ()), ("insulated screwdrivers", r"screwdriver", ()),
        ("VDE screwdrivers", r"vde insulated screwdriver", ()), ("a torque wrench", r"torque", ()),
        ("drill bits", r"drill", ()), ("cobalt bits", r"hss-co", ()), ("safety knives", r"utility knife", ()),
        ("stanley knives", r"utility knife", ()), ("a spirit level", r"spirit level", ()), ("levels", r"spirit level", ()),
        ("tape measures", r"tape measure", ()), ("tapes", r"tape measure", ()), ("a socket set", r"socket", ()),
        ("work lights", r"light", ()), ("LED lamps", r"led", ()), ("cable ties", r"cable ties", ()),
        ("zip ties", r"cable ties", ()), ("step ladders", r"ladder", ()), ("a platform ladder", r"platform", ()),
        ("pliers", r"pliers", ()), ("combi pliers", r"combination pliers", ()),
    ),
}

# -- openings -------------------------------------------------------------------------------------------------
# {kind}: the buyer's word for it; {place}, {crew}, {hazard}: the job (above).
OPEN_KIND: tuple[str, ...] = (
    "kitting out {crew} in {place}, need {kind}",
    "need {kind} for {crew} in {place}",
    "looking for {kind} for {place}",
    "we need {kind} for {crew}, {hazard}",
    "can you sort us out with {kind}? it's for {crew} in {place}",
    "after {kind} for {place}. {hazard}",
    "we need new {kind_bare} for {place}",
    "what do you have in {kind}? it's for {crew}",
    "restocking {kind} for {place}",
    "need to get {crew} some {kind_bare}, {hazard}",
    "looking to switch supplier for {kind}, it's for {place}",
    "quick one - {kind} for {crew} in {place}",
)
OPEN_NEED: tuple[str, ...] = (
    "need something for {crew} in {place}, {hazard}",
    "what have you got for {crew}? {hazard}",
    "kitting out {crew} in {place} - {hazard}, what would you suggest?",
    "we've got {crew} in {place} and {hazard}. what do you recommend?",
    "looking for something for {place}, {hazard}",
)

# -- hard facts -----------------------------------------------------------------------------------------------
# Delivery, by the limit in days: how a buyer says "within D days".
WITHIN: dict[int, tuple[str, ...]] = {
    2: ("within 48 hours", "in two days", "within 2 days", "by the day after tomorrow"),
    3: ("within 3 days", "in three days", "inside 72 hours", "within three days max"),
    5: ("within 5 days", "in five days", "inside five days"),
    7: ("inside a week", "within a week", "within 7 days", "in 5 working days", "in five working days",
        "by next week", "within the week"),
    10: ("within 10 days", "in ten days", "inside ten days"),
    14: ("within a fortnight", "in two weeks", "inside 2 weeks", "within 14 days", "in 10 working days",
         "within 2 wks"),
    21: ("within three weeks", "in 3 weeks", "inside 21 days", "within 3 wks"),
    28: ("within four weeks", "in 4 weeks", "inside 28 days", "within a month"),
    30: ("within a month", "in 30 days", "inside thirty days"),
    42: ("within six weeks", "in 6 weeks", "inside 42 days"),
}
WORKING_DAYS = {"in 5 working days": 5, "in five working days": 5, "in 10 working days": 10}
"""Said only when the target's lead time is within that many days, so either reading is true."""
LEAD_ALL: tuple[str, ...] = (
    "those take too long, we need them {within}", "lead times are no good, has to be with us {within}",
    "can't wait that long, {within} max", "too slow, we need delivery {within}",
    "none of those will get here in time, need them {within}",
)
LEAD_ONE: tuple[str, ...] = (
    "{ref} is {their} - too long, we need them {within}", "{their} on {ref}? no good, need them {within}",
    "{ref} would take {their}, we need it {within}", "can't wait {their} for {ref}, has to be {within}",
)
LEAD_ASK: tuple[str, ...] = ("what's the lead time on {ref}?", "how quick can you get {ref} to us?",
                             "when could {ref} be with us?", "lead time on {ref}?")
LEAD_AFTER: tuple[str, ...] = ("right, {their} is too long for us, we need them {within}",
                               "hmm {their} is no good, has to be {within}", "that's too slow, {within} max")

STOCK_ALL: tuple[str, ...] = ("has to be off the shelf, we can't wait for a build", "need stock items only",
                              "we need it from stock", "only what you've actually got in stock please")
STOCK_ONE: tuple[str, ...] = ("{ref} is {their}, need it off the shelf", "{ref} shows {their}, we need stock items",
                              "no good if {ref} is {their}, has to be in stock")
STOCK_ASK: tuple[str, ...] = ("is {ref} in stock?", "have you got {ref} on the shelf?", "{ref} - available now?")
STOCK_AFTER: tuple[str, ...] = ("ok, if it's {their} that's no good, has to be in stock",
                                "we need stock items, can't wait on {their}")
STOCK_WORDS = {"out_of_stock": ("out of stock", "OOS", "showing out of stock"),
               "made_to_order": ("made to order", "MTO", "a make-to-order job"),
               "preorder": ("pre-order", "not out yet")}

MOQ_ALL: tuple[str, ...] = ("the minimums are too high, we only need {q} {u} at a time",
                            "can't do those MOQs, {q} {u} is the most we'd take in one go",
                            "we only order {q} {u} at a time, no storage space")
MOQ_ONE: tuple[str, ...] = ("MOQ of {their} is no good to us, we only need {q} at a time",
                            "{ref} wants a minimum of {their}, we'd only ever take {q} {u}",
                            "{ref} - {their} minimum? we only use {q} {u} an order",
                            "min order {their} on {ref} is too much, we need {q} {u} max")
MOQ_ASK: tuple[str, ...] = ("what's the minimum order on {ref}?", "what's the MOQ for {ref}?",
                            "is there a minimum on {ref}?")
MOQ_AFTER: tuple[str, ...] = ("{their} minimum is too many, we only need {q} {u}",
                              "ah no, we'd only take {q} {u} at a time")

BUDGET_ALL: tuple[str, ...] = ("too dear at our volumes, has to be under {m} {per}",
                               "way too pricey, we can't go over {m} {per}", "{m} {per} is our ceiling",
                               "anything over {m} {per} won't get signed off", "those are out of budget, max {m} {per}",
                               "we're paying less than that now, need under {m} {per}")
BUDGET_ONE: tuple[str, ...] = ("{ref} at {their} is too dear, need under {m} {per}",
                               "{their} for {ref}? we can't go above {m} {per}",
                               "{ref} is over budget, our limit is {m} {per}")
BUDGET_LOT: tuple[str, ...] = ("we've got {total} for the lot, {q} {u}", "budget is {total} for {q} {u}",
                               "{total} all in for {q} {u}, that's it")
BUDGET_ASK: tuple[str, ...] = ("what would {ref} work out at for {q} {u}?", "is there a volume price on {ref}?",
                               "best price on {ref}?")
BUDGET_AFTER: tuple[str, ...] = ("still too dear, has to be under {m} {per}", "ok that's over what we pay, max {m} {per}")

CERT_ALL: tuple[str, ...] = ("has to be {c} rated", "needs to meet {c}", "must be {c}, our H&S won't budge",
                             "we need {c} on them", "anything we buy has to carry {c}", "{c} is a must")
CERT_ONE: tuple[str, ...] = ("{ref} isn't {c}, we need {c}", "does {ref} even have {c}? has to be {c}",
                             "{ref} is missing {c}, that's a requirement for us")
CERT_ASK: tuple[str, ...] = ("is {ref} {c}?", "what's {ref} certified to?", "does {ref} meet {c}?")
CERT_AFTER: tuple[str, ...] = ("we need {c} though, it's not optional", "no {c} means no, sorry")

PACK_ONE: tuple[str, ...] = ("{ref} is close but we need it in {pack}", "{ref} is nearly there, but we need {pack}",
                             "{ref} comes as {their}, we need {pack}", "{ref} would do but it has to be {pack}")
PACK_ASK: tuple[str, ...] = ("how is {ref} packed?", "what pack size is {ref}?", "does {ref} come in other sizes?")
PACK_AFTER: tuple[str, ...] = ("we need {pack} though", "has to be {pack}, that's what our dispensers take")

MATERIAL_ALL: tuple[str, ...] = ("needs to be {m}", "has to be {m}", "we only use {m}", "{m} please, nothing else")
MATERIAL_ONE: tuple[str, ...] = ("{ref} isn't {m}, we need {m}", "{ref} is the wrong material, has to be {m}")
LATEX_SAY: tuple[str, ...] = ("no latex, we've got allergies on site", "nothing with latex in it", "latex is banned here",
                              "we can't have latex, two of the lads react to it")

COLOUR_ALL: tuple[str, ...] = ("has to be {c}", "{c} only, it's a site rule", "needs to be {c} for the auditors",
                               "we need {c} ones")
COLOUR_ONE: tuple[str, ...] = ("{ref} is the wrong colour, we need {c}", "{ref} would be fine in {c}, has to be {c}")

BRAND_ONE: tuple[str, ...] = ("{ref} is {b} - not that brand, we had issues", "not {b}, we had issues with them",
                              "no {b} please, we had a bad batch", "we don't use {b} anymore, bad experience",
                              "{b} is off our approved list", "anything but {b}, their last lot fell apart")

KIND_ALL: tuple[str, ...] = ("those aren't {kind}", "I need {kind}, not that", "no, it's {kind} I'm after",
                             "wrong thing, we need {kind}", "not what I asked for, {kind} please")
KIND_NARROW: tuple[str, ...] = ("{kind} really", "more specifically {kind}", "what we actually need is {kind}",
                                "it's {kind} we're after")

# -- turning down, moving on ------------------------------------------------------------------------------------
REJECT: tuple[str, ...] = ("No.", "Not those.", "None of these.", "Nope.", "Not quite.", "No good.", "Hmm no.",
                           "Not for us.", "These won't do.", "No, sorry.", "")
MORE_ABOUT: tuple[str, ...] = ("to be clear, {hazard}", "bear in mind {hazard}", "the thing is {hazard}",
                               "it's for {crew} in {place}")
KEEP_LOOKING: tuple[str, ...] = ("what else have you got?", "anything else?", "show me some other options",
                                 "keep going", "any alternatives?", "what else is there?")
VOLUNTEER: tuple[str, ...] = ("oh and {fact}", "also {fact}", "forgot to say, {fact}", "{fact} by the way", "{fact}")
ANSWER_SCENE: tuple[str, ...] = ("it's for {crew} in {place}", "{crew} in {place}, {hazard}", "{hazard}",
                                 "general use in {place}")
NO_COLOUR: tuple[str, ...] = ("colour doesn't matter", "any colour", "don't care about colour")
NO_BUDGET: tuple[str, ...] = ("depends on the price per unit, show me what you've got", "no fixed budget, just keep it sensible")

TYPOS: tuple[tuple[str, str], ...] = (
    (r"\bneed\b", "nead"), (r"\bplease\b", "pls"), (r"\bthanks\b", "thx"), (r"\bminimum\b", "minimun"),
    (r"\bweeks\b", "wks"), (r"\bweek\b", "wk"), (r"\bdelivery\b", "delivary"), (r"\bthose\b", "thsoe"),
    (r"\bquantity\b", "qty"), (r"\babout\b", "abt"), (r"\bwith\b", "w/"), (r"\bbecause\b", "cos"),
    (r"\bsomething\b", "somethin"), (r"\bneeds\b", "neds"), (r"\bstock\b", "stcok"), (r"\bbudget\b", "budjet"),
)

# Chances.
OPENING_NO_KIND = 0.25
"""The opening names no kind of item, only the job (when the target's text gives one)."""
OPENING_FACT = 0.45
"""The opening carries one hard fact (never more)."""
ASK = 0.2
"""A reaction about one card is a question about it first."""
LOWERCASE = 0.3
TERSE = 0.3
TYPO = 0.2
GREETING = 0.5
SIGN_OFF = 0.15
WEIGHTS = {"kind": 6.0, "budget": 3.0, "lead": 2.5, "stock": 1.5, "moq": 2.0, "cert": 2.0, "pack": 1.5,
           "material": 1.2, "latex": 1.0, "colour": 1.2, "brand": 0.6}
OPENING_WEIGHTS = {"budget": 3.0, "lead": 2.0, "moq": 2.0, "cert": 1.5, "stock": 1.0}

_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
         "seventeen eighteen nineteen").split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
LEAD_STEPS: tuple[int, ...] = (2, 3, 5, 7, 10, 14, 21, 28, 30, 42)
QTY_STEPS: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 24, 25, 30, 36, 40, 48, 50, 60, 75, 80, 100, 120,
                              144, 150, 200, 250, 300, 400, 500, 600, 750, 1000, 1500, 2000, 5000)
CURRENCY = {"EUR": ("€", ("euro", "euros", "eur", "EUR")), "GBP": ("£", ("quid", "pounds", "GBP")),
            "USD": ("$", ("dollars", "bucks", "USD"))}

# ================================================================================================
# Words for numbers, money, units
# ================================================================================================


def words_for(n: int) -> str:
    """English words for ``0 <= n < 1000``: 21 -> 'twenty-one', 144 -> 'one hundred and forty-four'."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("-" + _ONES[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        return _ONES[n // 100] + " hundred" + (" and " + words_for(rest) if rest else "")
    return str(n)


def say_count(n: int, rng: random.Random) -> str:
    """144 -> '144' or 'one hundred and forty-four'; 1000 -> '1000', '1,000' or '1k'."""
    r = rng.random()
    if n >= 1000 and n % 1000 == 0 and r < 0.3:
        return f"{n // 1000}k"
    if n >= 1000 and r < 0.6:
        return f"{n:,}"
    if n <= 100 and r < 0.25:
        return words_for(n)
    return str(n)


def say_amount(amount: float, currency: str, rng: random.Random) -> str:
    """A unit price as a buyer types it: '€4', '4€', '4 euro', '3,50 €', '3.50 eur', '90 cent', 'a fiver'."""
    symbol, names = CURRENCY.get(currency.upper(), ("", ("",)))
    whole = float(amount).is_integer()
    number = f"{int(amount)}" if whole else f"{amount:.2f}"
    if not whole and rng.random() < 0.35:
        number = number.replace(".", ",")
    if currency.upper() == "GBP" and amount in (5, 10) and rng.random() < 0.4:
        return "a fiver" if amount == 5 else "a tenner"
    if amount < 1 and symbol and rng.random() < 0.4:
        return f"{round(amount * 100)}{'p' if currency.upper() == 'GBP' else ' cent'}"
    if not symbol:
        return number
    style = rng.random()
    if style < 0.35:
        return f"{symbol}{number}"
    if style < 0.5:
        return f"{number}{symbol}"
    if style < 0.6:
        return f"{number} {symbol}"
    if whole and amount <= 100 and style < 0.7:
        return f"{words_for(int(amount))} {names[min(1, len(names) - 1)]}"
    return f"{number} {rng.choice(names)}"


def price_ceiling(price: float, rng: random.Random) -> float:
    """A round ceiling a little above ``price`` (always above it): 3.20 -> 3.5 or 4, 38.40 -> 40 or 45."""
    value = price * rng.uniform(1.03, 1.3)
    step = 0.05 if value < 1 else 0.5 if value < 10 else 5 if value < 100 else 10 if value < 300 else 50
    ceiling = math.ceil(round(value / step, 9)) * step
    if ceiling <= price:
        ceiling += step
    return round(ceiling, 2)


@dataclass(frozen=True)
class Pack:
    container: str
    """'box', 'pack', 'case', 'can' ... ('' for a single unit or a pair)."""
    count: str
    """'100', '5 L', '12 pairs' ('' when none)."""
    phrase: str
    """The catalog's own pack_size, lower case (the constraint's term)."""


def pack_of(raw: str) -> Pack:
    raw = raw.strip().lower()
    if m := re.match(r"^(?:dispenser )?(box|pack|case|bundle|tub|rack|bag|roll pack) of ([\d,]+(?: pairs| rolls| sets)?)", raw):
        return Pack(m.group(1), m.group(2), m.group(0))
    if m := re.match(r"^(\d+(?:\.\d+)?) ?(l|ml) (can|drum|bottle|box|cartridge|trigger bottle|pump bottle)$", raw):
        return Pack(m.group(3).split()[-1], f"{m.group(1)} {m.group(2).upper() if m.group(2) == 'l' else m.group(2)}",
                    raw)
    return Pack("", "", raw)


def per_unit(pack: Pack, raw: str, rng: random.Random, price: float = 0.0) -> tuple[str, str]:
    """('a box', 'boxes'): how a price is said per selling unit, and the unit counted in orders. A
    bundle, or a pack of many priced under 1.50, is priced per piece (postal boxes at 0.48 'bundle of
    50'): the buyer then says 'each'."""
    count = re.match(r"[\d,]+", pack.count or "")
    per_piece = pack.container == "bundle" or (
        count is not None and int(count.group(0).replace(",", "")) >= 10 and 0 < price < 1.5)
    if pack.container and not per_piece:
        noun = pack.container.split()[-1]
        plural = _plural(noun)
        return rng.choice((f"a {noun}", f"per {noun}")), plural
    raw = raw.lower()
    if raw == "pair":
        return rng.choice(("a pair", "per pair")), "pairs"
    for noun in ("roll", "set", "kit", "station", "coil"):
        if raw.startswith(noun) and not per_piece:
            return rng.choice((f"a {noun}", f"per {noun}")), noun + "s"
    return rng.choice(("each", "a unit", "per unit", "ea")), rng.choice(("units", "of them", "pcs"))


def pack_words(pack: Pack, rng: random.Random) -> str:
    """How a buyer asks for the target's pack: 'boxes of 100', '100 to a box', '5 litre cans', '5L cans'."""
    if pack.container in ("can", "drum", "bottle", "cartridge") or pack.count.endswith(("L", "ml")):
        n, unit = pack.count.split()
        litre = unit == "L"
        unit_words = rng.choice(("litre", "ltr", "L")) if litre else rng.choice(("ml", "mil"))
        sep = "" if unit_words in ("L", "ml") and rng.random() < 0.5 else " "
        return f"{n}{sep}{unit_words} {_plural(pack.container)}"
    count = pack.count.replace(",", "")
    number, _, rest = count.partition(" ")
    shown = say_count(int(number), rng) if number.isdigit() else number
    tail = f" {rest}" if rest else ""
    plural = _plural(pack.container)
    return rng.choice((f"{plural} of {shown}{tail}", f"{shown}{tail} to a {pack.container}",
                       f"a {pack.container} of {shown}{tail}", f"{pack.container} of {shown}{tail}"))


def days_words(days: int, rng: random.Random) -> str:
    """A card's own lead time: 21 -> '21 days', 'three weeks', 'a 21 day lead', '3 wks'."""
    options = [f"{days} days", f"{words_for(days)} days", f"a {days} day lead time"]
    if days % 7 == 0 and days >= 14:
        w = days // 7
        options += [f"{words_for(w)} weeks", f"{w} wks", f"{w} weeks out"]
    if days == 7:
        options += ["a week"]
    return rng.choice(options)


_CERT = re.compile(r"\b((?:DIN EN ISO|EN ISO|DIN EN|BS EN|EN|ISO|DIN|IEC) \d{3,5}(?:-\d+)?)")
_LABELS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("eu ecolabel", ("EU Ecolabel", "the Ecolabel", "ecolabel")), ("fsc", ("FSC", "FSC certified", "fsc")),
    ("nordic swan", ("Nordic Swan",)), ("blue angel", ("Blue Angel",)), ("oeko-tex", ("OEKO-TEX", "Oekotex")),
    ("gots", ("GOTS",)), ("en 13432", ("EN 13432", "EN13432", "compostable to EN 13432")),
)


def cert_forms(token: str, rng: random.Random) -> str:
    """'EN 388' said as 'EN 388', 'EN388', 'en388', 'EN 388' ... 'EN ISO 20345' also as 'ISO 20345'."""
    m = re.match(r"^(.*?)(\d[\d-]*)$", token)
    if not m:
        return token
    prefix, number = m.group(1).strip(), m.group(2)
    options = [token, token.lower()]
    if prefix in ("EN", "ISO", "DIN", "IEC"):
        options += [f"{prefix}{number}", f"{prefix.lower()}{number}"]
    if prefix.endswith(" ISO"):
        options += [f"ISO {number}", f"EN{number}"]
    return rng.choice(options)


# ================================================================================================
# What the buyer knows (each fact read from the target's own fields)
# ================================================================================================


@dataclass(frozen=True)
class BuyerFacts:
    kinds: tuple[tuple[str, tuple[str, ...], bool], ...]
    """(phrase, categories it covers, specific: from the title rather than the category)."""
    places: tuple[str, ...]
    crews: tuple[str, ...]
    hazards: tuple[str, ...]
    lead_limit: int | None = None
    lead_phrase: str = ""
    stock: bool = False
    quantity: int | None = None
    budget: float | None = None
    cert: str = ""
    """The catalog's form, lower case ('en 388'), '' when none."""
    cert_said: tuple[str, ...] = ()
    pack: Pack | None = None
    material: str = ""
    latex_free: bool = False
    colour: str = ""


B2B_MATERIALS: tuple[str, ...] = ("nitrile", "vinyl", "leather", "aramid", "polycotton", "organic cotton", "cotton",
                                  "merino", "microfibre", "bagasse", "birch", "kraft paper", "aluminium", "hdpe",
                                  "borosilicate glass", "polypropylene", "polythene", "recycled polyester")
COLOURS: tuple[str, ...] = ("blue", "white", "black", "orange", "clear", "yellow", "green", "red", "grey")


def _title_has(item: Item, pattern: str | None) -> bool:
    return pattern is None or bool(re.search(pattern, (item.title + " " + item.description[:0]).lower()))


def buyer_facts(target: Item, rng: random.Random) -> BuyerFacts:
    text = target.text().lower()
    cat = target.category
    kinds: list[tuple[str, tuple[str, ...], bool]] = []
    for phrase, condition, extra in BUYER_KINDS.get(cat, ()):
        if _title_has(target, condition):
            kinds.append((phrase, tuple(sorted({cat, *extra})), condition is not None))
    if cat and not kinds:
        kinds.append((cat, (cat,), False))
    # One job (a place and its people, from the first cue the text gives: the table runs from the most
    # specific jobs to the most general), and the hazards
    # of the first two cues: a buyer talks about one site, not every use the item could have.
    scenes = [(places, crews) for pattern, places, crews in SCENES if re.search(rf"\b(?:{pattern})", text)]
    places, crews = scenes[0] if scenes else SCENE_FALLBACK
    hazards = tuple(h for _, hs in [(p, hs) for p, hs in HAZARDS if re.search(rf"\b(?:{p})", text)][:2] for h in hs)
    attrs = target.attributes
    lead_limit, lead_phrase = None, ""
    lead = _number(attrs.get("lead_time_days"))
    if lead is not None:
        steps = [s for s in LEAD_STEPS if s >= lead]
        if steps:
            lead_limit = steps[min(int(rng.random() < 0.35), len(steps) - 1)]
            phrases = [p for p in WITHIN[lead_limit] if WORKING_DAYS.get(p, lead) >= lead]
            lead_phrase = rng.choice(phrases)
    moq = _number(attrs.get("moq"))
    quantity = None
    if moq and moq > 0:
        wanted = moq * rng.choice((1, 1.5, 2, 3, 5))
        quantity = next((q for q in QTY_STEPS if q >= wanted), int(math.ceil(wanted)))
    budget = price_ceiling(target.price, rng) if target.price > 0 else None
    cert, cert_said = "", ()
    raw = str(attrs.get("certifications", "") or "")
    tokens = [m.group(1) for m in _CERT.finditer(raw)]
    tokens = [t for t in tokens if mentions_positively(text, t.lower())]
    if tokens:
        token = tokens[0] if rng.random() < 0.7 else rng.choice(tokens)
        cert, cert_said = token.lower(), (token,)
    else:
        for key, forms in _LABELS:
            if key in raw.lower() and mentions_positively(text, key):
                cert, cert_said = key, forms
                break
    pack = pack_of(str(attrs.get("pack_size", "")))
    if not pack.container or not mentions_positively(text, pack.phrase):
        pack = None
    material_raw = str(attrs.get("material", "")).lower()
    found = sorted((material_raw.index(m), m) for m in B2B_MATERIALS
                   if m in material_raw and mentions_positively(material_raw, m) and mentions_positively(text, m))
    material = found[0][1] if found else ""
    latex_free = not mentions_positively(text, "latex") and cat in ("safety gloves", "food hygiene", "first aid")
    colour = next((c for c in COLOURS if re.search(rf"\b{c}\b", target.title.lower()) and mentions_positively(text, c)),
                  "")
    return BuyerFacts(kinds=tuple(kinds), places=places, crews=crews, hazards=hazards, lead_limit=lead_limit,
                      lead_phrase=lead_phrase, stock=target.shippable, quantity=quantity, budget=budget, cert=cert,
                      cert_said=cert_said, pack=pack, material=material, latex_free=latex_free, colour=colour)


def _number(value: object) -> float | None:
    try:
        return float(value) if value is not None and str(value).strip() != "" else None
    except (TypeError, ValueError):
        return None


def names_title(text: str, target: Item) -> bool:
    return any(name and re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text, flags=re.IGNORECASE)
               for name in (target.title, target.id))


# ================================================================================================
# The buyer
# ================================================================================================


@dataclass
class Issue:
    """A fact of the target that some shown cards break."""

    fact: str
    cards: list[int]
    """Positions (0-based) of the shown cards that break it."""
    weight: float


@dataclass
class Pending:
    """A question asked about one card: the fact its answer settles, said on the next turn."""

    issue: Issue
    shown: list[Item] = field(default_factory=list)


class BuyerShopper(StatesTruths):
    """A procurement buyer who wants ``target`` (module docstring). Same interface as
    :class:`apps.evaluation.shopper.FreeShopper`."""

    def __init__(self, target: Item, catalog: dict[str, Item], domain: str = "b2b",
                 rng: random.Random | None = None):
        self.target = target
        self.catalog = catalog
        self.rng = rng if rng is not None else random.Random(f"buyer:{target.id}")
        self.facts = buyer_facts(target, self.rng)
        rng = self.rng
        self.terse = rng.random() < TERSE
        self.lowercase = rng.random() < LOWERCASE
        self.greets = rng.random() < (GREETING if not self.terse else 0.15)
        self.crew_size = rng.choice(CREW_SIZES)
        self.place = rng.choice(self.facts.places)
        self.crew = rng.choice(self.facts.crews)
        self.stated: set[str] = set()
        """Facts said so far: 'category', 'lead', 'stock', 'moq', 'budget', 'cert', 'pack', 'material',
        'latex', 'colour', 'brand:<b>', 'specific', 'scene', 'hazard:<h>'."""
        self.constraints = Constraints()
        """The hard constraints stated so far (what ``violations`` is measured against)."""
        self.said: list[tuple[str, str, str]] = []
        """Every move, as (kind, template, words): for tests of variety and of what was referenced."""
        self.refused: list[str] = []
        self.kind_said = ""
        self.pending: Pending | None = None
        self.questions = 0
        self.last_shown: list[Item] = []
        self.referenced: list[tuple[str, str, str]] = []
        """(fact, card id, the card's fact as repeated) for every reaction that named a card's own fact."""

    # -- bookkeeping ----------------------------------------------------------------------------

    def _pick(self, move: str, table: Sequence[str], /, **values) -> str:
        template = self.rng.choice(list(table))
        words = template.format(**values)
        self.said.append((move, template, words))
        return words

    def _crew(self) -> str:
        n = str(self.crew_size) if self.rng.random() < 0.6 else words_for(self.crew_size)
        return self.crew.format(n=n)

    def _hazard(self) -> str:
        unsaid = [h for h in self.facts.hazards if f"hazard:{h}" not in self.stated]
        if not unsaid:
            return ""
        h = self.rng.choice(unsaid)
        self.stated.add(f"hazard:{h}")
        return h

    # -- the facts, each returning its constraint words or '' -----------------------------------

    def _kind(self, specific: bool = False) -> str:
        kinds = [k for k in self.facts.kinds if k[0] != self.kind_said]
        if specific:
            kinds = [k for k in kinds if k[2]]
        if not kinds:
            return ""
        phrase, covers, is_specific = self.rng.choice(kinds)
        if not self._apply("category", categories=list(covers)):
            return ""
        if is_specific:
            self.stated.add("specific")
        self.kind_said = phrase
        return phrase

    def _within(self) -> str:
        f = self.facts
        if f.lead_limit is None or not self._apply("lead", max_lead_time_days=f.lead_limit):
            return ""
        return f.lead_phrase

    def _stock(self) -> bool:
        return self.facts.stock and self._apply("stock", in_stock_only=True)

    def _moq(self) -> str:
        q = self.facts.quantity
        if q is None or not self._apply("moq", max_moq=q):
            return ""
        return say_count(q, self.rng)

    def _budget(self) -> str:
        b = self.facts.budget
        if b is None or not self._apply("budget", budget_max=b):
            return ""
        return say_amount(b, self.target.currency, self.rng)

    def _cert(self) -> str:
        f = self.facts
        if not f.cert or not self._apply("cert", must_have=_plus(self.constraints.must_have, f.cert)):
            return ""
        said = self.rng.choice(list(f.cert_said))
        return cert_forms(said, self.rng) if said == f.cert_said[0] and len(f.cert_said) == 1 else said

    def _pack(self) -> str:
        p = self.facts.pack
        if p is None or not self._apply("pack", must_have=_plus(self.constraints.must_have, p.phrase)):
            return ""
        return pack_words(p, self.rng)

    def _material(self) -> str:
        m = self.facts.material
        if not m or not self._apply("material", must_have=_plus(self.constraints.must_have, m)):
            return ""
        return m

    def _latex(self) -> bool:
        return self.facts.latex_free and self._apply("latex", exclude_terms=_plus(self.constraints.exclude_terms, "latex"))

    def _colour(self) -> str:
        c = self.facts.colour
        if not c or not self._apply("colour", must_have=_plus(self.constraints.must_have, c)):
            return ""
        return c

    def _brand(self, brand: str) -> bool:
        return (bool(brand) and brand.lower() != self.target.brand.lower()
                and self._apply(f"brand:{brand}", brands_out=_plus(self.constraints.brands_out, brand)))

    def _per(self) -> tuple[str, str]:
        pack = pack_of(str(self.target.attributes.get("pack_size", "")))
        return per_unit(pack, str(self.target.attributes.get("pack_size", "")), self.rng, self.target.price)

    # -- a fact said on its own (opening, volunteered, answer) ----------------------------------

    def _fact_alone(self, fact: str) -> str:
        if fact == "lead":
            w = self._within()
            return self._pick("lead", ("need them {w}", "has to be with us {w}", "delivery {w} please",
                                       "we need delivery {w}"), w=w) if w else ""
        if fact == "stock":
            return self._pick("stock", STOCK_ALL) if self._stock() else ""
        if fact == "moq":
            per, units = self._per()
            q = self._moq()
            return self._pick("moq", ("we only need {q} {u} at a time", "we'd order {q} {u} max per drop",
                                      "it's {q} {u} an order, no more", "can't take more than {q} {u} in one go"),
                              q=q, u=units) if q else ""
        if fact == "budget":
            per, units = self._per()
            q = self.facts.quantity
            if q and "moq" not in self.stated and self.rng.random() < 0.25 and self.facts.budget:
                total = math.ceil(self.facts.budget * q)
                unit_budget = total / q
                if unit_budget >= self.target.price and self._apply(
                        "budget", budget_max=unit_budget, budget_lot=(float(total), float(q), units)):
                    m = say_amount(float(total), self.target.currency, self.rng)
                    return self._pick("budget", BUDGET_LOT, total=m, q=say_count(q, self.rng), u=units)
            m = self._budget()
            return self._pick("budget", ("need to be under {m} {per}", "{m} {per} max", "budget is {m} {per}",
                                         "can't go over {m} {per}", "{m} {per} tops"), m=m, per=per) if m else ""
        if fact == "cert":
            c = self._cert()
            return self._pick("cert", CERT_ALL, c=c) if c else ""
        if fact == "pack":
            p = self._pack()
            return self._pick("pack", ("need them in {pack}", "{pack} please", "has to be {pack}"), pack=p) if p else ""
        if fact == "material":
            m = self._material()
            return self._pick("material", MATERIAL_ALL, m=m) if m else ""
        if fact == "latex":
            return self._pick("latex", LATEX_SAY) if self._latex() else ""
        if fact == "colour":
            c = self._colour()
            return self._pick("colour", COLOUR_ALL, c=c) if c else ""
        return ""

    # -- composing ---------------------------------------------------------------------------------

    def _finish(self, parts: Sequence[str]) -> str:
        parts = [p.strip() for p in parts if p and p.strip()]
        if self.terse:
            text = ", ".join(p.rstrip(".") for p in parts)
        else:
            text = " ".join((p[:1].upper() + p[1:]) + ("" if p[-1] in ".?!" else ".") for p in parts)
        if self.rng.random() < TYPO:
            candidates = [(pattern, typo) for pattern, typo in TYPOS if re.search(pattern, text)]
            if candidates:
                pattern, typo = self.rng.choice(candidates)
                text = re.sub(pattern, typo, text, count=1)
                self.said.append(("typo", pattern, typo))
        if self.lowercase:
            text = text.lower()
        for name in (self.target.title, self.target.id):
            if name and not name.isdigit():
                text = re.sub(rf"(?<![\w-]){re.escape(name)}(?![\w-])", "that", text, flags=re.IGNORECASE)
        return text

    def _ref(self, shown: list[Item], i: int) -> str:
        """A card named the way a buyer would: by position or by brand."""
        n = len(shown)
        options = [("the first one", "the 1st one", "the top one", "number 1", "option 1")[self.rng.randrange(5)]
                   if i == 0 else
                   ("the second one", "the 2nd one", "number 2", "option 2", "the middle one" if n == 3 else "the second")
                   [self.rng.randrange(5)] if i == 1 else
                   ("the third one", "the 3rd one", "number 3", "option 3", "the last one" if i == n - 1 else "the third")
                   [self.rng.randrange(5)]]
        brand = shown[i].brand
        if brand and sum(1 for s in shown if s.brand == brand) == 1:
            options.append(self.rng.choice((f"the {brand} one", f"the {brand} ones", brand)))
        return self.rng.choice(options)

    # -- the opening ---------------------------------------------------------------------------

    def opening(self) -> str:
        rng, f = self.rng, self.facts
        hazard = self._hazard() or "it's for general use"
        slots = {"place": self.place, "crew": self._crew(), "hazard": hazard}
        self.stated.add("scene")
        if f.hazards and rng.random() < OPENING_NO_KIND:
            head = self._pick("opening", OPEN_NEED, **slots)
        else:
            kinds = [k for k in f.kinds if not k[2]] if rng.random() < 0.6 else list(f.kinds)
            phrase, covers, specific = rng.choice(kinds or list(f.kinds))
            if self._apply("category", categories=list(covers)):
                self.kind_said = phrase
                if specific:
                    self.stated.add("specific")
                bare = re.sub(r"^(?:an?|some) ", "", phrase)  # 'new PPE', not 'new some PPE'
                head = self._pick("opening", OPEN_KIND, kind=phrase, kind_bare=bare, **slots)
            else:
                head = self._pick("opening", OPEN_NEED, **slots)
        parts = [head]
        if rng.random() < OPENING_FACT:
            pool = [k for k in OPENING_WEIGHTS if self._can(k)]
            if pool:
                fact = rng.choices(pool, weights=[OPENING_WEIGHTS[k] for k in pool])[0]
                words = self._fact_alone(fact)
                if words:
                    parts.append(words)
        text = self._finish(parts)
        if self.greets:
            sep = rng.choice((", ", " - ", ". "))
            if sep != ". " and not text.startswith("I "):
                text = text[:1].lower() + text[1:]
            text = rng.choice(GREETINGS) + sep + text
        return text

    def _can(self, fact: str) -> bool:
        f = self.facts
        return fact not in self.stated and {
            "lead": f.lead_limit is not None, "stock": f.stock, "moq": f.quantity is not None,
            "budget": f.budget is not None, "cert": bool(f.cert), "pack": f.pack is not None,
            "material": bool(f.material), "latex": f.latex_free, "colour": bool(f.colour),
        }.get(fact, False)

    # -- answering -------------------------------------------------------------------------------

    def respond(self, turn: AgentTurn) -> UserReply:
        shown = [self.catalog[i] for i in turn.item_ids if i in self.catalog]
        if self.target.id in turn.item_ids:
            return UserReply(self._finish([self.rng.choice(("that's the one", "perfect, send me a quote",
                                                            "yes, that'll do"))]))
        if self.pending is not None:
            return self._after_question(shown, turn.item_ids)
        if turn.act == "ask":
            return UserReply(self.answer(turn.asked or ""))
        if shown:
            self.last_shown = shown
            return self.react(shown)
        return UserReply(self._finish([self._pick("show", ("what have you got?", "show me some options",
                                                           "can I see a few?"))]))

    def answer(self, attribute: str) -> str:
        """A clarifying question answered truthfully."""
        if attribute == "category":
            kind = self._kind() or self.kind_said
            return self._finish([kind or "not sure, what would you suggest?"])
        if attribute == "budget":
            words = self._fact_alone("budget")
            return self._finish([words or self.rng.choice(NO_BUDGET)])
        if attribute == "colour":
            words = self._fact_alone("colour")
            return self._finish([words or self.rng.choice(NO_COLOUR)])
        if attribute in ("occasion", "style", "recipient"):
            hazard = self._hazard() or "it's for general use"
            return self._finish([self._pick("answer", ANSWER_SCENE, crew=self._crew(), place=self.place,
                                            hazard=hazard)])
        return self._finish([self._pick("show", KEEP_LOOKING)])

    def issues(self, shown: list[Item]) -> list[Issue]:
        """Facts of the target, not yet said, that some shown cards break (by their catalog facts)."""
        f, out = self.facts, []
        cats = set(self.constraints.categories) or {self.target.category}
        wrong_kind = [i for i, s in enumerate(shown) if s.category not in cats]
        in_kind = [i for i in range(len(shown)) if i not in wrong_kind]
        if wrong_kind and ("category" not in self.stated or "kind-again" not in self.stated or not in_kind):
            out.append(Issue("kind", wrong_kind, WEIGHTS["kind"]))
        same = [i for i, s in enumerate(shown) if s.category == self.target.category]

        def breaking(fact: str, probe: Constraints, among: Sequence[int] | None = None) -> None:
            """A complaint is about cards of the kind wanted (nobody argues the lead time of goggles
            when they asked for ear plugs)."""
            if not self._can(fact):
                return
            idx = [i for i in (in_kind if among is None else among) if probe.violations(shown[i])]
            if idx:
                out.append(Issue(fact, idx, WEIGHTS[fact]))

        if f.budget is not None:
            breaking("budget", Constraints(budget_max=f.budget))
        if f.lead_limit is not None:
            breaking("lead", Constraints(max_lead_time_days=f.lead_limit))
        if f.stock:
            breaking("stock", Constraints(in_stock_only=True))
        if f.quantity is not None:
            breaking("moq", Constraints(max_moq=f.quantity))
        if f.cert:
            breaking("cert", Constraints(must_have=[f.cert]), same or None)
        if f.pack is not None:
            breaking("pack", Constraints(must_have=[f.pack.phrase]), same)
        if f.material:
            breaking("material", Constraints(must_have=[f.material]), same)
        if f.latex_free:
            breaking("latex", Constraints(exclude_terms=["latex"]))
        if f.colour:
            breaking("colour", Constraints(must_have=[f.colour]), same)
        brands = [i for i, s in enumerate(shown) if s.brand and s.brand.lower() != self.target.brand.lower()
                  and f"brand:{s.brand}" not in self.stated]
        if brands:
            out.append(Issue("brand", brands[:1], WEIGHTS["brand"]))
        return out

    def _turned_down(self, shown: list[Item], everything: bool) -> tuple[str, ...]:
        """The cards a message turns down: all of them when it says no to all ('None of these', 'what
        else have you got?'), otherwise those that break what has been stated (the card complained
        about, and any other the stated limit rules out). A card the message says nothing against
        is not turned down ('the second one is close but...' says nothing against the first)."""
        return tuple(s.id for s in shown if everything or self.constraints.violations(s))

    def react(self, shown: list[Item]) -> UserReply:
        """Turn the shown cards down, with one real difference between them and the target stated."""
        rng = self.rng
        no = rng.choice(REJECT) if rng.random() < 0.5 else ""
        everything = bool(no)
        options = self.issues(shown)
        # The wrong kind of thing comes first when nothing shown is of the kind wanted; beside cards
        # of the right kind, a stray one is rarely what a buyer talks about.
        kind_first = [o for o in options if o.fact == "kind" and len(o.cards) == len(shown)]
        for o in options:
            if o.fact == "kind" and not kind_first:
                o.weight = 0.5
        if kind_first:
            words = self._say_issue(kind_first[0], shown)
            if words:
                return UserReply(self._finish([no, words]), self._turned_down(shown, True))
            options = [o for o in options if o.fact != "kind"]
        while options:
            i = rng.choices(range(len(options)), weights=[o.weight for o in options])[0]
            issue = options.pop(i)
            askable = issue.fact in ("lead", "stock", "moq", "cert", "pack", "budget")
            if askable and len(issue.cards) < len(shown) and self.questions < 2 and rng.random() < ASK:
                question = self._ask(issue, shown)
                if question:
                    self.pending = Pending(issue, shown)
                    self.questions += 1
                    return UserReply(self._finish([question]), ())
            words = self._say_issue(issue, shown)
            if words:
                every = len(issue.cards) == len(shown) and issue.fact != "brand"
                return UserReply(self._finish([no, words]), self._turned_down(shown, everything or every))
        return UserReply(self._finish([no, self._soft()]), self._turned_down(shown, True))

    def _ask(self, issue: Issue, shown: list[Item]) -> str:
        card = issue.cards[0]
        ref = self._ref(shown, card)
        table = {"lead": LEAD_ASK, "stock": STOCK_ASK, "moq": MOQ_ASK, "cert": CERT_ASK, "pack": PACK_ASK,
                 "budget": BUDGET_ASK}[issue.fact]
        per, units = self._per()
        c = self.facts.cert_said[0] if self.facts.cert_said else ""
        q = say_count(self.facts.quantity, self.rng) if self.facts.quantity else "100"
        return self._pick(f"ask:{issue.fact}", table, ref=ref, c=c, q=q, u=units)

    def _after_question(self, shown: list[Item], shown_ids: Sequence[str]) -> UserReply:
        """The turn after a question: the fact its answer settled, and the cards turned down."""
        pending, self.pending = self.pending, None
        asked = pending.shown
        item = asked[pending.issue.cards[0]]
        fact = pending.issue.fact
        their = self._their(fact, item)
        self.referenced.append((fact, item.id, their))
        per, units = self._per()
        words = ""
        if fact == "lead":
            w = self._within()
            words = self._pick("after:lead", LEAD_AFTER, their=their, within=w) if w else ""
        elif fact == "stock":
            words = self._pick("after:stock", STOCK_AFTER, their=their) if self._stock() else ""
        elif fact == "moq":
            q = self._moq()
            words = self._pick("after:moq", MOQ_AFTER, their=their, q=q, u=units) if q else ""
        elif fact == "cert":
            c = self._cert()
            words = self._pick("after:cert", CERT_AFTER, c=c) if c else ""
        elif fact == "pack":
            p = self._pack()
            words = self._pick("after:pack", PACK_AFTER, pack=p) if p else ""
        elif fact == "budget":
            m = self._budget()
            words = self._pick("after:budget", BUDGET_AFTER, m=m, per=per) if m else ""
        if shown and not words:
            self.last_shown = shown
            return self.react(shown)
        rejected = self._turned_down(asked + shown, not words)
        return UserReply(self._finish([words or self._soft()]), tuple(dict.fromkeys(rejected)))

    def _their(self, fact: str, item: Item) -> str:
        """The card's own catalog fact, as the buyer repeats it."""
        a = item.attributes
        if fact == "lead":
            lead = _number(a.get("lead_time_days"))
            return days_words(int(lead), self.rng) if lead is not None else self.rng.choice(STOCK_WORDS.get(
                item.availability, ("not in stock",)))
        if fact == "stock":
            return self.rng.choice(STOCK_WORDS.get(item.availability, (item.availability.replace("_", " "),)))
        if fact == "moq":
            moq = _number(a.get("moq"))
            return say_count(int(moq), self.rng) if moq is not None else ""
        if fact == "budget":
            return say_amount(item.price, item.currency, self.rng)
        if fact == "pack":
            return str(a.get("pack_size", "")).lower()
        return ""

    def _say_issue(self, issue: Issue, shown: list[Item]) -> str:
        rng, fact = self.rng, issue.fact
        every = len(issue.cards) == len(shown)
        card = rng.choice(issue.cards)
        item = shown[card]
        ref = self._ref(shown, card)
        their = self._their(fact, item)
        self.referenced.append((fact, item.id, their))
        per, units = self._per()
        if fact == "kind":
            self.stated.add("kind-again")
            kind = self._kind(specific="category" in self.stated and rng.random() < 0.5) or self._kind()
            return self._pick("kind", KIND_ALL if "category" not in self.stated or every else KIND_NARROW,
                              kind=kind) if kind else ""
        if fact == "lead":
            w = self._within()
            return self._pick("lead", LEAD_ALL if every else LEAD_ONE, ref=ref, their=their, within=w) if w else ""
        if fact == "stock":
            return self._pick("stock", STOCK_ALL if every else STOCK_ONE, ref=ref, their=their) if self._stock() else ""
        if fact == "moq":
            q = self._moq()
            return self._pick("moq", MOQ_ALL if every else MOQ_ONE, ref=ref, their=their, q=q, u=units) if q else ""
        if fact == "budget":
            words = self._fact_alone("budget") if every and rng.random() < 0.3 else ""
            if words:
                return words
            m = self._budget()
            return self._pick("budget", BUDGET_ALL if every else BUDGET_ONE, ref=ref, their=their, m=m,
                              per=per) if m else ""
        if fact == "cert":
            c = self._cert()
            return self._pick("cert", CERT_ALL if every else CERT_ONE, ref=ref, c=c) if c else ""
        if fact == "pack":
            p = self._pack()
            return self._pick("pack", PACK_ONE, ref=ref, their=their, pack=p) if p else ""
        if fact == "material":
            m = self._material()
            return self._pick("material", MATERIAL_ALL if every else MATERIAL_ONE, ref=ref, m=m) if m else ""
        if fact == "latex":
            return self._pick("latex", LATEX_SAY) if self._latex() else ""
        if fact == "colour":
            c = self._colour()
            return self._pick("colour", COLOUR_ALL if every else COLOUR_ONE, ref=ref, c=c) if c else ""
        if fact == "brand":
            if not self._brand(item.brand):
                return ""
            return self._pick("brand", BRAND_ONE, ref=ref, b=item.brand)
        return ""

    def _soft(self) -> str:
        """Nothing shown breaks a fact left: more about the job, a narrower kind, a fact volunteered,
        or other options."""
        rng = self.rng
        moves = []
        if any(f"hazard:{h}" not in self.stated for h in self.facts.hazards):
            moves.append("hazard")
        if any(k[2] and k[0] != self.kind_said for k in self.facts.kinds) and "specific" not in self.stated:
            moves.append("specific")
        if any(self._can(k) for k in ("lead", "stock", "moq", "budget", "cert", "pack", "material", "colour")):
            moves.append("volunteer")
        move = rng.choice(moves) if moves else "more"
        if move == "hazard":
            return self._pick("soft", MORE_ABOUT, hazard=self._hazard(), crew=self._crew(), place=self.place)
        if move == "specific":
            kind = self._kind(specific=True)
            if kind:
                return self._pick("kind", KIND_NARROW, kind=kind)
        if move == "volunteer":
            for fact in rng.sample(["lead", "stock", "moq", "budget", "cert", "pack", "material", "colour"], 8):
                if self._can(fact):
                    words = self._fact_alone(fact)
                    if words:
                        return self._pick("volunteer", VOLUNTEER, fact=words)
        return self._pick("more", KEEP_LOOKING)


def _plural(noun: str) -> str:
    return noun + ("es" if noun.endswith(("x", "s", "sh", "ch")) else "s")


def _plus(values: Sequence[str], *more: str) -> list[str]:
    out = list(values)
    out += [m for m in more if m not in out]
    return out
