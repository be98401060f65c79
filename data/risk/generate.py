"""Generate data/risk/train.jsonl: synthetic risk passages for riskflag's risk model.

Run from anywhere:  python data/risk/generate.py
Deterministic (fixed seed), stdlib only, no network. Writes train.jsonl ONLY.
data/risk/eval_fresh.jsonl is hand-written separately and never produced or read here.

Rows: {"id", "text", "self_harm", "harm_to_others", "abuse_neglect", "context", "style", "source"}
Generated ids look like  gen-<label>-<context>-<style>-<template#>-<n>; everything before the
last "-<n>" is the template group, so a grouped split can keep one template's variants together.
Hand-written rows come from written_train.jsonl (source "written") and are merged in.
"""

from __future__ import annotations

import json
import random
import re
import string
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import tpl_abuse_neglect  # noqa: E402
import tpl_harm_to_others  # noqa: E402
import tpl_other  # noqa: E402
import tpl_self_harm  # noqa: E402

SEED = 20261127
LABELS = ("self_harm", "harm_to_others", "abuse_neglect")
CONTEXTS = ("current", "negated", "historical", "hypothetical", "experiencer", "idiom", "unrelated")
STYLES = (
    "soap",
    "mse",
    "template",
    "narrative",
    "quote",
    "abbrev",
    "nursing",
    "checkbox",
    "transcript",
)
SHORT = {"self_harm": "sh", "harm_to_others": "ho", "abuse_neglect": "an", None: "un"}

# Rows generated per (label, context) cell, before hand-written rows are added.
QUOTAS = {
    "self_harm": {
        "current": 520,
        "negated": 260,
        "historical": 110,
        "hypothetical": 90,
        "experiencer": 110,
        "idiom": 110,
    },
    "harm_to_others": {
        "current": 400,
        "negated": 180,
        "historical": 70,
        "hypothetical": 60,
        "experiencer": 90,
        "idiom": 110,
    },
    "abuse_neglect": {
        "current": 420,
        "negated": 170,
        "historical": 70,
        "hypothetical": 60,
        "experiencer": 80,
        "idiom": 100,
    },
}
UNRELATED_QUOTA = 690
COMPANION_P = 0.35

# ---------------------------------------------------------------- fictional names (train only)
FIRST_M = [
    "Dmitri",
    "Kwame",
    "Tobias",
    "Rafael",
    "Hiroshi",
    "Desmond",
    "Arjun",
    "Callum",
    "Mateo",
    "Emeka",
    "Grant",
    "Ibrahim",
    "Lars",
    "Nikolai",
    "Quentin",
    "Sefa",
    "Tariq",
    "Wendell",
    "Yusef",
    "Zeke",
    "Abel",
    "Brody",
    "Cyrus",
    "Dario",
    "Ellis",
    "Fergus",
    "Gideon",
    "Hamish",
    "Jovan",
    "Kofi",
]
FIRST_F = [
    "Adaeze",
    "Brielle",
    "Catalina",
    "Delphine",
    "Esperanza",
    "Fiona",
    "Gwendolyn",
    "Hana",
    "Ilse",
    "Jacinta",
    "Keziah",
    "Leilani",
    "Marguerite",
    "Nadia",
    "Oona",
    "Petra",
    "Rosalind",
    "Saoirse",
    "Thuy",
    "Ulrike",
    "Valentina",
    "Winona",
    "Ximena",
    "Yara",
    "Zofia",
    "Aurelia",
    "Bettina",
    "Cressida",
    "Dagny",
    "Eun-ji",
]
LAST = [
    "Abernethy",
    "Baptiste",
    "Castellanos",
    "Drummond",
    "Eriksen",
    "Fairweather",
    "Gallo",
    "Haddock",
    "Ivanova",
    "Jankowski",
    "Kariuki",
    "Lindholm",
    "Mbeki",
    "Nakashima",
    "Ocampo",
    "Pemberton",
    "Quiroga",
    "Rasmussen",
    "Szabo",
    "Thibodeaux",
    "Umeh",
    "Vandermeer",
    "Wojcik",
    "Xiong",
    "Yilmaz",
    "Zamora",
    "Achterberg",
    "Bui",
    "Cardenas",
    "Dunleavy",
    "Esposito",
    "Fagerlund",
    "Guerrero",
    "Holm",
    "Iwu",
    "Kasprzak",
    "Mahlangu",
    "Ostrowski",
]
VICTIM_NAMES_M = ["Darrell", "Kenji", "Bogdan", "Terrence", "Luca", "Omari", "Sven", "Rory"]
VICTIM_NAMES_F = ["Tamsin", "Maribel", "Greta", "Shonda", "Ingrid", "Noor", "Corinna", "Liesel"]

