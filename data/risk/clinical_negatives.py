"""Generate clinical_negatives.jsonl: non-risk passages in the styles of general medical notes
(operative and procedure narrative, exams, labs, imaging, medication lists, ROS, discharge
instructions, social and family history with substance use, neurology, obstetrics, trauma,
paediatrics, geriatrics) that use the risk vocabulary in its medical sense ("stab incision",
"blade", "attempted cannulation", "wound", "overdose of contrast", "lives alone", "fall").

Written by the project (risk model side) so the classifier sees ordinary clinical text as
negative; all labels are 0, context "unrelated", style "medical". Deterministic:

    python data/risk/clinical_negatives.py > data/risk/clinical_negatives.jsonl
"""

from __future__ import annotations

import json
import random

SIDE = ["left", "right", "bilateral"]
PART = ["knee", "shoulder", "hip", "ankle", "wrist", "elbow", "forearm", "thigh", "abdomen", "chest wall", "neck", "back"]
SURG = [
    "A {n} cm skin incision was made with a #{b} blade over the {s} {p}.",
    "A small stab incision was made and the trocar was inserted under direct vision.",
    "The subcutaneous tissue was divided with electrocautery and the fascia was cut with Mayo scissors.",
    "Attempted cannulation of the {s} internal jugular vein was unsuccessful, so the subclavian approach was used.",
    "The wound was irrigated with saline and closed with staples using a skin stapler.",
    "Skin was closed with a staple gun and a sterile dressing applied.",
    "The specimen was cut into sections and sent to pathology.",
    "A #15 blade knife was used to incise the capsule, and the fragments were removed.",
    "Hemostasis was achieved with the Bovie, and the wound was packed with gauze.",
    "The patient tolerated the procedure well with minimal blood loss and no complications.",
    "An attempt was made to reduce the fracture under fluoroscopy, with good alignment achieved.",
    "The needle was advanced into the {s} SI joint under fluoroscopic guidance and contrast injected.",
    "The tourniquet was released after {n}0 minutes and the limb was pink and warm.",
    "The catheter was cut to length and secured with 2-0 silk.",
    "The drain was brought out through a separate stab wound and sutured in place.",
    "After informed consent, the patient was brought to the operating room and placed supine.",
    "The balloon was inflated and an attempt to cross the lesion with the wire was made twice.",
    "The gallbladder was dissected off the liver bed and removed through the umbilical port.",
    "A shotgun approach to the differential was avoided; targeted tests were ordered.",
    "The nail was cut back and the nail bed repaired with absorbable sutures.",
]
EXAM = [
    "Tenderness over the {s} SI joint with a positive FABER test.",
    "{S} hemispatial neglect on line bisection; dense {s} hemiparesis.",
    "Visual acuity 20/40 OD and 20/25 OS; intraocular pressure normal.",
    "Skin: healing abrasion on the {s} {p}, no erythema or drainage.",
    "Abdomen soft, nontender, no guarding; a well-healed surgical scar is noted.",
    "Heart regular rate and rhythm, no murmurs; lungs clear to auscultation.",
    "Neurologic exam: alert and oriented x3, cranial nerves intact, no focal deficit.",
    "Ecchymosis over the {s} hip after the mechanical fall at home two days ago.",
    "Multiple old healed scars on both knees from childhood sports injuries.",
    "There is a 2 cm laceration on the {s} hand from a kitchen knife while cutting vegetables.",
]
HX = [
    "Social history: smokes one pack per day; history of tobacco abuse for 30 years.",
    "Alcohol abuse in remission since {y}; attends AA weekly.",
    "History of polysubstance abuse, currently in a methadone program.",
    "Lives alone in a one-story home; independent with ADLs; daughter checks in daily.",
    "Family history: father died of a heart attack at age {a}; mother with type 2 diabetes.",
    "Past medical history significant for hypertension, hyperlipidemia, and a myocardial infarction in {y}.",
    "Patient reports a panic attack at work last month, resolved with breathing exercises.",
    "She was the restrained driver in a motor vehicle accident and hit her head on the steering wheel.",
    "He was hit by a baseball during a game and has had headaches since.",
    "History of an accidental acetaminophen overdose as a toddler, no sequelae.",
    "Works as a carpenter and uses a nail gun daily; wears protective glasses.",
    "Former smoker, quit in {y}; drinks one glass of wine with dinner.",
    "Lives with her husband and two children; works as a teacher.",
    "Past surgical history: appendectomy in {y} and a cesarean section.",
]
MED = [
    "Medications: metformin 500 mg twice daily, lisinopril 10 mg daily, atorvastatin 40 mg nightly.",
    "Refill sent for insulin glargine; patient reminded to bring glucose log.",
    "The patient ran out of her blood pressure pills last week and will pick up a refill today.",
    "Contrast dose was reduced to avoid an overdose given her renal function.",
    "Pill organizer reviewed; patient manages her own medications.",
    "Allergies: penicillin (rash), sulfa drugs (hives).",
]
PLAN = [
    "Plan: follow up in {n} weeks; return precautions for fever, bleeding, or wound drainage.",
    "Discharge instructions: keep the incision clean and dry; may shower in 48 hours.",
    "Physical therapy for gait training and fall prevention; home safety evaluation ordered.",
    "Continue wound care with daily dressing changes; visiting nurse arranged.",
    "Diet advanced as tolerated; feeding tube removed on postoperative day {n}.",
    "Counseled on weight loss, exercise, and a low-sodium diet.",
    "Car seat and safe sleep counseling provided at the newborn visit.",
    "Patient will call the clinic if pain is not controlled with the current regimen.",
]
DATA = [
    "Labs: WBC {n}.2, hemoglobin 1{n}.1, platelets 2{n}0, creatinine 0.{n}.",
    "CT of the head without contrast: no acute intracranial hemorrhage or mass effect.",
    "X-ray of the {s} {p} shows a nondisplaced fracture without dislocation.",
    "EKG: normal sinus rhythm, no acute ST changes; premature ventricular beats noted.",
    "Ultrasound shows a threatened abortion with a subchorionic hematoma; fetal heart tones present.",
    "MRI lumbar spine: mild degenerative changes, no cord compression.",
]
PEDS = [
    "Well-child visit: feeding well, gaining weight appropriately, sleeping in a crib.",
    "The toddler fell from the couch at home, cried immediately, and is acting normally.",
    "Parents report the infant has a diaper rash; advised barrier cream and frequent changes.",
    "The child is home alone for short periods after school with a neighbor on call, per the parents' plan.",
    "The 7-year-old hit his head on the playground slide; no loss of consciousness.",
]
GROUPS = [SURG, EXAM, HX, MED, PLAN, DATA, PEDS]


def fill(t: str, rng: random.Random) -> str:
    s = rng.choice(SIDE)
    return t.format(n=rng.randint(2, 9), b=rng.choice([10, 11, 15]), s=s, S=s.capitalize(), p=rng.choice(PART),
                    y=rng.randint(1995, 2022), a=rng.randint(48, 80))


def main(n: int = 420, seed: int = 7) -> None:
    rng = random.Random(seed)
    seen = set()
    i = 0
    while i < n:
        k = rng.choice([1, 1, 2, 2, 3])
        text = " ".join(fill(rng.choice(rng.choice(GROUPS)), rng) for _ in range(k))
        if text in seen:
            continue
        seen.add(text)
        print(json.dumps({"id": f"neg-med-{i:04d}", "text": text, "self_harm": 0, "harm_to_others": 0, "abuse_neglect": 0,
                          "context": "unrelated", "style": "medical", "source": "generated"}))
        i += 1


if __name__ == "__main__":
    main()
