"""Generate data/risk/varied_train.jsonl: more varied training passages for the risk model.

Why: train.jsonl comes from one set of templates, and a model trained on it alone (a) misses
risk said in other words and (b) scores ordinary medical text that happens to hold weak risk
words ("bleeding", "blade", "knife", "alone", "weight loss", "broke up the stone") as risk.
This file adds, in many clinician styles (SOAP, MSE lines, risk templates, checkbox lines,
"-SI, -HI", PHQ-9 item 9, nursing shorthand, therapy narrative, quoted speech, collateral
reports, typos and abbreviations):

  * medical-sense negatives: operative, procedure, exam, ROS, discharge and history text that
    uses risk vocabulary in its ordinary medical meaning (context "unrelated");
  * current risk in indirect wording (passive SI, preparatory acts, collateral reports,
    threats with a target, abuse signs and disclosures);
  * non-current look-alikes (negated, historical, hypothetical, other person, idiom).

Each passage is built from a sentence pool with slots, plus 0-2 companion sentences of the same
style that carry no risk for the labels of the row. Written by the project; no third-party text,
nothing from eval_fresh.jsonl or eval_blind.jsonl. Stdlib only, deterministic:

    python data/risk/varied.py          # writes data/risk/varied_train.jsonl

Ids: ``gen-var-<kind>-<pool>-<template#>-<n>``; everything before the last ``-<n>`` is the
template group (use ``--group-regex '^(gen-.+)-[0-9]+$'`` so variants never straddle a split).
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

SEED = 4242
OUT = Path(__file__).resolve().parent / "varied_train.jsonl"

PT = ["Pt", "Patient", "The patient", "Client", "The client", "He", "She", "Resident", "Member", "pt"]
NAMES = ["Mr. Okonkwo", "Ms. Lindqvist", "Mrs. Abernathy", "Mr. Vasquez-Lee", "Ms. Thorsdottir", "Mr. Pelletier",
         "Ms. Achterberg", "Mr. Oyelaran", "Mrs. Kowalczuk", "Ms. Ferreira-Hunt"]
DAYS = ["last night", "yesterday", "this morning", "two days ago", "over the weekend", "on Sunday", "earlier today",
        "three days ago", "last week", "this week", "since Friday", "tonight"]
OLD = ["in 2009", "in 2014", "as a teenager", "about ten years ago", "in her twenties", "in 2017", "in 1998",
       "during college", "many years ago", "in 2011"]
MEANS_SH = ["pills", "her sertraline", "his insulin", "a razor", "a belt", "the car in the garage", "his father's pistol",
            "a bottle of Tylenol", "rope", "a kitchen knife", "her antidepressants", "the bridge near work"]
VICTIM = ["his supervisor", "her ex-husband", "the neighbor", "his stepfather", "a coworker", "his landlord",
          "her sister's boyfriend", "the charge nurse", "his former business partner", "a classmate", "his wife", "the pastor"]
WEAPON = ["a knife", "his hunting rifle", "a bat", "a handgun", "a machete", "a crowbar", "his shotgun"]
PERP = ["her husband", "his wife", "her boyfriend", "her partner", "his girlfriend", "her ex", "their father",
        "mom's boyfriend", "his stepmother", "the night aide", "her son", "his grandson", "the babysitter", "her stepdad"]
CHILD = ["the 3yo", "her 6-year-old", "the infant", "his 9 year old son", "the toddler", "a 4-year-old girl", "the 11yo",
         "the baby", "their 2-year-old"]
ELDER = ["the 84-year-old resident", "his 90-year-old mother", "the patient, who has dementia,", "her elderly father",
         "the 79yo pt"]


def cap(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


def fill(t: str, rng: random.Random) -> str:
    slots = {
        "pt": lambda: rng.choice(PT), "name": lambda: rng.choice(NAMES), "day": lambda: rng.choice(DAYS),
        "old": lambda: rng.choice(OLD), "means": lambda: rng.choice(MEANS_SH), "victim": lambda: rng.choice(VICTIM),
        "weapon": lambda: rng.choice(WEAPON), "perp": lambda: rng.choice(PERP), "child": lambda: rng.choice(CHILD),
        "elder": lambda: rng.choice(ELDER), "n": lambda: str(rng.randint(2, 9)), "nn": lambda: str(rng.randint(10, 60)),
        "side": lambda: rng.choice(["left", "right", "L", "R", "bilateral"]),
        "blade": lambda: rng.choice(["#10 blade", "#15 blade", "15-blade knife", "scalpel", "#11 blade", "Bovie"]),
        "year": lambda: str(rng.choice(range(1995, 2021))),
    }
    out = re.sub(r"\{(\w+)\}", lambda m: slots[m.group(1)](), t)
    return cap(out)


# ------------------------------------------------------------------ medical-sense negatives
MED = [
    # operative / procedure
    "The skin was incised with a {blade} and dissection carried down to the fascia.",
    "Bleeding from the cut edge was controlled with electrocautery.",
    "Minimal bleeding was encountered and hemostasis was achieved with bipolar cautery.",
    "The stone was broken up with the laser and the fragments were removed with a basket.",
    "The suture was cut and the needle count was correct.",
    "The hernia sac was grabbed with an Allis clamp and dissected free.",
    "The periosteum was elevated and the abscess cavity drained of purulent material.",
    "A knife was used to open the capsule, and the loose bodies were removed.",
    "The drain was left in place and secured to the skin.",
    "Pictures were taken of the findings and the scope was withdrawn.",
    "The specimen was sent to pathology; estimated blood loss {nn} mL.",
    "The tourniquet was let down and the wound was irrigated and closed.",
    "The patient was left intubated and transferred to the ICU in stable condition.",
    "We then divided the vessel between clips and cut it with scissors.",
    "The uterus was removed and the vaginal cuff closed with a running locked suture.",
    "The tissue was burned with the argon beam to control oozing.",
    "The bone was cut with an oscillating saw and the implant trialed.",
    "An attempt to pass the guidewire was unsuccessful, so a smaller catheter was used.",
    "The patient was prepped and draped in the usual sterile fashion; a time-out was performed.",
    "The overlying skin was injected with 1% lidocaine and a stab incision made.",
    "The dressing was removed; the wound edges are well approximated without drainage.",
    "He was struck in the {side} eye by a branch while doing yard work.",
    "She hit her head on the cabinet door; no LOC.",
    "Fell from a ladder and landed on the {side} wrist.",
    "Dog bite to the {side} hand {day}; wound cleaned, tetanus updated.",
    "Kicked by a horse at work; contusion to the {side} thigh.",
    "Laceration from a broken glass while washing dishes, {n} cm, repaired with sutures.",
    # exam / ROS / history
    "ROS: no easy bruising or bleeding, no weight loss, no fevers.",
    "Skin: scattered bruises on both shins; pt is on apixaban and bumps into furniture.",
    "He reports unintentional weight loss of {nn} lbs over six months; CT ordered.",
    "Lives alone in a second-floor apartment and still drives; daughter checks in daily.",
    "Hungry all the time since starting prednisone; appetite increased.",
    "Diaper rash noted; mother counseled on barrier cream.",
    "She is scared of needles and was given topical anesthetic.",
    "Pt afraid of falling after last month's fall; PT referral placed.",
    "Patient is a poor historian; history obtained from her boyfriend, who lives with her.",
    "Blood glucose dropped to 48 after he skipped lunch; treated with juice.",
    "Social: quit tobacco {year}; alcohol twice a month; no illicit drugs.",
    "Medications: lisinopril, metformin, atorvastatin; overdose counseling not indicated.",
    "Acetaminophen dose was reduced because of elevated liver enzymes.",
    "Dose of heparin adjusted per protocol to avoid bleeding.",
    "Poison control was called after the toddler drank from a bottle of dish soap; observed and discharged.",
    "The child was seen for a fever; immunizations up to date, growth along the 50th percentile.",
    "Abdominal pain described as sharp and cramping, worse after meals.",
    "Headache that feels like a band around the head, relieved by ibuprofen.",
    "Breath sounds decreased at the {side} base; no wheezes.",
    "Extremities: no edema, no wounds, pulses 2+.",
    "Neuro: strength 5/5, sensation intact, gait steady.",
    "A&O x3, pleasant, cooperative with exam.",
    "Discharge: keep the wound dry for 48 hours; return for fever, bleeding or increasing pain.",
    "He cut his finger on a can lid; bleeding stopped with pressure.",
    "She was given a prescription for pain pills and instructed on constipation prevention.",
    "The lethal dose of potassium chloride was discussed with pharmacy as part of a medication safety review.",
    "Patient wishes to proceed with surgery after discussing risks, including bleeding and infection.",
    "Goals of care: pt wants to go home; DNR/DNI confirmed with his son.",
    "Hospice discussed; family understands he is dying of metastatic cancer and wants comfort care.",
    "She died peacefully on the unit at 0340 with family at the bedside.",
    "Death certificate completed; cause of death cardiopulmonary arrest due to sepsis.",
    "Pathology showed dead bone consistent with osteonecrosis.",
    "Gunshot wound to the {side} thigh sustained in a hunting accident; through-and-through, no vascular injury.",
    "She has bruising at the IV site and at the site of the heparin injections.",
    "Strangulated hernia reduced in the operating room; bowel viable.",
    "Fracture of the {side} distal radius after a fall on ice.",
    "X-ray shows no fracture; soft-tissue swelling only.",
    "Wound culture grew MSSA; switched to cephalexin.",
    "He beat the odds after the transplant and is back at work.",
    "Heart rate 110, irregularly irregular; rate control with metoprolol.",
    "The baby feeds every three hours, wet diapers x6 per day.",
    "Chest pain described as pressure radiating to the left arm; troponin negative.",
    "She has shooting pain down the {side} leg worse with sitting.",
    "Mother reports the infant cries a lot in the evening; exam normal, colic suspected.",
    # more medical-sense uses of weak risk words (sleep, GI, cardiology, urology, ortho, OB, ENT, derm, peds, oncology)
    "Sleep study: sleep latency 15 minutes; he did wake up twice to urinate and felt tired in the morning.",
    "She feels exhausted by 3 pm and naps; TSH and ferritin ordered.",
    "He is tired of the knee pain and wants to proceed with the final stage of the revision.",
    "The last time she took naproxen she had epigastric burning, so it was stopped.",
    "Refusing the NG tube; risks explained and documented; will reattempt in the morning.",
    "Pill bottles reviewed at the bedside; he takes 14 medications and uses a pill organizer.",
    "The umbilical cord was clamped and cut, and the infant was handed to the nursery nurse.",
    "Restrained driver, seat belt on, airbags deployed; no loss of consciousness after the accident.",
    "Lap band adjustment: 0.5 mL of saline added; she tolerated water without regurgitation.",
    "Nasal bridge tenderness after the fall; no septal hematoma.",
    "Lesion on the roof of the mouth, 4 mm, biopsy planned.",
    "Burning with urination for three days; UA positive for nitrites.",
    "Numbness and tingling in the fingers at night, relieved by shaking out the hand.",
    "Pain relief was adequate with the PCA; he is sleeping better.",
    "Permanent pacemaker interrogation normal; battery life 6 years.",
    "Exit site of the PD catheter clean and dry.",
    "Trapped air under the diaphragm was not seen on the upright film.",
    "Entrapment of the ulnar nerve at the elbow; nerve conduction study ordered.",
    "Cardiac arrest in the field, ROSC after two rounds of CPR; taken to the cath lab.",
    "The police brought him in after a motor vehicle collision; he was the restrained passenger.",
    "He was thrown from the ATV and landed on his back; CT spine negative.",
    "Punch biopsy of the rash on the forearm; sutured with 4-0 nylon.",
    "She threw up twice this morning and cannot keep fluids down.",
    "Aggressive fluid resuscitation was started for septic shock.",
    "The body's immune system is fighting the infection; WBC trending down.",
    "The tendon snapped while he was lifting; palpable defect at the heel.",
    "Broken tooth #19 after biting on a popcorn kernel; referred to dentistry.",
    "The joint surface is destroyed by advanced osteoarthritis; arthroplasty discussed.",
    "He grabbed the railing to stop his fall and felt a pop in the shoulder.",
    "Blood in the stool intermittently for two weeks; colonoscopy scheduled.",
    "Sore throat and hoarseness for a week; rapid strep negative.",
    "Diabetic foot ulcer with a dirty wound bed; debrided at the bedside.",
    "Poor hygiene of the ostomy site has caused skin breakdown; WOC nurse consulted.",
    "Feeding tube placed for dysphagia after the stroke; tube feeds at goal.",
    "Failure to thrive in the setting of congenital heart disease; cardiology following, growth plotted.",
    "Weight loss of 10 lbs during chemotherapy; dietitian consulted for supplements.",
    "Underweight with BMI 17.8 in the setting of Crohn disease flare.",
    "Pressure ulcer stage 2 on the sacrum present on admission from the ICU; turning schedule in place.",
    "Bruising at the injection sites from enoxaparin; reassured.",
    "Black eye after a softball struck her face during a game; orbit CT negative.",
    "Her husband helps with insulin injections and checks her glucose before meals.",
    "Caregiver at the bedside, attentive, reports he has been eating well.",
    "The child is in daycare and has had three ear infections since September.",
    "Scald burn on the forearm from a kettle while cooking, first degree, 2% TBSA.",
    "Cigarette smoking 1 ppd for 20 years; counseled; nicotine patch prescribed.",
    "Fracture of the fifth metatarsal after tripping on the stairs.",
    "Locked knee after a twisting injury; MRI shows a bucket-handle tear.",
    "Sexual history: monogamous with her husband; no new partners.",
    "Bank of the wound was irrigated and packed; dressing changed daily by home health.",
    "He checks his blood pressure at home and keeps a log in his phone.",
    "Photos of the rash were taken with the patient's permission for the chart.",
    "Inconsistent use of CPAP per download; mask refit arranged.",
    "Supervision needed for showers after the hip replacement; walker at all times.",
    "Lives alone with her cat; independent in ADLs; uses a medical alert pendant.",
    "Fear of falling limits her walking; balance training started.",
    "He is scared of the MRI and was given lorazepam before the scan.",
    "Alcohol: two beers on weekends; drinking increased during the pandemic, now cutting back.",
    "Homeless shelter resident; social work assisting with medication access.",
    "Cutting the cast revealed a small pressure area, now padded.",
    "Hanging drop preparation showed motile trichomonads.",
    "Jumped from a wall 6 feet high while playing and hurt his ankle.",
    "The drain output is gone to 10 mL per day; drain removed.",
    "Given his lethal ventricular arrhythmia, an ICD was placed.",
    "The battery of his insulin pump died overnight; glucose 320 on arrival.",
    "She gave up dairy and the bloating improved.",
    "Deserves a trial of physical therapy before surgery is considered.",
    "He suffered a minor stroke in 2019 without residual deficit.",
    "Pain is sharp, like being hit with a hammer, over the lateral epicondyle.",
    "Charges for the visit were reviewed with the billing office at the patient's request.",
    "Victim of a motor vehicle crash, brought in by EMS with neck pain.",
    "Angry red rash in the groin consistent with candida.",
    "Explosive diarrhea after eating at a restaurant; stool studies sent.",
    "Throat culture positive for group A strep; amoxicillin started.",
    "She was found down at home by her neighbor and brought in by EMS; glucose 38.",
    "The infant feeds well, gaining 30 g per day; no concerns.",
    "Rope burn on the palm from a boating line; cleaned and dressed.",
    "Fell off the roof while cleaning gutters; L1 compression fracture.",
    "He was struck by a train-crossing gate arm in the parking lot; minor scalp laceration.",
]
MED_STYLES = ["medical", "soap", "nursing", "narrative"]


# ------------------------------------------------------------------ psych look-alike negatives
NEG = [  # (style, template, labels mentioned)
    ("template", "SI: denies. HI: denies. Psychosis: none."),
    ("template", "Suicidal ideation: none reported. Homicidal ideation: none reported."),
    ("template", "Risk: SI - no, HI - no, self-harm - no, access to firearms - no."),
    ("abbrev", "-SI/-HI/-AVH, fair insight and judgment."),
    ("abbrev", "denies si hi avh. sleeping ok."),
    ("abbrev", "neg for SI, HI, and psychosis today."),
    ("mse", "TC: no SI/HI, no delusions elicited. TP: linear."),
    ("mse", "Thought content: denies suicidal or homicidal thoughts, plans, or intent."),
    ("mse", "Thought content without suicidality or violent ideation."),
    ("checkbox", "Suicidal ideation  [ ] yes  [X] no\nHomicidal ideation  [ ] yes  [X] no"),
    ("checkbox", "Self-harm since last visit: No (X)  Yes ( )"),
    ("checkbox", "SI ☐ Y ☒ N    HI ☐ Y ☒ N"),
    ("template", "PHQ-9 = {n}; item 9 = 0."),
    ("template", "PHQ9 score {n}, question 9 negative."),
    ("template", "C-SSRS screener: all items no; no risk identified."),
    ("soap", "S: Mood better. Denies any thoughts of hurting self or others."),
    ("soap", "S: pt reports no urges to cut this month and is proud of it."),
    ("nursing", "NO SI/HI VERBALIZED. CALM ON UNIT. ATE 100% OF MEALS."),
    ("nursing", "pt denies thoughts of self harm at this time, contracts for safety, q15 min checks cont."),
    ("narrative", "{name} denied wanting to hurt anyone and said he has moved on from the breakup."),
    ("narrative", "{name} says she feels safe at home and no one has hurt or threatened her."),
    ("narrative", "No signs of abuse or neglect; child clean, appropriately dressed, interacts warmly with mother."),
    ("narrative", "Asked about thoughts of death; {pt} said no, and described plans for the summer."),
    ("transcript", "Clinician: Any thoughts of killing yourself?\nClient: No. Not at all."),
    ("transcript", "T: Do you ever feel unsafe at home?\nC: No, things are good with him."),
    ("transcript", "Dr: Thoughts about hurting anybody?\nPt: Nah. I'm not like that."),
    ("quote", "{pt} stated \"I'd never hurt myself, I have my kids.\""),
    ("quote", "{pt} said \"no, I'm not suicidal, I'm just tired of the pain in my back.\""),
    ("template", "Elder abuse screen: negative. Caregiver present and appropriate."),
    ("template", "IPV screen: negative; pt denies being hit, kicked, threatened or controlled."),
    ("soap", "A: Depression, improving. No current SI. Risk low."),
    ("abbrev", "SI(-) HI(-). Future oriented."),
]
HIST = [
    ("narrative", "{pt} attempted suicide by overdose {old}; no attempts or SI since."),
    ("abbrev", "h/o cutting {old}, none since. denies current SI."),
    ("soap", "PPHx: one psych admission {old} after an overdose; stable since."),
    ("narrative", "She was hit by her first husband {old}; they divorced and she feels safe now."),
    ("narrative", "He was in fights as a teen and was arrested for assault {old}; no violence in the years since."),
    ("quote", "\"I used to burn myself back in high school,\" {pt} said, \"but I haven't in years.\""),
    ("template", "Prior suicide attempts: 1 ({year}). Current SI: no."),
    ("narrative", "Grew up with a father who beat the children; {pt} has no contact with him and lives with her partner, who is supportive."),
    ("narrative", "Remote history of self-injury, last episode {old}."),
    ("nursing", "HX OF AGGRESSION {old}, NO INCIDENTS THIS STAY."),
]
HYPO = [
    ("template", "Safety plan updated: if thoughts of suicide come back, call 988 or go to the nearest ED."),
    ("narrative", "Reviewed lethal-means counselling: medications locked, no firearms in the home."),
    ("soap", "P: educated on limits of confidentiality, including reporting child abuse and threats to others."),
    ("narrative", "Discussed what to do if she ever feels unsafe with a partner; hotline numbers provided as routine."),
    ("abbrev", "crisis line # given, ED precautions if SI."),
    ("narrative", "Parents were counselled on safe storage of guns and medicines as routine anticipatory guidance."),
    ("narrative", "We talked about how he would handle it if his anger escalated; he chose time-outs and calling his sponsor."),
    ("template", "Warning signs, coping strategies and crisis contacts reviewed with pt."),
]
EXPER = [
    ("narrative", "Her cousin died by suicide {old}; she still thinks about him on his birthday."),
    ("narrative", "{pt} is worried about a friend who is being hit by her boyfriend and asked how to help her."),
    ("narrative", "His coworker threatened a manager last month; {pt} was shaken but has no thoughts of harming anyone."),
    ("narrative", "{pt} works as a paramedic and described a call involving an overdose."),
    ("narrative", "Family history: father with alcohol use disorder, maternal aunt with a suicide attempt."),
    ("soap", "S: grieving the death of her brother by suicide; denies SI herself."),
    ("quote", "\"My sister's husband hurts her and she won't leave,\" {pt} said."),
    ("narrative", "{pt} is a teacher and made a report about a student this week; discussed vicarious stress."),
]
IDIOM = [
    ("quote", "\"This job is going to be the death of me,\" {pt} joked."),
    ("quote", "{pt} said she \"could murder a cup of tea\" after the long drive."),
    ("narrative", "He said his boss would kill him if he was late again, and laughed."),
    ("soap", "A: alcohol abuse, in sustained remission; attends AA."),
    ("narrative", "Right SI joint injection performed under fluoroscopy."),
    ("narrative", "Left hemineglect and dysarthria after the stroke."),
    ("soap", "S: tobacco abuse, 1 ppd; counseled on cessation."),
    ("narrative", "Injured with a nail gun at work; puncture to the {side} palm."),
    ("quote", "\"My knees are killing me on these stairs,\" {pt} said."),
    ("narrative", "She self-injects insulin glargine nightly without difficulty."),
    ("narrative", "He was dying to tell his family about the new job."),
    ("narrative", "She cut her hair short and feels good about it."),
    ("soap", "Laxative abuse history discussed with the dietitian; no purging this month."),
]

# ------------------------------------------------------------------ current positives
SH = [
    ("narrative", "{pt} says lately she goes to sleep hoping she will not wake up."),
    ("narrative", "{pt} admits to thinking everyone would be fine without him around."),
    ("soap", "S: passive thoughts of death most days; no plan. Denies HI."),
    ("abbrev", "+passive SI, -plan, -intent, -HI. Risk mod."),
    ("abbrev", "SI+ w/ plan to use {means}; HI-."),
    ("mse", "TC: +SI with plan (overdose), intent unclear; no HI."),
    ("mse", "Thought content notable for thoughts of dying and hopelessness; no violent ideation."),
    ("template", "Suicidal ideation: present (passive). Plan: none. Intent: none."),
    ("template", "PHQ-9 item 9: {n}/3."),
    ("template", "C-SSRS: positive for active ideation with method in the past month."),
    ("checkbox", "Thoughts of suicide  [X] yes  [ ] no"),
    ("checkbox", "SI: ☒ Y ☐ N   HI: ☐ Y ☒ N"),
    ("narrative", "{pt} has been collecting {means} and looked up how much would be lethal."),
    ("narrative", "{pt} wrote letters to his children {day} and gave away his tools."),
    ("narrative", "Collateral from her husband: she has been saying goodbye to people and searching online for ways to die."),
    ("narrative", "Mother found a note in her daughter's backpack saying she wants to kill herself; counselor informed."),
    ("nursing", "PT FOUND CUTTING L FOREARM WITH A BROKEN PLASTIC KNIFE, WOUNDS CLEANED, 1:1 STARTED."),
    ("nursing", "pt with superficial scratches on wrists, states she did it {day} to cope."),
    ("narrative", "{pt} overdosed on {means} {day} and says she is disappointed she woke up."),
    ("soap", "A: s/p intentional ingestion {day}; continues to endorse wish to die."),
    ("quote", "{pt} stated \"I just want it all to stop. I don't see a way out.\""),
    ("quote", "\"Honestly I've been thinking of driving off the road,\" {pt} said."),
    ("quote", "Pt: \"I keep looking at {means} and thinking about it.\""),
    ("transcript", "Clinician: Are you having thoughts of ending your life?\nClient: Yeah. Most days. I have the pills saved."),
    ("transcript", "T: Any urges to hurt yourself this week?\nC: I burned my arm again on Tuesday."),
    ("narrative", "Voices are telling him to jump in front of a train, and he feels he has to obey."),
    ("narrative", "She stopped her dialysis because she 'wants to be done' and refuses to reconsider."),
    ("narrative", "Though she denied SI at triage, she later told the nurse she planned to hang herself when discharged."),
    ("soap", "S: cutting thighs 2-3x/week with a razor; last time {day}."),
    ("narrative", "{pt} reports urges to self harm after the argument and showed fresh cuts on her forearm."),
    ("abbrev", "SA by hanging {day}, ligature marks noted, medically cleared, remains w/ SI."),
    ("narrative", "Teacher reported that the student has been saying she wants to die and has cuts on her arms."),
    ("narrative", "He has been sitting in the garage with the car running to 'see what it feels like'."),
    ("narrative", "{pt} put her affairs in order and updated her will this week; says she is 'tying up loose ends'."),
]
HO = [
    ("narrative", "{pt} describes thoughts of stabbing {victim} and has been watching his house."),
    ("soap", "S: states he wants {victim} dead and knows where he parks. A: HI with identified target."),
    ("abbrev", "+HI toward {victim}, access to {weapon}, no SI."),
    ("mse", "TC: homicidal ideation toward {victim}, no SI."),
    ("template", "Homicidal ideation: present. Intended victim: {victim}. Means: {weapon}."),
    ("checkbox", "Thoughts of harming others  [X] yes  [ ] no"),
    ("quote", "{pt} said \"if {victim} comes near me again I'll put him in the hospital.\""),
    ("quote", "\"I've got {weapon} and I know his schedule,\" {pt} said about {victim}."),
    ("narrative", "{pt} punched {victim} in the face {day} and says next time will be worse."),
    ("nursing", "PT ASSAULTED STAFF {day}, STRUCK RN IN FACE, CONT TO THREATEN TO KILL HER."),
    ("narrative", "Wife reports he threatened to shoot {victim} and has been cleaning {weapon}."),
    ("narrative", "Command voices tell him to hurt {victim}, and he says he may not be able to resist."),
    ("transcript", "Clinician: Any thoughts of hurting anyone?\nPt: Yeah, {victim}. I think about it every day."),
    ("narrative", "He sent {victim} messages saying he would burn the house down with him inside."),
    ("narrative", "She admits she wants to get back at {victim} and has a plan to hurt him when he is alone."),
    ("narrative", "{pt} threw a chair at a peer {day} and is still saying he will get him."),
    ("soap", "S: intrusive urges to drown the baby during bath time; pt is frightened and has stopped bathing her alone."),
]
AN = [
    ("narrative", "{child} disclosed that {perp} hits her with a belt when she misbehaves; linear bruises on thighs."),
    ("narrative", "{pt} says {perp} choked her {day} and took her phone so she couldn't call for help."),
    ("soap", "O: bruises of various ages on the upper arms and a bite mark on the forearm. S: pt says {perp} 'grabs her'."),
    ("quote", "{pt} said \"{perp} won't let me see my friends and takes my paycheck.\""),
    ("quote", "\"If I tell anyone, he said he'll hurt the kids,\" {pt} whispered."),
    ("nursing", "RESIDENT STATES {perp} SLAPPED HER DURING BATH, RED MARK L CHEEK, SUPERVISOR NOTIFIED."),
    ("narrative", "{elder} has been left without food or medication for days; her son keeps her pension."),
    ("narrative", "{child} was found home alone for the second time this week; house without heat, no food."),
    ("narrative", "{child} presented with burns in a glove pattern; caregiver's explanation keeps changing."),
    ("narrative", "Skeletal survey shows healing rib fractures in {child}; no medical explanation; CPS notified."),
    ("template", "Do you feel safe at home? No. Has your partner hurt you in the past year? Yes."),
    ("checkbox", "Physical abuse by partner: [X] yes  [ ] no    Afraid of partner: [X] yes"),
    ("abbrev", "+IPV, partner strangled pt {day}, children in home, DV advocate consulted."),
    ("narrative", "{pt} says her grandson has been taking money from her account and threatens to put her in a home if she complains."),
    ("transcript", "Counselor: Does anyone hurt you at home?\nChild: {perp} does. He pulls my hair and locks me in the closet."),
    ("narrative", "Teenager disclosed that {perp} has been touching her at night; mandated report filed."),
    ("narrative", "The aide was seen shoving {elder} into a chair and yelling at him; bruise on the wrist."),
    ("narrative", "{pt} admitted he hit his son with a belt {day} and left welts because the boy 'lied'."),
    ("narrative", "{pt} pushed his girlfriend against the wall {day} and smashed her phone."),
]
# ------------------------------------------------------------------ round 2 (issue 4): generalisation
# Intro sentences as lower-case dictation and intake talk put before a risk sentence: the job, the
# town or a relative mentioned first must not make the next sentence someone else's experience.
INTRO = ["my name is {first}, i'm {nn}, i work at a warehouse in {town}.", "i'm {nn} and i work nights at a gas station.",
         "{first} is a {nn} yo who works as a cashier in {town}.", "pt is {nn}, lives with her kids, works at the school cafeteria.",
         "i've been living in {town} with my husband for {n} years.", "she is a {nn} y/o hairdresser, married, two kids.",
         "he works in construction and lives with his girlfriend.", "ok so um i'm {first}, i'm {nn}."]
FIRST = ["dana", "marisol", "keisha", "tomasz", "ahmed", "lorna", "bev", "jun", "fatima", "glen"]
TOWN = ["fresno", "dayton", "mesa", "lubbock", "akron", "boise", "tacoma", "macon"]
SH2 = [
    ("transcript", "i just don't want to be here anymore. everyone would be better off without me."),
    ("narrative", "{pt} has been giving away his things and told his brother where the will is kept."),
    ("narrative", "Husband found goodbye letters addressed to the kids in her nightstand {day}."),
    ("narrative", "{pt} has been stockpiling her sleeping pills for weeks and counted them {day}."),
    ("narrative", "{pt} bought a gun {day} and will not say why; he has been talking about being a burden."),
    ("narrative", "She has been looking up online how many of her pills it would take to die."),
    ("quote", "{pt} said \"i wish i could go to sleep and never wake up.\""),
    ("quote", "\"sometimes i wish i was dead,\" {pt} said quietly."),
    ("narrative", "He tied a rope in the garage {day} and stood on a chair to see if it would hold; his wife walked in."),
    ("nursing", "pt found with belt around neck in bathroom {day}, removed by staff, 1:1 initiated."),
    ("narrative", "Collateral: mother says he has been saying goodbye to friends and gave away his game console."),
    ("transcript", "Clinician: In the past month have you wished you were dead?\nPt: yeah. pretty much every day."),
    ("soap", "S: pt states she has thought about driving into a wall on the way to work most mornings this week."),
    ("abbrev", "endorses passive SI, wishes she wouldn't wake up, no plan, has access to meds at home."),
    ("narrative", "{pt} stopped taking his insulin on purpose because he 'doesn't see the point anymore'."),
    ("narrative", "She has been scratching her arms with a paperclip until they bleed when she is upset, most recently {day}."),
]
HO2 = [
    ("transcript", "he's gonna pay for what he did. i know where he lives and i've got my dad's gun."),
    ("narrative", "{pt} says he wants to get back at {victim} and has been driving past his house at night."),
    ("narrative", "He told staff the voices say he has to hurt {victim} before {victim} hurts him."),
    ("quote", "{pt} said \"i'm going to stab {victim} the next time i see him.\""),
    ("narrative", "{pt} texted {victim} that she would be 'taken care of' and sent a photo of {weapon}."),
    ("soap", "S: angry at {victim}, says he 'will end him', has {weapon} in the truck. A: HI with plan and means."),
    ("nursing", "pt verbally threatening to beat up roommate tonight, made a fist at him, security called."),
    ("narrative", "Mother reports her son punched his sister {day} and said he would kill the whole family."),
]
AN2 = [
    ("transcript", "my husband hit me again last night. he said if i leave he'll find me."),
    ("transcript", "he chokes me when he's drunk. last time i passed out."),
    ("narrative", "{pt} says {perp} controls all the money, checks her phone and will not let her see her family."),
    ("narrative", "{pt} is afraid to go home; {perp} threatened her with a knife {day}."),
    ("narrative", "Her ex has been following her to work and showing up at her apartment at night despite the order."),
    ("narrative", "{child} said {perp} touches her private parts when mom is at work."),
    ("quote", "{child} told the teacher \"he touches me and says it's our secret.\""),
    ("narrative", "{child} has loop-shaped marks on the back and the explanation given does not fit the injuries."),
    ("narrative", "{child} comes to school hungry, in the same clothes all week, and says nobody is home at night."),
    ("narrative", "{elder} says her nephew took her bank card and made her sign over the house."),
    ("nursing", "resident found soiled and cold at start of shift, untouched meals in room, bruises on both forearms."),
    ("narrative", "{elder} reports the caregiver yells at her, withholds her pain pills and has slapped her."),
    ("narrative", "{pt} disclosed that {perp} put his hands around her neck {day} during an argument."),
    ("abbrev", "pt reports partner pushed her down stairs {day}, fx L wrist, afraid to go home. SW consulted."),
    ("narrative", "{child} was left alone overnight with a younger sibling and no food in the apartment."),
]
EXPER2 = [
    ("narrative", "{pt} talked about a coworker's son who died by suicide last spring; she is sad but has no such thoughts."),
    ("narrative", "Her client was strangled by a boyfriend this week, and {pt} is struggling with vicarious trauma."),
    ("narrative", "A resident on her unit who tried to hang himself was discussed in supervision."),
    ("narrative", "{pt} is upset because her best friend's husband beats her and she won't press charges."),
    ("narrative", "He described a news story about a man who shot his neighbor; it made him anxious."),
    ("narrative", "She has been watching a TV series in which the main character cuts herself."),
    ("narrative", "{pt} says his roommate was jumped outside a bar and he is worried about him."),
    ("narrative", "One of her students was left alone at home for days, and she made a report as a teacher."),
]
HYPO2 = [
    ("narrative", "What would you do if the thoughts of hurting yourself came back? {pt} named her sister and 988."),
    ("narrative", "When you feel like cutting, try holding ice and call your counselor."),
    ("soap", "P: discussed risk factors for suicide and the importance of locking up firearms."),
    ("narrative", "Asked whether anyone at home hurts her or makes her feel afraid; she said no."),
    ("template", "Screened for IPV, elder abuse and firearm access per clinic protocol."),
    ("narrative", "Education given on signs of child abuse to the new foster parents."),
    ("narrative", "In case of thoughts of self-harm, pt will go to the ER or call the crisis line."),
    ("narrative", "We discussed how she would stay safe should her ex ever come to the house."),
]


def lower_dictation(text: str) -> str:
    """Typed or dictated style: all lower case, some commas dropped."""
    out = text.lower()
    return out.replace(", ", " ") if "," in out and len(out) % 3 == 0 else out


def round2(add, seed: int) -> None:
    rng = random.Random(seed)

    def f(t: str) -> str:
        t = t.replace("{first}", rng.choice(FIRST)).replace("{town}", rng.choice(TOWN))
        return fill(t, rng)

    for short, pool, labels in (("sh", SH2, (1, 0, 0)), ("ho", HO2, (0, 1, 0)), ("an", AN2, (0, 0, 1))):
        for i, (style, t) in enumerate(pool):
            for _ in range(4):
                text = passage(style, f(t), rng)
                if rng.random() < 0.35:  # an intake/intro sentence first
                    text = f(rng.choice(INTRO)) + " " + text
                if rng.random() < 0.35:
                    text = lower_dictation(text)
                add(short, "cur2", i, style, text, labels, "current")
    for ctx, pool in (("experiencer", EXPER2), ("hypothetical", HYPO2)):
        for i, (style, t) in enumerate(pool):
            for _ in range(6):
                text = passage(style, f(t), rng)
                if rng.random() < 0.3:
                    text = lower_dictation(text)
                add("nc", ctx[:4] + "2", i, style, text, (0, 0, 0), ctx)
    # an intro sentence followed by plain non-risk talk (so the intro itself is never a risk signal)
    plain = ["my back has been hurting since the move.", "i sleep ok most nights.", "work has been busy.",
             "she reports her mood is better on the new dose.", "he wants help cutting back on drinking."]
    for i, t in enumerate(plain):
        for _ in range(4):
            add("un", "intro", i, "transcript", f(rng.choice(INTRO)) + " " + t, (0, 0, 0), "unrelated")
    # more medical-sense negatives, so the added positives do not raise every weak-cue passage's prior
    for _ in range(400):
        i = rng.randrange(len(MED))
        sents = [fill(MED[i], rng)] + [fill(rng.choice(MED), rng) for _ in range(rng.choice([1, 2, 2, 3]))]
        rng.shuffle(sents)
        add("un", "med", i, rng.choice(MED_STYLES), " ".join(sents), (0, 0, 0), "unrelated")


# ------------------------------------------------------------------ round 3 (issue 4): implicit risk, checkboxes, other people
# Current risk said without the usual words (passive death wishes, means behaviour, overdoses counted in
# words, threats with a weapon or a target, perinatal urges, violence toward a partner, child or parent,
# maltreatment signs in professional wording, UK safeguarding language), ticked-"yes" checkboxes and
# ALL-CAPS nursing quotes; and their look-alikes: unticked items, other families' relationships, a
# relative as the subject, routine leaflets, confidentiality talk, life-stage history, and medical text
# that uses the same words (stocking-glove neuropathy, poor weight gain from reflux, a fall found in urine).
SH3 = [
    ("narrative", "{name} says she has no will to live left and wishes she would not wake up tomorrow."),
    ("narrative", "Since the divorce he has felt there is no point in going on; he denies a plan."),
    ("soap", "S: reports she would not mind dying in her sleep. Denies intent or plan. A: passive SI."),
    ("quote", "{pt} said \"honestly I'd be fine if I just stopped existing.\""),
    ("transcript", "Clinician: How have things been this week?\nClient: I keep thinking everyone would cope without me. I don't want to keep going."),
    ("nursing", "PT CRYING AT HS, SAYS SHE DOESN'T WANT TO BE ALIVE ANYMORE. CHARGE RN AWARE, Q15 CHECKS."),
    ("narrative", "He told the nurse that she won't have to look after him much longer and asked about his will."),
    ("narrative", "{name}'s wife called: he has been saying he won't be around for the baby's birth and gave his tools to a neighbour."),
    ("narrative", "She has stopped taking her heart tablets because she wants to die sooner, she says."),
    ("narrative", "He sat in the car in the closed garage with the engine running {day} until his son pulled him out."),
    ("narrative", "Police found {name} standing on the wrong side of the railing of the motorway bridge {day}."),
    ("narrative", "Pt took forty of his sertraline tablets {day}; he went to bed hoping not to wake."),
    ("abbrev", "pt swallowed a whole strip of her zopiclone {day}, presented to A&E next morning, medically cleared."),
    ("template", "Thoughts of killing self: Yes [X] No [ ]   Intent: Yes [ ] No [X]   Access to means: Yes [X] No [ ]"),
    ("checkbox", "Wish to be dead (past month): ☒ Yes ☐ No      Suicidal thoughts: ☒ Yes ☐ No"),
    ("abbrev", "pt +SI (passive), denies plan, hopeless. HI-. safety plan updated."),
    ("template", "ASQ screen positive (yes to wishing to be dead and to family better off without her), acuity item no; brief safety assessment done."),
    ("template", "PHQ-9 total 19, item 9 = 2 (more than half the days)."),
    ("mse", "Perceptual disturbance: command hallucinations instructing him to hang himself; struggling to resist."),
    ("narrative", "Her daughter reports that {name} has been researching how many of her insulin units would be fatal."),
    ("narrative", "Collateral from his partner: he has been writing letters to the children and says they will understand one day."),
    ("transcript", "Therapist: How close have you come?\nClient: I counted out the pills on Sunday and sat with them for an hour."),
    ("narrative", "DSH by cutting her forearms with a blade twice this week; wounds superficial, dressed in A&E."),
    ("narrative", "She has been banging her head on the wall to hurt herself, most recently two nights ago."),
    ("nursing", "pt c/o thoughts of ending her life this evening, tearful. 1:1 sitter, belongings searched, sharps removed."),
    ("nursing", "pt verbalized wanting to kill himself after phone call with ex. placed on SI precautions, q15 min checks, MD notified."),
    ("nursing", "PT STATES HE WANTS TO DIE, REFUSING DINNER AND MEDS. CONSTANT OBS, LIGATURE RISKS REMOVED FROM ROOM."),
]
HO3 = [
    ("quote", "{pt} said \"I want the landlord dead and I know where he parks.\""),
    ("narrative", "{name} says she is going to go after the man upstairs with {weapon} if the noise carries on."),
    ("narrative", "He came at his brother with a screwdriver {day} and had to be restrained by a neighbour."),
    ("narrative", "Postnatal review: intrusive thoughts of smothering her newborn now feel like urges, and she has asked her mother to stay."),
    ("narrative", "Mother of a 3-month-old describes urges to shake the baby when he cries that she is finding harder to resist."),
    ("narrative", "He says he fantasizes about stabbing {victim} and has been following him after work."),
    ("narrative", "His teacher found plans for an attack on the school in his locker with six classmates' names; he has asked friends where to get a gun."),
    ("mse", "TC: fixed belief that a neighbour is a government agent; says he will 'deal with him' with {weapon}. Denies SI."),
    ("transcript", "Staff: Why are you pacing?\nPatient: That guy in room 12 keeps staring. I'm going to smash his face in before lunch."),
    ("narrative", "{name} pointed a loaded shotgun at the neighbour over a fence dispute {day}."),
    ("abbrev", "pt threatened to run his ex over w/ car, drove past her house x3 {day}, police aware."),
    ("narrative", "HI denied on the screening form; in session he said he keeps {weapon} at home for when {victim} next comes round."),
    ("quote", "{pt} said \"next time he talks to my girlfriend I'm putting him in the hospital.\""),
]
BOTH3 = [  # violence by the patient toward a partner, child or elder: harm_to_others + abuse_neglect
    ("narrative", "{name} admits he slapped his 5-year-old so hard {day} that she has a mark on her face."),
    ("narrative", "He pushed his elderly father down the back steps {day} during an argument about money."),
    ("abbrev", "pt admits grabbing gf by the throat {day}; says she 'wound him up'. ongoing HI toward her."),
    ("narrative", "He admits he has been kicking his wife when drunk, most recently {day}; she has bruised ribs."),
    ("narrative", "She admits she locks her 6-year-old in a cupboard and hits him with a wooden spoon when he wets the bed, most recently {day}."),
    ("narrative", "He held his girlfriend against the wall by her throat {day} and took her phone."),
]
AN3 = [
    ("narrative", "Bruising around both wrists; she discloses that her husband pinned her down {day} when he had been drinking."),
    ("quote", "{pt} said \"he keeps saying that if I take the kids he'll kill me.\""),
    ("mse", "MSE: guarded, watches the door. Thought content dominated by her ex stalking her and turning up at the school gates."),
    ("checkbox", "Partner violence screen: hit, kicked or hurt in past year (X) Yes ( ) No; afraid of partner now (X) Yes ( ) No"),
    ("narrative", "CT head in a 4-month-old shows subdural bleeds of different ages with retinal haemorrhages; A: abusive head trauma, safeguarding referral made."),
    ("soap", "Non-mobile 9-month-old with a spiral femur fracture and no consistent history; skeletal survey and safeguarding referral."),
    ("narrative", "Child told the school nurse her stepdad hits her with a belt; MASH referral made the same day."),
    ("narrative", "The health visitor found the infant has dropped two centiles, with a dirty bottle and no formula in the flat."),
    ("narrative", "Neighbours called police: a 4-year-old and a 6-year-old were left home alone overnight while their mother was out."),
    ("transcript", "Counselor: What happens when there are visitors at home?\nChild: Mum's boyfriend locks us in the bedroom and we don't get any dinner."),
    ("nursing", "RESIDENT NOT REPOSITIONED ALL SHIFT, SOILED AND DEHYDRATED, AIDE ASLEEP IN BREAK ROOM. DON AND APS NOTIFIED."),
    ("narrative", "{elder} says her son takes her pension every week and she is left with no money for food or heating."),
    ("narrative", "{elder} has lost 8 kg since her nephew moved in to 'care' for her; the fridge is empty and her medicines are unopened."),
    ("narrative", "Bruises shaped like fingertips on both upper arms of the resident, who cries when one aide is assigned; incident reported."),
    ("narrative", "Teacher reports the 7-year-old has come to school with bruises on his ears and buttocks and says he 'fell'."),
    ("soap", "S: pt states her husband controls her bank card, takes her phone at night and threatened to take the kids if she leaves."),
    ("narrative", "{elder} says her daughter shouts at her, shoves her and has taken her door key so she cannot go out."),
]
NEG3 = [
    ("template", "Current suicidal ideation: Yes [ ] No [X]    Plan: Yes [ ] No [X]    Intent: Yes [ ] No [X]"),
    ("checkbox", "Suicide screen items: [ ] wish to be dead  [ ] thoughts of killing self  [ ] preparatory behaviour  - none ticked, all negative"),
    ("checkbox", "Routine IPV question asked: (X) no disclosure ( ) disclosure made. Says she is safe."),
    ("checkbox", "Neglect indicators checklist: [ ] dirty clothing [ ] weight loss [ ] missed appointments - nil ticked"),
    ("template", "ASQ: all four questions answered no; negative screen."),
    ("template", "PHQ-9 item 9 = 0; no thoughts of being better off dead."),
    ("nursing", "PT DENIES SI/HI. DENIES AH/VH. CALM, SLEPT 6 HRS."),
    ("nursing", "pt calm and pleasant, denies SI or urges to self harm. remains on q15 min checks per unit routine."),
    ("narrative", "He says he wants to keep living for his grandchildren and has no thoughts of death."),
]
EXPER3 = [
    ("transcript", "Client: My cousin's husband won't let her go out without him, he tracks her location.\nCounselor: How is that for you?"),
    ("quote", "\"My son's been in trouble again, he punched a lad outside the pub,\" {pt} said."),
    ("narrative", "Her partner's ex-wife used to hit him, and he still flinches at raised voices."),
    ("narrative", "Her colleague told her last week that she wanted to die; the client helped her call a crisis line."),
    ("transcript", "Client: A lad from my football team killed himself in the summer.\nTherapist: That must have hit the whole team hard."),
    ("narrative", "His teenage son has been cutting and told his mum he wants to die; the family has a CAMHS appointment."),
    ("narrative", "Her housemate's partner threw a chair at him last week, and she wants to move out."),
    ("narrative", "{name}'s cousin's husband was arrested for hitting her; {name} is supporting her through court."),
]
HYPO3 = [
    ("narrative", "Limits of confidentiality reviewed at intake: a plan to harm someone else would have to be shared."),
    ("template", "All new mothers are given the domestic abuse helpline number; given today as standard."),
    ("soap", "P: safeguarding information provided as routine; parents given the safe-sleep and coping-with-crying leaflet."),
    ("narrative", "We talked about what she would do if the urge to overdose came back: call her sister, then the crisis line."),
    ("narrative", "Education on shaken baby syndrome and coping with crying given to both new parents before discharge."),
    ("narrative", "Reviewed the warning signs of elder financial abuse with the family as part of the memory clinic pack."),
]
HIST3 = [
    ("narrative", "Past psych hx: two overdoses in her early twenties, the last at age 23; none in the decade since."),
    ("narrative", "She self-harmed by cutting during her teenage years and has had no urges for over a decade."),
    ("narrative", "Violence in his first marriage, which ended in 2008; no incidents with his current partner."),
]
IDIOM3 = [
    ("transcript", "Client: Sports day was brutal, the parents' race nearly killed me.\nTherapist: Ha, sounds like it."),
    ("narrative", "He has been neglecting his diabetes since starting night shifts; HbA1c up to 71."),
    ("quote", "{pt} laughed: \"I'm dead on my feet after those night shifts.\""),
]
MED3 = [
    "Numbness in a stocking-glove distribution consistent with diabetic peripheral neuropathy.",
    "Infant with poor weight gain attributed to reflux; feeds thickened and dietitian following.",
    "Found on the floor lying in urine after an unwitnessed fall; CK 2400; admitted for rhabdomyolysis.",
    "Bruising on both forearms from blood draws and IV attempts; platelets normal.",
    "Family considering nursing home placement because of advancing dementia; social work to help.",
    "The car was running when the driver was extracted by the fire service after the collision.",
    "He sat on the edge of the bed and stood with a walker; gait steady.",
    "Took ten tablets of ibuprofen over two days for the toothache; no GI bleeding; counseled on dosing.",
    "Stage 4 sacral pressure injury present on admission from the nursing facility; wound care consulted.",
    "Safeguarding training completed by all ward staff this quarter.",
    "Child left the clinic with her mother after immunizations; no adverse reaction.",
    "Patient decided to stop dialysis after a family meeting; hospice enrolled; comfort care.",
    "Her son manages her pension and pays her bills under power of attorney; she is happy with this.",
    "Burns to both hands from a pan of hot oil while cooking; dressed with silver sulfadiazine.",
    "The patient was left alone in the room briefly to change into a gown.",
    "She will wake up at night coughing and cannot get back to sleep; inhaler technique reviewed.",
    "He is due for his final cycle of chemotherapy next week; counts adequate.",
    "She stopped the prednisone taper after four days and the rash has disappeared.",
    "The baby is cutting a molar and has been drooling and fussy; no fever.",
    "He woke up from anesthesia without complications and was taken to recovery.",
    "The swelling disappeared after elevation and compression; ambulating well.",
    "She may end up needing a second procedure if the wound does not heal.",
    "He wished to have the catheter removed and understands it may need to be replaced.",
    "The pain is worse at night and wakes her up; she shakes out the hand for relief.",
    "The INR was found to be 6 after she doubled her warfarin by mistake; vitamin K given.",
    "Last dose of antibiotics given today; final culture negative.",
    "She feels she needs something to help her sleep; melatonin suggested.",
    "The patient has given up smoking and feels much better.",
    "A short pause in anticoagulation will not change her stroke risk significantly.",
    "He ended the session early because of a dental appointment.",
    "Fall precautions in place, bed alarm on, call light within reach; 1:1 sitter for delirium overnight.",
]


def round3(add, seed: int) -> None:
    rng = random.Random(seed)
    for short, pool, labels in (("sh", SH3, (1, 0, 0)), ("ho", HO3, (0, 1, 0)), ("both", BOTH3, (0, 1, 1)),
                                ("an", AN3, (0, 0, 1))):
        for i, (style, t) in enumerate(pool):
            for _ in range(4):
                text = passage(style, fill(t, rng), rng)
                if style != "transcript" and rng.random() < 0.25:
                    text = lower_dictation(text)
                add(short, "cur3", i, style, text, labels, "current")
    for ctx, pool in (("negated", NEG3), ("experiencer", EXPER3), ("hypothetical", HYPO3), ("historical", HIST3),
                      ("idiom", IDIOM3)):
        for i, (style, t) in enumerate(pool):
            for _ in range(4):
                text = passage(style, fill(t, rng), rng)
                if style != "transcript" and rng.random() < 0.25:
                    text = lower_dictation(text)
                add("nc", ctx[:4] + "3", i, style, text, (0, 0, 0), ctx)
    # medical text with the new cue words, mixed with the round-1 medical pool
    for k in range(len(MED3) * 8):
        i = k % len(MED3)
        sents = [fill(MED3[i], rng)] + [fill(rng.choice(MED), rng) for _ in range(rng.choice([0, 1, 1, 2]))]
        rng.shuffle(sents)
        add("un", "med3", i, rng.choice(MED_STYLES), " ".join(sents), (0, 0, 0), "unrelated")
    for _ in range(300):  # and more of the round-1 pool, as round 2 did
        i = rng.randrange(len(MED))
        sents = [fill(MED[i], rng)] + [fill(rng.choice(MED + MED3), rng) for _ in range(rng.choice([1, 2, 2, 3]))]
        rng.shuffle(sents)
        add("un", "med", i, rng.choice(MED_STYLES), " ".join(sents), (0, 0, 0), "unrelated")


# (label-set, pool): who gets what labels. harm by the patient to a child/elder/partner => both.
POS_POOLS = [("sh", SH, (1, 0, 0)), ("ho", HO, (0, 1, 0)), ("an", AN, (0, 0, 1))]
BOTH = {"{pt} admitted he hit his son with a belt {day} and left welts because the boy 'lied'.",
        "{pt} pushed his girlfriend against the wall {day} and smashed her phone."}

COMPANION = {
    "soap": ["O: well groomed, good eye contact.", "P: f/u 2 wks.", "A: MDD, recurrent, moderate.",
             "Sleep 5 hrs/night.", "Appetite decreased."],
    "mse": ["Mood 'down', affect constricted.", "Speech normal rate and volume.", "Insight limited, judgment fair.",
            "Oriented x3."],
    "abbrev": ["sleep poor.", "appetite ok.", "f/u 1 wk.", "meds: sertraline 100.", "AAOx3."],
    "template": ["Sleep: poor. Appetite: fair.", "Orientation: x3.", "Substance use: denies."],
    "checkbox": ["Sleep problems [X] yes [ ] no", "Appetite change [ ] yes [X] no"],
    "nursing": ["VSS.", "ATE 50% OF LUNCH.", "pt resting in room.", "MEDS GIVEN AS ORDERED."],
    "narrative": ["Session focused on sleep and routines.", "She arrived on time and was engaged.",
                  "Discussed medication side effects.", "We will meet again next week."],
    "quote": ["Affect tearful.", "Pt was calm during the session."],
    "transcript": [],
    "medical": ["Vitals stable.", "Labs unremarkable.", "Follow up in clinic in two weeks."],
}


def passage(style: str, text: str, rng: random.Random) -> str:
    comp = COMPANION.get(style, [])
    parts = [text]
    if comp and style != "transcript" and rng.random() < 0.45:
        c = rng.choice(comp)
        parts.insert(rng.randint(0, 1), c)
    out = " ".join(parts)
    if style == "nursing" and rng.random() < 0.3:
        out = out.upper()
    if rng.random() < 0.1:  # dictation-style drop of the final period
        out = out.rstrip(".")
    return out


def main() -> None:
    rng = random.Random(SEED)
    rows = []
    seen = set()

    def add(kind: str, pool: str, i: int, style: str, text: str, labels: tuple[int, int, int], ctx: str) -> None:
        key = re.sub(r"\s+", " ", text.lower()).strip()
        if key in seen:
            return
        seen.add(key)
        n = sum(1 for r in rows if r["id"].startswith(f"gen-var-{kind}-{pool}-t{i:03d}-"))
        rows.append({"id": f"gen-var-{kind}-{pool}-t{i:03d}-{n}", "text": text, "self_harm": labels[0],
                     "harm_to_others": labels[1], "abuse_neglect": labels[2], "context": ctx, "style": style,
                     "source": "generated"})

    # medical negatives: 1-3 sentences from the pool
    for k in range(1100):
        i = rng.randrange(len(MED))
        sents = [fill(MED[i], rng)] + [fill(rng.choice(MED), rng) for _ in range(rng.choice([0, 1, 1, 2, 2, 3]))]
        add("un", "med", i, rng.choice(MED_STYLES), " ".join(sents), (0, 0, 0), "unrelated")
    for ctx, pool, reps in (("negated", NEG, 6), ("historical", HIST, 6), ("hypothetical", HYPO, 5),
                            ("experiencer", EXPER, 6), ("idiom", IDIOM, 5)):
        for i, (style, t) in enumerate(pool):
            for _ in range(reps):
                add("nc", ctx[:4], i, style, passage(style, fill(t, rng), rng), (0, 0, 0), ctx)
    for short, pool, labels in POS_POOLS:
        for i, (style, t) in enumerate(pool):
            lab = (0, 1, 1) if t in BOTH else labels
            for _ in range(8):
                add(short, "cur", i, style, passage(style, fill(t, rng), rng), lab, "current")
    round2(add, SEED + 1)
    round3(add, SEED + 2)
    with OUT.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} rows to {OUT.name}")


if __name__ == "__main__":
    main()