# ---------------------------------------------------------------- slot values
MEDS = [
    "APAP",
    "Tylenol",
    "acetaminophen",
    "sertraline",
    "insulin",
    "lithium",
    "sleeping pills",
    "oxycodone",
    "Benadryl",
    "quetiapine",
    "ibuprofen",
    "amitriptyline",
    "trazodone",
    "propranolol",
    "Xanax",
    "paracetamol",
    "co-codamol",
    "diphenhydramine",
    "citalopram",
]
ROUTINE_MEDS = [
    "sertraline",
    "metformin",
    "lisinopril",
    "bupropion",
    "escitalopram",
    "levothyroxine",
    "atorvastatin",
    "buspirone",
    "lamotrigine",
    "fluoxetine",
    "venlafaxine",
    "amlodipine",
]
RECENT = [
    "last night",
    "yesterday",
    "this morning",
    "two days ago",
    "on Saturday",
    "earlier today",
    "3 days ago",
    "over the weekend",
    "on Sunday night",
    "earlier this week",
    "on Monday",
    "before coming in",
    "last evening",
    "2 nights ago",
    "this past weekend",
]
BODY = [
    "forearm",
    "left wrist",
    "thighs",
    "upper arm",
    "stomach",
    "ankles",
    "right forearm",
    "hips",
]
FAMILY = [
    "mother",
    "father",
    "wife",
    "husband",
    "sister",
    "brother",
    "roommate",
    "partner",
    "daughter",
    "son",
    "aunt",
    "grandmother",
]
RELS = [
    ("brother", "m"),
    ("sister", "f"),
    ("mother", "f"),
    ("father", "m"),
    ("uncle", "m"),
    ("aunt", "f"),
    ("cousin", None),
    ("grandfather", "m"),
    ("son", "m"),
    ("daughter", "f"),
    ("best friend", None),
    ("roommate", None),
    ("stepbrother", "m"),
    ("niece", "f"),
]
WORKPLACES = [
    "warehouse",
    "library",
    "bakery",
    "call center",
    "hospital cafeteria",
    "bank",
    "daycare",
    "garage",
    "post office",
    "hardware store",
]

CAP_SENT = re.compile(r"(^|[.!?]\s+|\n)([a-z])")


