"""Generate synthetic labelled clinical notes for the learned identifier model.

    python data/identifiers/generate.py [--notes 4000] [--seed 13] [--out data/identifiers/train.jsonl]

Every note is assembled from sentence templates written by the riskflag project (nursing progress
notes, psychiatry/therapy notes, discharge summaries); identifier slots are filled with Faker
(en_US) names, cities and streets, with invented names and places that are in no gazetteer (so the
model learns context, not lists), and with the clinical words that look like names (Foley, Zoloft,
PT/OT). Notes are randomly written in ALL CAPS, lower case or normal case. Output: JSONL
``{"id", "text", "spans": [{"start", "end", "label"}]}``. Nothing comes from any real note.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent

# -- slots ------------------------------------------------------------------------------------------
SYL_A = ["bar", "cor", "dal", "fen", "gor", "hal", "jes", "kor", "lan", "mar", "nor", "pel", "quar", "ros", "sal",
         "tor", "vel", "wes", "zan", "bel", "cas", "dor", "el", "fal", "gre", "hur", "isa", "lor", "mon", "ost"]
SYL_B = ["a", "e", "i", "o", "u", "ter", "ri", "ma", "lo", "ve", "du", "na", "ki", "sto", "bri"]
SYL_C = ["main", "wick", "ton", "son", "berg", "ley", "sky", "ez", "elli", "ova", "ard", "field", "stein", "ak",
         "man", "ski", "o", "etti", "and", "ridge", "ham", "ford", "ane", "ine", "ette", "y"]

CLIN = [
    "Pt resting comfortably, no acute distress.", "Lungs coarse bilaterally, suctioned for thick tan secretions.",
    "HR 80s NSR, no ectopy noted.", "BP stable on current regimen, MAP > 65.", "Foley draining clear yellow urine.",
    "Tolerating tube feeds at goal, residuals < 30 cc.", "Afebrile, WBC trending down.", "Skin intact, turned q2h.",
    "Lasix 40 mg IV given with good response.", "Continue Zoloft 50 mg daily.", "PT/OT consult placed.",
    "Heparin gtt at 900 units/hr, PTT pending.", "Neuro: alert and oriented x3, MAE, follows commands.",
    "GI: abd soft, nontender, +BS, no BM this shift.", "Resp: on 2L NC with sats 95-98%.",
    "Vent settings AC 500 x 14, PEEP 5, FiO2 40%.", "Weaned to PSV 10/5 and tolerated well.",
    "K repleted per sliding scale.", "Pain 4/10 at incision, medicated with morphine 2 mg IV.",
    "Ambulated in hallway with PT, steady gait.", "Swan-Ganz catheter removed, site clean.",
    "Cardiac enzymes negative x2.", "Insulin drip titrated per protocol, BS 140-180.", "Stool guaiac negative.",
    "Plan to continue current management and monitor closely.", "Denies SI/HI, mood euthymic.",
    "Affect constricted, thought process linear.", "Discussed coping skills and sleep hygiene.",
    "Will follow up in two weeks.", "Labs: Na 138, K 4.1, Cr 1.2, Hct 29.8.", "CXR shows improving LLL infiltrate.",
    "Strength 5/5 in all extremities.", "Pulses 2+ bilaterally, extremities warm.", "EKG with ST elevation in V2-V4.",
    "Started on Levophed for MAP < 60.", "Propofol weaned off, pt more awake.", "Chest tube to suction, no air leak.",
    "Seen by GI, EGD planned.", "Wound vac intact to sacral ulcer.", "Dressing changed, site without erythema.",
    "Pt anxious at times, Ativan 0.5 mg given with effect.", "Glasgow coma scale 14.", "SI joint injection done.",
    "Braden score 13, on pressure redistribution mattress.", "Parkinson disease on Sinemet.",
    "History of Crohn disease, on Humira.", "Hickman line flushed without difficulty.", "Jackson-Pratt drain with 20 cc serosanguinous output.",
    "Pt states pain is better today.", "Family meeting held, code status remains full code.",
    "Patient seen and examined, chart reviewed.", "Reports good appetite, sleeping well.",
    "Cooperative with care, calm overnight.", "Rhythm sinus tach 110s, Lopressor 5 mg IV given.",
    "Urine output 40-60 cc/hr.", "Blood cultures x2 sent.", "Vanco trough due at 2200.",
    "Bed alarm on, fall precautions maintained.", "Mental status improving, less confused.",
    "Social work following for dispo planning.", "Case management aware of needs.", "OOB to chair with assist of 2.",
    "Hemodynamics stable overnight.", "Still requiring frequent suctioning.", "No new complaints this shift.",
    "Patient tolerated procedure well.", "Mother of three, works part time.", "Smokes 1 ppd, drinks socially.",
    "Mood better, sleeping 6 hours.", "Discussed medication side effects.", "Will continue to monitor.",
    "Grace period for refills discussed.", "Hope to extubate in am.", "Mark the site before surgery.",
]
NAME_TEMPLATES = [
    ("Dr. {L} aware.", "L"), ("Discussed with Dr. {L}.", "L"), ("Per Dr. {F} {L}, hold heparin.", "FL"),
    ("{F} visited today and was updated.", "F"), ("Both {F} and {F2} are here.", "FF2"),
    ("Spoke with {F} on the phone.", "F"), ("Message left for {F}.", "F"), ("{F} called for an update.", "F"),
    ("Pt's {rel}, {F}, at bedside.", "F"), ("{rel} {F} in to visit.", "F"), ("{F} ({rel}) cell# {phone}.", "F"),
    ("Spokesperson is {F} {L}, his {rel}.", "FL"), ("{F} {L} RN", "FL"), ("{F} {L}, MD", "FL"),
    ("Mr. {L} resting quietly.", "L"), ("Mrs. {L} tolerated dinner.", "L"), ("Ms {L} anxious tonight.", "L"),
    ("{L} aware of plan.", "L"), ("Plan discussed with {L}.", "L"), ("Transfer to {WARD} {n} today.", "WARD"),
    ("Sons {F}, {F2} and {F3} in to visit.", "FF2F3"), ("Update given to {F} by phone.", "F"),
    ("{LU}, {FU}", "LUFU"), ("Seen with {F} {L} from social work.", "FL"), ("Call {F} with questions.", "F"),
    ("Pt asking for {F}.", "F"), ("{F} will be proxy.", "F"), ("Legal guardian: {F} {L}.", "FL"),
    ("Attending {L} notified.", "L"), ("Covering for {L} tonight.", "L"), ("Signed out to {F}.", "F"),
    ("{F} and {rel} here all afternoon.", "F"), ("Per {L}, continue current plan.", "L"),
    # nursing-note styles
    ("Talked with {F} from case management about rehab.", "F"), ("{F} {L} (son) cell# {phone}.", "FL"),
    ("Report called to {WARD} {n} RN.", "WARD"), ("{F} {L} called to bedside for low BP.", "FL"),
    ("Pt spoke w/ dr {L} about the plan.", "L"), ("Case manager spoke with {F} today.", "F"),
    ("Plan reviewed w/ Dr. {L}/RN at rounds.", "L"), ("{F} {L}, MD, aware of vent settings.", "FL"),
    ("Social: wife {F} in to visit.", "F"), ("Plan discussed with {F} at bedside.", "F"), ("{F} is family contact.", "F"),
    ("Referral made to {F} {L} from ethics.", "FL"), ("Message left with {F} at home.", "F"),
    ("Covering MD {L} paged.", "L"), ("Seen by {L} from renal.", "L"), ("Pt's {rel} {F} {L} is HCP.", "FL"),
]
PLACE_TEMPLATES = [
    ("Lives in {CITY} with wife.", "CITY"), ("Transferred from {HOSP}.", "HOSP"), ("Sent to {HOSP} ER.", "HOSP"),
    ("Will go to {REHAB} rehab tomorrow.", "REHAB"), ("Daughter lives in {CITY}.", "CITY"),
    ("Admitted from {ACR} with chest pain.", "ACR"), ("Transfer to {ACR} for cath.", "ACR"),
    ("Was vacationing in {CITY} when he fell.", "CITY"), ("Lives at {HOUSE} House.", "HOUSE"),
    ("Sister called from {CITY}.", "CITY"), ("Works at {COMPANY}.", "COMPANY"), ("Attends {SCHOOL} School.", "SCHOOL"),
    ("Accepted at St. {SAINT}.", "SAINT"), ("Moved here from {CITY} last year.", "CITY"),
    ("Address: {STREET}, {CITY}.", "STREETCITY"),
    ("Pt taken to {WARD} hosp by ambulance.", "WARD"), ("Arrived via amb from {WARD} EW.", "WARD"),
    ("Slowly improved and transferred to {WARD} MICU.", "WARD"), ("Medflight from {HOSP} for cath.", "HOSP"),
    ("Had CABG at {HOSP} in the past.", "HOSP"), ("Followed at {ACR} by cardiology.", "ACR"),
    ("Lives in {CITY}, daughter nearby.", "CITY"), ("Family from {CITY} arrived at 2 am.", "CITY"),
]
#: sentences around ordinary words (rare English words, common words that are also surnames, invented
#: medical-looking words) so the model learns that rarity or a surname list alone is no identifier
NEG_TEMPLATES = [
    "{W} noted.", "Pt {W} overnight.", "Cont {W} per protocol.", "{W} and {W2} stable.", "Sputum {W}.",
    "Plan: {W}.", "{W} - will monitor.", "No {W} this shift.", "Skin {W}, {W2}.", "Started {W} at 2 mg.",
    "{W} improved after {W2}.", "Pt remains {W}.", "Report given to oncoming RN re {W}.", "See {W} for details.",
    "Tolerating {W} well.", "{W} {W2} resolved.", "Neuro: {W}, {W2}.", "Moderate amt of {W} secretions.",
    "Pt {W}, {W2} and {W3}.", "Awaiting {W} results.", "{W} d/c'd.", "Less {W} today.", "{W} x2.",
    # capitalised drug, organism, lab and device words in the places nursing notes put them
    "Asking for {D}.", "Covered with {D}.", "Positive for {D}.", "Given {D} 25 mg IV.", "Minimal response to {D}.",
    "{D} applied to sacrum.", "{D} 34, CK 727.", "{D}'s 2.01, 2.36.", "Cont on {D} for {W} in urine.",
    "Started on {D}, {D2} held.", "Wires attached to {D}.", "Changed to {D} at 0300.", "Will leave {D} in for now.",
    "Skin cleansed and covered with {D}.", "Sputum growing {D}.", "Blood cx positive for {D} from 8/11.",
    "{D} lotion applied.", "Pt in {D} on 50% FiO2.", "Rhythm changed to {D}, rate 110s.", "Need for {D}, sutures.",
    "Given 40 mg {D} at 9 pm.", "Attempt to {D} was unsuccessful.", "Pt noted to {D} in pain.", "Will {D} in am.",
]
MED_PRE = ["hypo", "hyper", "brady", "tachy", "dys", "peri", "endo", "intra", "sub", "trans", "anti", "poly", "hemi",
           "neo", "para", "retro", "pseudo", "micro", "macro", "hemo", "cardio", "neuro", "gastro", "nephro", "pneumo",
           "osteo", "myo", "derm", "angio", "broncho", "chole", "cysto", "entero", "hepato", "uro", "thrombo", ""]
MED_ROOT = ["tens", "kal", "natr", "card", "pne", "ur", "ton", "glyc", "vol", "perfus", "trop", "lys", "plas", "sten",
            "stom", "scler", "calc", "thyr", "ven", "arter", "lip", "alb", "creat", "cyt", "gluc", "ox", "capn", "phag",
            "ventil", "diures", "infus", "intub", "extub", "sedat", "aspir", "secret", "resect", "occlus", "dilat"]
MED_SUF = ["ion", "emia", "itis", "osis", "ectomy", "otomy", "ostomy", "algia", "pathy", "plasty", "scopy", "gram",
           "ine", "ide", "ase", "ate", "ic", "al", "ous", "ia", "ism", "ive", "ed", "ing", "es", "s", "ol", "pril", "mab"]
DRUG_SUF = ["ox", "ex", "in", "ol", "ine", "one", "ide", "ate", "azole", "cillin", "mycin", "floxacin", "pam", "lam",
            "tide", "zumab", "statin", "sartan", "olol", "dipine", "prazole", "coccus", "bacter", "monas", "ella"]
RELS = ["wife", "husband", "son", "daughter", "sister", "brother", "niece", "mother", "father", "friend", "dtr"]


def pseudo(rng: random.Random) -> str:
    return (rng.choice(SYL_A) + rng.choice(SYL_B + [""]) + rng.choice(SYL_C)).capitalize()


class Slots:
    def __init__(self, rng: random.Random) -> None:
        from faker import Faker

        self.rng = rng
        self.fake = Faker("en_US")
        self.fake.seed_instance(rng.randrange(1 << 30))
        self.rare_words, self.name_words = _word_pools()

    def first(self) -> str:
        return pseudo(self.rng) if self.rng.random() < 0.25 else self.fake.first_name()

    def last(self) -> str:
        return pseudo(self.rng) if self.rng.random() < 0.35 else self.fake.last_name()

    def city(self) -> str:
        r = self.rng.random()
        if r < 0.3:
            return pseudo(self.rng)
        if r < 0.6:
            return self.fake.city()
        return pseudo(self.rng) + self.rng.choice([" Beach", " Falls", " Heights", "ville", "burg", " City", ""])

    def ordinary(self) -> str:
        """An ordinary (non-identifying) word for a negative example."""
        r = self.rng.random()
        if r < 0.4 and self.rare_words:
            return self.rng.choice(self.rare_words)
        if r < 0.7 and self.name_words:
            return self.rng.choice(self.name_words)
        return self.rng.choice(MED_PRE) + self.rng.choice(MED_ROOT) + self.rng.choice(MED_SUF)

    def clinical_word(self) -> str:
        """A capitalised clinical word (invented drug/organism-like word, or a rare English word in no name
        list) for a negative example: capitals and rarity alone do not make a name."""
        if self.rng.random() < 0.6 or not self.rare_words:
            w = self.rng.choice(MED_PRE) + self.rng.choice(MED_ROOT) + self.rng.choice(MED_SUF + DRUG_SUF)
        else:
            w = self.rng.choice(self.rare_words)  # never a listed name: those are names in any context
        return w.capitalize()

    def phone(self) -> str:
        return f"{self.rng.randint(201, 989)}-{self.rng.randint(201, 999)}-{self.rng.randint(1000, 9999)}"


def _word_pools() -> tuple[list[str], list[str]]:
    """Rare English words (wordfreq ranks 40,000-150,000, in no name list) and common English words that
    are also US surnames or first names (Zipf >= 3.5): both appear here only as ordinary words."""
    from wordfreq import top_n_list, zipf_frequency

    from riskflag.pipeline.id_lexicons import load_lexicons

    lex = load_lexicons()
    words = top_n_list("en", 150000)
    rare = [w for w in words[40000:] if w.isalpha() and w.isascii() and len(w) > 3 and w not in lex.first
            and w not in lex.last and w not in lex.places]
    named = sorted(w for w in set(lex.last) | set(lex.first) if w.isalpha() and zipf_frequency(w, "en") >= 3.5)
    return rare, named


def fill(template: str, slots: Slots) -> tuple[str, list[tuple[int, int, str]]]:
    rng = slots.rng
    out, spans, pos = [], [], 0
    for m in re.finditer(r"\{(\w+)\}", template):
        out.append(template[pos:m.start()])
        key = m.group(1)
        cur = sum(len(x) for x in out)
        label = None
        if key in ("F", "F2", "F3", "FU"):
            val, label = slots.first(), "NAME"
        elif key in ("L", "LU"):
            val, label = slots.last(), "NAME"
        elif key == "WARD":
            val, label = slots.last(), "FACILITY"
        elif key == "CITY":
            val, label = slots.city(), "ADDRESS"
        elif key == "HOSP":
            val = rng.choice([f"{slots.last()} Memorial", f"{slots.city()} General", f"{slots.last()} Medical Center",
                              f"{slots.city()} Hospital", f"{slots.last()}"])
            label = "FACILITY"
        elif key in ("REHAB", "HOUSE", "SCHOOL", "SAINT"):
            val, label = (slots.city() if key != "SAINT" else slots.first()), "FACILITY"
        elif key == "COMPANY":
            val, label = slots.fake.company(), "FACILITY"
        elif key == "ACR":
            val = "".join(rng.choice("ABCDEFGHJKLMNPRSTVW") for _ in range(rng.randint(2, 4))) + rng.choice(["", "H", "MC"])
            label = "FACILITY"
        elif key == "STREET":
            val, label = slots.fake.street_address(), "ADDRESS"
        elif key in ("W", "W2", "W3"):
            val = slots.ordinary()
        elif key in ("D", "D2"):
            val = slots.clinical_word()
        elif key == "rel":
            val = rng.choice(RELS)
        elif key == "phone":
            val, label = slots.phone(), "PHONE"
        elif key == "n":
            val = str(rng.randint(1, 9))
        else:
            val = key
        if key in ("LU", "FU"):
            val = val.upper()
        out.append(val)
        if label:
            spans.append((cur, cur + len(val), label))
        pos = m.end()
    out.append(template[pos:])
    return "".join(out), spans


def make_note(rng: random.Random, slots: Slots) -> dict:
    spans: list[tuple[int, int, str]] = []
    header = rng.choice(["Nursing progress note", "NPN 7a-7p", "Psychiatry follow-up", "Progress note", "Social work note",
                         "Respiratory care", "Discharge summary", ""])
    text = header + ("\n" if header else "")
    for _ in range(rng.randint(6, 16)):
        r = rng.random()
        if r < 0.4:
            sent, sp = rng.choice(CLIN), []
        elif r < 0.6:
            sent, sp = fill(rng.choice(NEG_TEMPLATES), slots)
            sent = sent[:1].upper() + sent[1:]
        elif r < 0.85:
            sent, sp = fill(rng.choice(NAME_TEMPLATES)[0], slots)
        else:
            sent, sp = fill(rng.choice(PLACE_TEMPLATES)[0], slots)
        if rng.random() < 0.25:
            sec = rng.choice(["Neuro", "CV", "Resp", "GI", "GU", "Social", "Plan", "A", "P", "Assessment", "Coping"])
            sent = f"{sec}: " + sent
            sp = [(s + len(sec) + 2, e + len(sec) + 2, lab) for s, e, lab in sp]
        sep = rng.choice([" ", " ", "\n", "\n \n", "  "]) if text else ""
        base = len(text) + len(sep)
        text += sep + sent
        spans.extend((s + base, e + base, lab) for s, e, lab in sp)
    if rng.random() < 0.3:
        sent, sp = fill(rng.choice(["{F} {L} RN", "{F} {L}", "{F}", "{F} {L}, MSW"]), slots)
        base = len(text) + 3
        text += " \n " + sent
        spans.extend((s + base, e + base, lab) for s, e, lab in sp)
    r = rng.random()
    if r < 0.4:
        text = text.upper()
    elif r < 0.55:
        text = text.lower()
    return {"text": text, "spans": [{"start": s, "end": e, "label": lab} for s, e, lab in spans]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--notes", type=int, default=4000)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--out", type=Path, default=HERE / "train.jsonl")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    slots = Slots(rng)
    with open(args.out, "w", encoding="utf-8") as fh:
        for i in range(args.notes):
            note = make_note(rng, slots)
            note = {"id": f"synth-{i:05d}", **note}
            fh.write(json.dumps(note) + "\n")
    print(f"wrote {args.notes} synthetic notes to {args.out}")


if __name__ == "__main__":
    main()