class Slots(dict):
    """Lazily filled, internally consistent slot values for one passage."""

    def __init__(self, rng: random.Random):
        super().__init__()
        self.rng = rng
        self.g = rng.choice("mf")
        self._prepare()

    def c(self, seq):
        return self.rng.choice(seq)

    def _prepare(self):
        r, m = self.rng, self.g == "m"
        he, him, his, himself = (
            ("he", "him", "his", "himself") if m else ("she", "her", "her", "herself")
        )
        first = self.c(FIRST_M if m else FIRST_F)
        last = self.c(LAST)
        title = "Mr." if m else self.c(["Ms.", "Mrs.", "Ms."])
        refs = [
            ("Pt", "pt"),
            ("Patient", "the patient"),
            ("The patient", "the patient"),
            ("Client", "the client"),
            ("The client", "the client"),
            (f"{title} {last}", f"{title} {last}"),
            (first, first),
            (he.capitalize(), he),
            ("Pt", "pt"),
        ]
        P, p = self.c(refs)
        self.poss_safe = P not in ("He", "She")
        self.P_alt = self.c([x for x in refs if x[0] not in ("He", "She")])
        self.update(
            he=he,
            him=him,
            his=his,
            himself=himself,
            He=he.capitalize(),
            His=his.capitalize(),
            P=P,
            p=p,
            name=f"{first} {last}",
        )
        # victim (harm to others)
        vg = r.choice("mf")
        vname = self.c(VICTIM_NAMES_M if vg == "m" else VICTIM_NAMES_F)
        victims_m = [
            "{his} stepfather",
            "{his} supervisor",
            "the neighbor",
            "{his} landlord",
            "{his} brother-in-law",
            f"a classmate named {vname}",
            f"{{his}} coworker {vname}",
            "{his} former manager",
            "{his} daughter's coach",
            "the man who assaulted {his} sister",
            "{his} ex-girlfriend's new boyfriend",
            f"{{his}} cousin {vname}",
            "his own father",
        ]
        victims_f = [
            "{his} supervisor",
            "{his} stepmother",
            "the neighbor",
            "{his} landlord",
            f"{{his}} coworker {vname}",
            "{his} sister-in-law",
            f"a classmate named {vname}",
            "{his} son's teacher",
            "{his} ex-boyfriend's new girlfriend",
            "{his} former manager",
        ]
        victim = self.c(victims_m if vg == "m" else victims_f)
        if victim == "his own father" and not m:
            victim = "{his} own father"
        self.update(
            victim=victim.replace("{his}", his),
            vsub="he" if vg == "m" else "she",
            vobj="him" if vg == "m" else "her",
            vposs="his" if vg == "m" else "her",
            victim_short=self.c(
                [
                    "stepfather",
                    "coworker",
                    "neighbor",
                    "boss",
                    "roommate",
                    "brother",
                    "landlord",
                    "teacher",
                    "cousin",
                    "foreman",
                ]
            ),
        )
        # relative (experiencer)
        rel, rg = self.c(RELS)
        rg = rg or r.choice("mf")
        self.update(
            rel=rel,
            his_rel="his" if rg == "m" else "her",
            she_rel="he" if rg == "m" else "she",
            him_rel="him" if rg == "m" else "her",
            himself_rel="himself" if rg == "m" else "herself",
        )
        # partner (IPV)
        pw, pg = self.c(
            [
                ("boyfriend", "m"),
                ("husband", "m"),
                ("girlfriend", "f"),
                ("wife", "f"),
                ("partner", None),
                ("ex-husband", "m"),
                ("fiancé", "m"),
                ("ex-boyfriend", "m"),
                ("boyfriend", "m"),
                ("husband", "m"),
            ]
        )
        pg = pg or r.choice("mf")
        self.update(
            her_partner=f"{his} {pw}",
            partner_pron="he" if pg == "m" else "she",
            partner_pron_poss="his" if pg == "m" else "her",
            partner_short=self.c(["bf", "husband", "partner", "BF", "spouse", "ex"]),
            partner_word=self.c(["wife", "husband", "girlfriend", "boyfriend", "partner"]),
        )
        # child
        cg = r.choice("mf")
        age = r.randint(3, 13)
        cname = self.c(FIRST_M if cg == "m" else FIRST_F)
        cobj, cposs, cpron = ("him", "his", "he") if cg == "m" else ("her", "her", "she")
        self.update(
            Child=self.c(
                [
                    f"The {age}-year-old",
                    "The child",
                    f"{cname} ({age} y/o)",
                    f"Pt (age {age})",
                    "The student",
                    f"{cname}, age {age},",
                ]
            ),
            child_obj=cobj,
            child_poss=cposs,
            child_pron=cpron,
            child_desc=self.c(
                [
                    f"the {r.randint(2, 11)}-month-old",
                    f"the {age}-year-old",
                    "the child",
                    "the infant",
                    "the toddler",
                    f"the {age} y/o",
                ]
            ),
            child_abuser=self.c(
                [
                    "the stepfather",
                    "mom's boyfriend",
                    "dad",
                    "the babysitter",
                    "an uncle",
                    "the mother",
                    "the foster father",
                    "grandpa",
                    "an older cousin",
                ]
            ),
            child_abuser_short=self.c(["stepfather", "mom's bf", "uncle", "babysitter", "father"]),
            child_rel=self.c(
                ["son", "daughter", "5-year-old", "stepson", "toddler", "7 y/o daughter"]
            ),
            child_age=str(r.randint(3, 10)),
        )
        self["child_desc_cap"] = self["child_desc"][0].upper() + self["child_desc"][1:]
        # elder
        eage = r.randint(78, 97)
        self.update(
            Elder=self.c(
                [
                    f"{title} {last}, {eage},",
                    f"The {eage}-year-old patient",
                    "The resident",
                    "Pt",
                    f"{title} {last}",
                    f"The {eage} y/o {'man' if m else 'woman'}",
                ]
            ),
            elder_np=self.c(
                [
                    f"{title} {last}",
                    f"the {eage}-year-old patient",
                    "the resident",
                    f"this {eage}-year-old",
                ]
            ),
            elder_abuser=self.c(
                [
                    "son",
                    "grandson",
                    "daughter",
                    "daughter-in-law",
                    "nephew",
                    "caregiver",
                    "niece",
                    "live-in aide",
                    "son-in-law",
                    "granddaughter",
                ]
            ),
            amount=f"${r.randint(3, 90)},{r.randint(0, 9)}00",
            spouse=(
                sp := self.c(
                    [
                        ("wife", "f"),
                        ("girlfriend", "f"),
                        ("partner", r.choice("mf")),
                        ("husband", "m"),
                        ("boyfriend", "m"),
                    ]
                )
            )[0],
            partner_obj="her" if sp[1] == "f" else "him",
            partner_pron2="she" if sp[1] == "f" else "he",
            spouse_short=self.c(["wife", "gf", "partner", "spouse"]),
            ipv_act=self.c(
                [
                    "slapped pt",
                    "pushed pt down the stairs",
                    "threatened pt with a knife",
                    "choked pt",
                    "hit pt",
                    "kicked pt",
                    "threw a bottle at pt",
                ]
            ),
            hits_pos=str(r.randint(11, 20)),
        )
        self["Elder_nc"] = self["Elder"].rstrip(",") + ","
        # self-harm means
        med = self.c(MEDS)
        self.update(
            med=med,
            med2=self.c(ROUTINE_MEDS),
            dose=self.c(["10 mg", "20 mg", "50 mg", "100 mg", "150 mg"]),
            method_inf=self.c(
                [
                    f"overdose on {his} {med}",
                    f"hang {himself} in the garage",
                    "jump off the bridge",
                    f"shoot {himself}",
                    f"drive {his} car into a tree",
                    f"cut {his} wrists",
                    "step in front of a train",
                    f"take all of {his} {med}",
                    "jump from the parking deck",
                    f"overdose on {med}",
                ]
            ),
            method_np=self.c(
                [
                    f"overdose on {med}",
                    "hanging",
                    "jumping from a bridge",
                    "firearm",
                    "cutting",
                    f"OD on {med}",
                    "carbon monoxide",
                ]
            ),
            attempt_np=self.c(
                [
                    f"overdose on {med}",
                    "hanging",
                    f"cutting {his} wrists",
                    "an intentional overdose",
                    "jumping from a parking garage",
                    "carbon monoxide",
                    f"ingestion of {med}",
                ]
            ),
            means_obj=self.c(
                [
                    "a handgun",
                    "extra pills",
                    "a rope",
                    f"a bottle of {med}",
                    "razor blades",
                    "rat poison",
                    "a second bottle of pills",
                ]
            ),
            cut_verb=self.c(["cut", "scratched", "burned", "cut"]),
            body=self.c(BODY),
            nssi_ger=self.c(
                [
                    f"cutting {his} {self.c(BODY)}",
                    f"burning {his} {self.c(BODY)} with a lighter",
                    f"scratching {his} {self.c(BODY)} until it bled",
                    f"hitting {himself}",
                    "head-banging",
                    f"carving into {his} {self.c(BODY)}",
                ]
            ),
            nssi_inf=self.c(
                ["cut", f"burn {himself}", "scratch until it bleeds", f"hit {himself}", "cut again"]
            ),
            nssi_short=self.c(["cutting", "burning", "scratching", "head banging", "cutting L FA"]),
            cmd_self=self.c(
                [
                    f"kill {himself}",
                    "jump off the roof",
                    f"cut {himself}",
                    "stop eating",
                    "walk into traffic",
                    "swallow the batteries",
                    f"hang {himself}",
                ]
            ),
            gun=self.c(["father's handgun", "hunting rifle", "gun", "service weapon", "shotgun"]),
            weapon=self.c(
                [
                    "a handgun",
                    "a hunting knife",
                    "a baseball bat",
                    "a crowbar",
                    "a rifle",
                    "a machete",
                    "a knife",
                ]
            ),
            weapon_short=self.c(["gun", "knife", "firearms", "bat", "rifle"]),
            hurt_ger=self.c(
                [
                    "stabbing",
                    "shooting",
                    "beating",
                    "strangling",
                    "running over",
                    "hurting",
                    "killing",
                ]
            ),
            trigger=self.c(
                [
                    "the breakup",
                    f"losing {his} job",
                    f"{his} divorce",
                    f"{his} mother's death",
                    "the eviction notice",
                    f"{his} DUI arrest",
                    "the miscarriage",
                ]
            ),
            family=self.c(FAMILY),
            weeks=str(self.c([2, 3, 4, 6, 8])),
            recent=self.c(RECENT),
            future_day=self.c(
                [
                    "Friday",
                    "this weekend",
                    f"{his} birthday",
                    "after the holidays",
                    "the anniversary",
                ]
            ),
            future_event=self.c(
                [
                    f"{his} daughter's wedding",
                    "starting school",
                    "a trip to see family",
                    "the new job",
                    "the baby's arrival",
                ]
            ),
            phq_pos=self.c(
                [
                    "1 (several days)",
                    "2 (more than half the days)",
                    "3 (nearly every day)",
                    "2",
                    "3",
                    "1",
                ]
            ),
            asq=self.c(
                [
                    "wished you were dead: yes",
                    "thoughts of killing yourself: yes",
                    "family better off if you were dead: yes",
                ]
            ),
            scale=str(r.randint(5, 10)),
            scale_low=str(r.randint(1, 4)),
            phq_num=str(r.randint(1, 3)),
            si_kind=self.c(
                ["passive", "active, no plan", "passive, intermittent", "with plan", "daily"]
            ),
            place=self.c(
                [
                    "bridge",
                    "railway line",
                    "top floor of the car park",
                    "cliffs",
                    "river",
                    "overpass",
                ]
            ),
            clock=self.c(["0215", "1430", "2200", "0340", "1105", "1910"]),
            teen_age=str(r.randint(13, 19)),
            years=str(r.randint(5, 20)),
            bp=f"{r.randint(104, 148)}/{r.randint(62, 92)}",
            hr=str(r.randint(58, 104)),
            a1c=f"{r.randint(6, 9)}.{r.randint(0, 9)}",
            gad=str(r.randint(0, 6)),
            phq_total_low=str(r.randint(0, 4)),
            workplace=self.c(WORKPLACES),
        )
        y1 = r.randint(1996, 2020)
        self.update(past_year=str(y1), past_year2=str(r.randint(y1 + 1, 2021)))

    def __missing__(self, key):
        raise KeyError(f"unknown slot {{{key}}}")


def fill_passage(template: str, slots: Slots) -> str:
    if "{P}'s" in template and not slots.poss_safe:
        slots["P"], slots["p"] = slots.P_alt
        slots.poss_safe = True
    out = template
    for _ in range(3):
        if "{" not in out or "}" not in out:
            break
        out = string.Formatter().vformat(out, (), slots)
    return out


def parse(entry: str):
    head, text = entry.split("|", 1)
    style, *extra = head.split("+")
    assert style in STYLES, entry
    for e in extra:
        assert e in LABELS, entry
    return style, tuple(extra), text


MODULES = {m.LABEL: m for m in (tpl_self_harm, tpl_harm_to_others, tpl_abuse_neglect)}


def cell_entries(label: str, ctx: str):
    """Flat list of (style, extra_labels, kind, payload, index) for one cell."""
    mod = MODULES[label]
    entries = []
    for i, e in enumerate(mod.THIRD.get(ctx, [])):
        style, extra, text = parse(e)
        entries.append((style, extra, "third", text, i))
    for i, u in enumerate(mod.UTTER.get(ctx, [])):
        entries.append(("utter", (), "utter", u, i))  # style (quote or transcript) chosen per row
    return entries


SHORT_QA = {
    # (question, answers meaning current risk, answers meaning negated)
    "self_harm": [
        (
            "Any thoughts of suicide since last week?",
            ["Yeah. A few times.", "Yes, most nights.", "Sometimes, yeah."],
            ["No.", "No, none.", "Nope, nothing like that."],
        ),
        (
            "Have you hurt yourself since we last talked?",
            ["Yes. I cut on Tuesday.", "Once. Last night."],
            ["No, I haven't.", "No. I used my skills instead."],
        ),
    ],
    "harm_to_others": [
        (
            "Are you having thoughts of hurting him?",
            ["Every day.", "Yeah, I am. I can't stop."],
            ["No. I just want distance.", "No, not at all."],
        ),
    ],
    "abuse_neglect": [
        (
            "Do you feel safe at home?",
            ["No. Not when he's drinking.", "Not really. He's been getting worse."],
            ["Yes, I do.", "Yeah, totally safe."],
        ),
        (
            "Has anyone hit you or hurt you recently?",
            ["He did. On Friday.", "My husband, yes."],
            ["No, nobody.", "No."],
        ),
    ],
}


def maybe_caps(text: str, style: str, rng: random.Random) -> str:
    if style == "nursing" and rng.random() < 0.5:
        return text.upper()
    return text


BOXES = [
    ("[x]", "[ ]"),
    ("[X]", "[ ]"),
    ("(x)", "( )"),
    ("☒", "☐"),
    ("■", "□"),
    ("[✓]", "[ ]"),
    ("[*]", "[ ]"),
    ("X", "_"),
]


def vary_boxes(text: str, rng: random.Random) -> str:
    """Render checkbox marks in one of several glyph conventions (same convention within a passage)."""
    if not re.search(r"\[[xX ]\]", text) or rng.random() < 0.4:
        return text
    on, off = rng.choice(BOXES)
    text = re.sub(r"\[[xX]\]", lambda m: "\0", text)
    return text.replace("[ ]", off).replace("\0", on)


def noise(text: str, rng: random.Random) -> str:
    if text.endswith(".") and rng.random() < 0.12:
        text = text[:-1]
    return text


def render(entry, label, ctx, slots: Slots, rng: random.Random):
    style, extra, kind, payload, _ = entry
    if kind == "third":
        return fill_passage(payload, slots)
    u = fill_passage(payload, slots)
    if style == "quote":
        w = rng.choice(tpl_other.QUOTE_WRAPPERS)
        if u[-1] not in ".?!":
            u += "."
        return fill_passage(w.replace("{u}", u.replace("{", "(").replace("}", ")")), slots)
    clin, client = rng.choice(tpl_other.TRANSCRIPT_SPEAKERS)
    if ctx in ("current", "negated") and rng.random() < 0.8:
        q = rng.choice(tpl_other.QUESTIONS[label])
    elif rng.random() < 0.6:
        q = rng.choice(tpl_other.QUESTIONS["generic"])
    else:
        q = None
    return f"{clin}: {q}\n{client}: {u}" if q else f"{client}: {u}"


MENTIONS = {
    "self_harm": re.compile(
        r"\bSI\b|suicid|self[- ]?harm|self-inj|harming self|hurt (him|her)self|DSH|cut|wish to be dead|"
        r"C-SSRS|PHQ-9|ASQ|death",
        re.I,
    ),
    "harm_to_others": re.compile(
        r"\bHI\b|homicid|harm(ing)? others|hurt(ing)? anyone|aggress|violen|threat|weapon", re.I
    ),
    "abuse_neglect": re.compile(
        r"IPV|abuse|neglect|safe at home|partner|maltreat|bruis|hurt, threatened|EASI|HITS|"
        r"taking money|mistreat|injur",
        re.I,
    ),
}


def companion_pool():
    """(style, negated labels, ctx, text) sentences that may be added: negated risk lines and plain lines.

    A negated line counts for every label it mentions ("-SI, -HI" negates both), so it is never
    added to a passage that is positive for one of them.
    """
    pool = []
    for label, mod in MODULES.items():
        for e in mod.THIRD["negated"]:
            style, extra, text = parse(e)
            labels = frozenset({label} | {lab for lab, rx in MENTIONS.items() if rx.search(text)})
            pool.append((style, labels, "negated", text))
    for e in tpl_other.UNRELATED_THIRD:
        style, extra, text = parse(e)
        pool.append((style, frozenset(), "unrelated", text))
    return pool


STYLE_FAMILY = {
    "soap": {"soap", "abbrev", "template"},
    "narrative": {"narrative", "soap"},
    "mse": {"mse"},
    "template": {"template", "checkbox"},
    "checkbox": {"checkbox", "template"},
    "abbrev": {"abbrev"},
    "nursing": {"nursing", "abbrev"},
    "quote": {"narrative", "soap", "abbrev"},
    "transcript": set(),
}


def add_companion(text, style, labels, slots, rng, pool):
    """Append or prepend one sentence about a label not in `labels` (negated) or a plain sentence."""
    fam = STYLE_FAMILY[style]
    cands = [c for c in pool if c[0] in fam and not (c[1] & labels)]
    if not cands:
        return text, None
    cstyle, clabel, cctx, ctext = rng.choice(cands)
    ctext = fill_passage(ctext, slots)
    sep = "\n" if style in ("checkbox", "template") and rng.random() < 0.5 else " "

    def close(t):
        t = t.rstrip()
        return t if sep == "\n" or t.endswith((".", "!", "?", '"', "'", ")")) else t + "."

    parts = [text, ctext] if rng.random() < 0.55 else [ctext, text]
    return sep.join([close(parts[0]), parts[1]]), cctx


def make_row(rid, text, labels, ctx, style, source):
    row = {"id": rid, "text": text}
    for lab in LABELS:
        row[lab] = int(lab in labels)
    row.update(context=ctx, style=style, source=source)
    return row


def generate(rng: random.Random):
    rows, seen = [], set()
    pool = companion_pool()

    def emit(rid, text, labels, ctx, style):
        key = " ".join(text.lower().split())
        if key in seen:
            return False
        seen.add(key)
        rows.append(make_row(rid, text, labels, ctx, style, "generated"))
        return True

    counters: dict[str, int] = {}
    for label, quotas in QUOTAS.items():
        for ctx, quota in quotas.items():
            entries = cell_entries(label, ctx)
            made, attempts = 0, 0
            order = []
            while made < quota and attempts < quota * 30:
                attempts += 1
                if not order:
                    order = list(range(len(entries)))
                    rng.shuffle(order)
                entry = entries[order.pop()]
                style, extra, kind, payload, idx = entry
                if style == "utter":
                    style = rng.choice(("quote", "transcript"))
                    entry = (style, *entry[1:])
                slots = Slots(rng)
                # transcript short yes/no exchanges
                if style == "transcript" and ctx in ("current", "negated") and rng.random() < 0.2:
                    q, pos, neg = rng.choice(SHORT_QA[label])
                    clin, client = rng.choice(tpl_other.TRANSCRIPT_SPEAKERS)
                    text = f"{clin}: {q}\n{client}: {rng.choice(pos if ctx == 'current' else neg)}"
                    group = f"gen-{SHORT[label]}-{ctx}-transcript-qa"
                else:
                    text = render(entry, label, ctx, slots, rng)
                    group = f"gen-{SHORT[label]}-{ctx}-{style}-{kind[0]}{idx:03d}"
                labels = {label, *extra} if ctx == "current" else set()
                if style != "transcript" and rng.random() < COMPANION_P:
                    text, _ = add_companion(text, style, {label, *extra}, slots, rng, pool)
                text = noise(maybe_caps(vary_boxes(text, rng), style, rng), rng)
                counters[group] = counters.get(group, 0) + 1
                if emit(f"{group}-{counters[group]}", text, labels, ctx, style):
                    made += 1
            if made < quota:
                print(
                    f"note: {label}/{ctx}: {made} of {quota} (template variety exhausted)",
                    file=sys.stderr,
                )

    # plain clinical sentences, 1-2 per passage
    entries = [
        (parse(e)[0], "third", parse(e)[2], i) for i, e in enumerate(tpl_other.UNRELATED_THIRD)
    ]
    entries += [("quote", "utter", u, i) for i, u in enumerate(tpl_other.UNRELATED_UTTER)]
    entries += [("transcript", "utter", u, i) for i, u in enumerate(tpl_other.UNRELATED_UTTER)]
    made, attempts = 0, 0
    while made < UNRELATED_QUOTA and attempts < UNRELATED_QUOTA * 30:
        attempts += 1
        style, kind, payload, idx = rng.choice(entries)
        slots = Slots(rng)
        if kind == "third":
            text = fill_passage(payload, slots)
            if rng.random() < 0.5:
                same = [e for e in tpl_other.UNRELATED_THIRD if parse(e)[0] in STYLE_FAMILY[style]]
                other = fill_passage(parse(rng.choice(same))[2], slots)
                if other != text:
                    text = text if text.endswith((".", '"', ")")) else text + "."
                    text = f"{text} {other}"
        elif style == "quote":
            text = fill_passage(rng.choice(tpl_other.QUOTE_WRAPPERS).replace("{u}", payload), slots)
        else:
            clin, client = rng.choice(tpl_other.TRANSCRIPT_SPEAKERS)
            text = f"{clin}: {rng.choice(tpl_other.QUESTIONS['generic'])}\n{client}: {payload}"
        text = noise(maybe_caps(text, style, rng), rng)
        group = f"gen-un-unrelated-{style}-{kind[0]}{idx:03d}"
        counters[group] = counters.get(group, 0) + 1
        if emit(f"{group}-{counters[group]}", text, set(), "unrelated", style):
            made += 1
    return rows, seen


def load_written(seen):
    path = HERE / "written_train.jsonl"
    rows = []
    if not path.exists():
        return rows
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        validate(row, f"{path.name}:{n}")
        key = " ".join(row["text"].lower().split())
        if key in seen:
            continue
        seen.add(key)
        rows.append(row)
    return rows


def validate(row, where):
    keys = ["id", "text", *LABELS, "context", "style", "source"]
    assert list(row) == keys, f"{where}: keys {list(row)}"
    assert row["context"] in CONTEXTS and row["style"] in STYLES, where
    assert all(row[lab] in (0, 1) for lab in LABELS), where
    pos = any(row[lab] for lab in LABELS)
    assert pos == (row["context"] == "current"), f"{where}: label/context mismatch"
    assert row["text"].strip() and "{" not in row["text"], f"{where}: bad text"


def main():
    rng = random.Random(SEED)
    rows, seen = generate(rng)
    rows += load_written(seen)
    for r in rows:
        validate(r, r["id"])
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), "duplicate ids"
    random.Random(SEED + 1).shuffle(rows)
    out = HERE / "train.jsonl"
    with out.open("w", encoding="utf-8", newline="\n") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} rows to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
