"""Identifier detection through the real spaCy factory path: every label has realistic positives and
negatives, including clinical false friends. Synthetic notes only."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from riskflag.pipeline.extensions import IDENTIFIERS_KEY, span_offsets


def _found(nlp, text):
    doc = nlp(text)
    return [(text[s:e], sp.label_) for sp in doc.spans[IDENTIFIERS_KEY] for s, e in [span_offsets(sp)]]


def _covered(nlp, text, needle):
    start = text.index(needle)
    end = start + len(needle)
    doc = nlp(text)
    spans = [span_offsets(sp) + (sp.label_,) for sp in doc.spans[IDENTIFIERS_KEY]]
    return [lab for s, e, lab in spans if s < end and start < e]


POSITIVES = [
    # (text, identifier substring, acceptable labels)
    # outside the clinic: forms, letters, chat, international formats
    ("Dr. Johnson examined her knee.", "Johnson", {"NAME"}),
    ("Student: Aiden Brooks, Grade 4", "Aiden", {"NAME"}),
    ("Employee: Tomás Hernández-Ruiz, hired in spring", "Hernández-Ruiz", {"NAME"}),
    ("Her landlord, Marcus Bell, has not fixed the heat.", "Marcus", {"NAME"}),
    ("hey its jake, can u call kevin when ur free", "jake", {"NAME"}),
    ("hey its jake, can u call kevin when ur free", "kevin", {"NAME"}),
    ("i work at walmart on the weekends", "walmart", {"FACILITY"}),
    ("See you 12 Mar 2024!", "12 Mar 2024", {"DATE"}),
    ("short link https://bit.ly/3xYz for the form", "https://bit.ly/3xYz", {"URL"}),
    ("Apt 4B, 310 E 14th St, New York", "310 E 14th St", {"ADDRESS"}),
    ("Passport: X12345678, expires 2031", "X12345678", {"ID"}),
    ("Driver's licence: SMITH801234AB9CD", "SMITH801234AB9CD", {"LICENSE"}),
    ("she is aged ninety-three and still sharp", "ninety-three", {"AGE"}),
    ("Ms. Alvarez, 90, lives alone", "90", {"AGE"}),
    ("Vehicle reg: KX19 ABC", "KX19 ABC", {"VEHICLE"}),
    ("Kevin was admitted on 4/2 with chest pain.", "Kevin", {"NAME"}),
    ("flying to denver tmrw, back sunday", "denver", {"ADDRESS"}),
    ("From: Grace Kim\nSubject: rent", "Grace", {"NAME"}),
    ("NAME: JOHN SMITH", "SMITH", {"NAME"}),
    ("He works at the Kroger distribution center.", "Kroger", {"FACILITY"}),
    ("Wire to Klaus Becker, Hauptstraße 12, 10115 Berlin.", "Hauptstraße 12", {"ADDRESS"}),
    ("Wire to Klaus Becker, Hauptstraße 12, 10115 Berlin.", "10115 Berlin", {"ADDRESS"}),
    ("The flat at 15 Rue de Rivoli was sold.", "Rue de Rivoli", {"ADDRESS"}),
    ("Shipping to Rua Augusta 1520, apto 82, São Paulo", "Rua Augusta 1520", {"ADDRESS"}),
    ("Send it to 221B Baker Street, London NW1 6XE.", "London", {"ADDRESS"}),
    ("Born in Cork, Ireland in 1931.", "Cork", {"ADDRESS"}),
    ("We met at the cafe on Elm Street yesterday.", "Elm Street", {"ADDRESS"}),
    ("party's at 42 willow ln, unit 5 tonight", "willow ln", {"ADDRESS"}),
    ("My grandmother turned 94 last week.", "94", {"AGE"}),
    ("Member ID: XJH882019334, Group 00457", "00457", {"HEALTH_PLAN"}),
    ("Signed by a Notary Public, Commission No. 7751203.", "7751203", {"LICENSE"}),
    ("Seen leaving in a sedan with plate 7KJL392.", "7KJL392", {"VEHICLE"}),
    ("Pt seen by Dr. Lee this morning.", "Lee", {"NAME"}),
    ("Discussed with Dr. Okonkwo-Baptiste, who agrees.", "Okonkwo-Baptiste", {"NAME"}),
    ("DR. POWELL AWARE OF K 3.1.", "POWELL", {"NAME"}),
    ("pt's wife Maria at bedside.", "Maria", {"NAME"}),
    ("SOCIAL: SON DAVID VISITED THIS AM.", "DAVID", {"NAME"}),
    ("daughter, suzette, called for update", "suzette", {"NAME"}),
    ("Mr. Nicholson resting comfortably.", "Nicholson", {"NAME"}),
    ("Marie Munroe RN", "Munroe", {"NAME"}),
    ("Signed: Jonathan Whitfield, MD", "Whitfield", {"NAME"}),
    ("Seen on 07/22/2024 in clinic.", "07/22/2024", {"DATE"}),
    ("Admitted 7/22 with chest pain.", "7/22", {"DATE"}),
    ("Follow up on July 22nd, 2024.", "July 22nd, 2024", {"DATE"}),
    ("Started lithium 22-Jul-24.", "22-Jul-24", {"DATE"}),
    ("Seen Tuesday, March 3 by the team.", "March 3", {"DATE"}),
    ("PMH: s/p MI '92, CABG '95.", "92", {"DATE"}),
    ("f/u on the 3rd.", "3rd", {"DATE"}),
    ("98 yo gentleman s/p fall.", "98", {"AGE"}),
    ("a 93 year old woman", "93", {"AGE"}),
    ("Call daughter at (410) 555-0182.", "(410) 555-0182", {"PHONE"}),
    ("cell 301-944-5032 ext 12", "301-944-5032 ext 12", {"PHONE"}),
    ("Pager #54321", "54321", {"PHONE"}),
    ("reach her on +44 20 7946 0958", "+44 20 7946 0958", {"PHONE"}),
    ("Fax: 212-555-0199", "212-555-0199", {"FAX"}),
    ("email jdoe82@example.org for records", "jdoe82@example.org", {"EMAIL"}),
    ("SSN: 123-45-6789", "123-45-6789", {"SSN"}),
    ("MRN: 00451278", "00451278", {"MRN"}),
    ("Member ID: XJH448812901", "XJH448812901", {"HEALTH_PLAN"}),
    ("acct # 7731-22093", "7731-22093", {"ACCOUNT"}),
    ("DEA# AB1234563", "AB1234563", {"LICENSE"}),
    ("NPI: 1234567893", "1234567893", {"LICENSE"}),
    ("car with license plate 7XYZ123 in lot", "7XYZ123", {"VEHICLE"}),
    ("pacemaker serial PJN451278H", "PJN451278H", {"DEVICE"}),
    ("see https://portal.example.com/pt?id=4", "https://portal.example.com/pt?id=4", {"URL"}),
    ("logged in from 192.168.14.7", "192.168.14.7", {"IP"}),
    ("addr 2001:0db8:85a3:0000:0000:8a2e:0370:7334", "2001:0db8:85a3:0000:0000:8a2e:0370:7334", {"IP"}),
    ("Lives at 1420 Maple Ridge Rd, Apt 3B.", "1420 Maple Ridge Rd, Apt 3B", {"ADDRESS"}),
    ("Mail to PO Box 4410.", "PO Box 4410", {"ADDRESS"}),
    ("Towson, MD 21204", "21204", {"ADDRESS"}),
    ("Pt lives in Catonsville with husband.", "Catonsville", {"ADDRESS", "LOCATION"}),
    ("Transferred from St. Agnes this am.", "Agnes", {"FACILITY", "ADDRESS", "LOCATION"}),
    ("Sent to Sacred Heart for cath.", "Sacred Heart", {"FACILITY", "ADDRESS", "LOCATION"}),
    ("Will go to Baltimore Rehab tomorrow.", "Baltimore", {"FACILITY", "ADDRESS", "LOCATION"}),
    ("case no. 2024-CR-118 opened", "2024-CR-118", {"ID"}),
    ("BIGEMINY. W. Okafor aware, Mg given.", "Okafor", {"NAME"}),
    ("SOCIAL: DAUGHTER-KRISTEN CALLED.", "KRISTEN", {"NAME"}),
    ("Sons David and Theodore in to visit.", "Theodore", {"NAME"}),
    ("Heparin held overnight.\n\nSusan Whitlock\n", "Whitlock", {"NAME"}),
    ("BP low, NP Janice made aware.", "Janice", {"NAME"}),
    ("Met with caseworker Leona Labowich today.", "Labowich", {"NAME"}),
    ("TRANSFERRED TO BRIGHTWATER 4 TO BE REINTUBATED.", "BRIGHTWATER", {"FACILITY", "ADDRESS", "LOCATION"}),
    ("Pt admitted from GBX with chest pain.", "GBX", {"FACILITY", "ADDRESS", "LOCATION"}),
    ("Both Suzette and Hank are here.", "Suzette", {"NAME"}),
    ("Yesterday Michael Chen emailed me about the meeting.", "Chen", {"NAME"}),
    ("She told Kevin that the results would be ready.", "Kevin", {"NAME"}),
    ("He retired from Boeing last year.", "Boeing", {"FACILITY"}),
    ("She works at Starbucks on weekends.", "Starbucks", {"FACILITY"}),
    ("Pt lives in Hampton with her sister.", "Hampton", {"ADDRESS", "LOCATION"}),
    ("Mail: 42 Oak Street, Springfield, IL 62704", "Springfield", {"ADDRESS", "LOCATION"}),
    ("Patient: SMITH, JOHN  MRN 123456", "SMITH, JOHN", {"NAME"}),
    ("Name: Jane Roe. Seen today.", "Roe", {"NAME"}),
    ("Age: 91; lives alone.", "91", {"AGE"}),
    ("Found down -> KGH EW, intubated.", "KGH", {"FACILITY", "ADDRESS", "LOCATION"}),
    ("medflight to RMH for emergent cath", "RMH", {"FACILITY", "ADDRESS", "LOCATION"}),
    ("Plan: transfer to brightwater 2 today.", "brightwater", {"FACILITY", "ADDRESS", "LOCATION"}),
    ("P: TRANSFER TO TOWSON REHAB", "REHAB", {"FACILITY", "ADDRESS", "LOCATION"}),
    ("Insulin drip per U Iowa scale.", "U Iowa", {"FACILITY"}),
    ("Records requested from University of Kansas.", "Kansas", {"FACILITY"}),
    ("MANAGED BY THE CHF TEAM AT KMH, BUT", "KMH", {"FACILITY"}),
    ("KEEP OKAFOR FAMILY AWARE OF PLAN.", "OKAFOR", {"NAME"}),
    ("Met with the Hendricks family at noon.", "Hendricks", {"NAME"}),
    ("Family: Son, Ed, was updated by MD today.", "Ed", {"NAME"}),
    ("2) son: Dmitri Kowalczyk - 555-290-8303", "Dmitri", {"NAME"}),
    ("CALLED AS WELL AS A BROTHER VINNY AND A SISTER", "VINNY", {"NAME"}),
    ("Orders signed by Dr. Art White.", "Art", {"NAME"}),
    ("gi: mrs. Park ate oatmeal", "Park", {"NAME"}),
    ("HEPARIN AT 850U/HR NOT 1400U/HR. SUSAN\n", "SUSAN", {"NAME"}),
    ("CASE MANAGEMENT TO CONTACT KAREN ANN YANULIS", "YANULIS", {"NAME"}),
    ("Placed on servo vent.\nBernard Foley CRT", "Bernard Foley", {"NAME"}),
    ("MedFlight from Greater Dayton Med Ctr for GI bleed.", "Greater Dayton Med Ctr", {"FACILITY", "ADDRESS"}),
    ("Pt went to Harbor on 3/6 with abd pain.", "Harbor", {"FACILITY", "ADDRESS", "LOCATION"}),
    ("58 YR OLD ADMITTED TO WHITCOMB HOSP AFTER A FALL", "WHITCOMB", {"FACILITY", "ADDRESS", "LOCATION"}),
    ("hold lasix per md Saeed.", "Saeed", {"NAME"}),
    ("talked with helen from case management about home", "helen", {"NAME"}),
    ("her psychiatrist Dr Sullivan phoned and explained", "Sullivan", {"NAME"}),
    ("her primary psych provider Okafor phoned today", "Okafor", {"NAME"}),
    ("COPING-SISTER ,JANET HAS PHONED TODAY", "JANET", {"NAME"}),
    ("communication with husband milovan.", "milovan", {"NAME"}),
    ("poss transfer to brightwater 2/3 today.", "brightwater", {"FACILITY", "ADDRESS", "LOCATION"}),
    ("reintubations that she had at kmh. she presents", "kmh", {"FACILITY"}),
    ("PT MAY BE W/U BY GBMC FOR TRANSPLANT", "GBMC", {"FACILITY"}),
    ("Per Brightwater 3 RN, UO only 20cc", "Brightwater", {"FACILITY", "ADDRESS", "LOCATION"}),
    ("911 called and pt taken to kernan hosp. she", "kernan", {"FACILITY", "ADDRESS", "LOCATION"}),
    ("transferred via ambulance to kessler-adventist rehab", "kessler-adventist", {"FACILITY", "ADDRESS"}),
    ("gi: mrs. Park ate a small amount", "Park", {"NAME"}),
    ("son very devoted. Lopie Certusi cell# 410-322-1419", "Certusi", {"NAME"}),
    ("pt oriented, says it's the 11th.", "11th", {"DATE"}),
    ("11/21.93\nneuro: alert", "11/21.93", {"DATE"}),
    ("reintubations that she had at kgh. SHe presents", "kgh", {"FACILITY"}),
    ("Family at bedside. Anne is family contact.", "Anne", {"NAME"}),
    ("CASE MANAGEMENT ON MONDAY (LUCY IS ON VACATION)", "LUCY", {"NAME"}),
    ("Surgeon from Harbor in this eve to talk to pt.", "Harbor", {"FACILITY", "ADDRESS", "LOCATION"}),
    ("pt's belongings found from brightwater 5. pt aware", "brightwater", {"FACILITY", "ADDRESS", "LOCATION"}),
    ("contact was made with martin carey from ethics.", "carey", {"NAME"}),
    ("SBP 80s. Dr. o rourke in room.", "rourke", {"NAME"}),
    ("nursing progress note\n1->2 nov, 96\n1900 - 0700", "1->2", {"DATE"}),
    ("HCT 30 POST 3/3 TX.", "3/3", {"DATE"}),
    ("Nephew, Neil Meitz of Towson visited today.", "Towson", {"ADDRESS", "LOCATION"}),
    ("overview of this towson maryland's facility", "towson", {"ADDRESS", "LOCATION"}),
    ("PT ASYMPTOMATIC. NP DJURIC MADE AWARE, BOLUSED", "DJURIC", {"NAME"}),
    ("presented to holy cross hospital from towson rehab 7/6", "towson", {"FACILITY", "ADDRESS"}),
    ("she arrived via amb from kernan ew for further eval", "kernan", {"FACILITY"}),
    ("MARRIED. HUSBAND CEO OF IBM.  SMOKER 30PK/YR.", "IBM", {"FACILITY"}),
    ("HAD TREATMENTS 10/03/10/04 AND DUE FOR XRT AGAIN", "10/03/10/04", {"DATE"}),
]


@pytest.mark.parametrize(("text", "needle", "labels"), POSITIVES, ids=[p[1][:20] for p in POSITIVES])
def test_positive(nlp_ids, text, needle, labels):
    got = _covered(nlp_ids, text, needle)
    assert got, f"missed {needle!r}"
    assert set(got) & labels, f"{needle!r} labelled {got}"


NEGATIVES = [
    ("PT/OT consult placed.", "PT/OT"),
    ("Foley draining clear yellow urine.", "Foley"),
    ("Continue Zoloft 50 mg daily.", "Zoloft 50 mg"),
    ("BP 120/80 HR 72.", "120/80"),
    ("SI joint injection, no SI or HI.", "SI joint"),
    ("GI consulted, EGD planned.", "GI"),
    ("Strength 4/5 in LLE, pulses 2/4.", "4/5"),
    ("Give 1/2 tab at bedtime.", "1/2"),
    ("Pain 7/10 at rest.", "7/10"),
    ("Weaned to PSV 10/5 with good tidal volumes.", "10/5"),
    ("Hct 29.7, K 4.1, Cr 1.2, INR 2.5.", "29.7"),
    ("NC 2-3 L, sats 95%.", "2-3"),
    ("HR 98 sinus rhythm.", "98"),
    ("Sats mid 90's on 40% face tent.", "90's"),
    ("MS: alert and oriented x3.", "alert"),
    ("LASIX DEC TO 10 MG/HR.", "DEC"),
    ("Lungs with crackles, white sputum.", "white"),
    ("ST elevation in V2-V4, ST 110s.", "ST elevation"),
    ("Glasgow coma scale 14, Braden 13.", "Glasgow"),
    ("Swan-Ganz catheter removed.", "Swan-Ganz"),
    ("Parkinson disease on Sinemet.", "Parkinson"),
    ("Transferred to MICU for closer monitoring.", "MICU"),
    ("Plan discussed with team and RN.", "team"),
    ("Stable overnight; will monitor.", "Stable"),
    ("Mark the incision site.", "Mark"),
    ("Hope to extubate in am.", "Hope"),
    ("Vent AC 700x10/10/40% no changes.", "10/10/40"),
    ("S. aureus and E. coli in sputum.", "aureus"),
    ("Given 40 mg Lasix at 9PM.", "Given"),
    ("3-4+ MR. Given total 6u PRBC.", "Given"),
    ("Increased to 8 MCGS, transferred to CCU.", "CCU"),
    ("Sats 95% on 2L. Pt resting.", "Pt"),
    ("Kelly clamp and Metzenbaum scissors were used.", "Kelly"),
    ("A Blake drain was placed through a stab incision.", "Blake"),
    ("Able to bear weight with assist.", "bear"),
    ("Pt works at night.", "night"),
    ("Patient: alert and oriented.", "alert"),
    ("Seen by Nurse Practitioner Amy Wu.", "Nurse"),
    ("PAIN, NAUSEA, STABLE overnight.", "NAUSEA"),
    ("CON'T TO MONITOR. PAP'S 50'S.", "CON'T"),
    ("Sister lives in California.", "California"),
    ("SON WENT BACK TO MASSACHUSETTS TODAY.", "MASSACHUSETTS"),
    ("P. ANTIBX AS ORDERED", "ANTIBX"),
    ("S. INTUBATED, SEDATED.", "INTUBATED"),
    ("RESP: 4L NP CRACKLES 1/2 UP BILATERALLY", "CRACKLES"),
    ("MAP 35-45 HO NOTIFED, MILRINONE DECREASED", "NOTIFED"),
    ("P: MONITOR RESP STATUS, BEGIN REHAB.", "BEGIN"),
    ("3/16-> CABGx4. PCWP 7.", "CABG"),
    ("ABG PRIOR TO INTUBATION 7.23/115/38", "INTUBATION"),
    ("Chest tubes-> Mediastinalx2 to 20 cm.", "Mediastinal"),
    ("To be seen by derm service tomorrow.", "derm"),
    ("A: NO IMPROVEMENT IN MS. TOLERATING EXTUBATION.", "TOLERATING"),
    ("URINARY RETENTION DUE TO BPH.", "BPH"),
    ("Give 4 u of insulin.", "u"),
    ("PT HAS A LARGE FAMILY.", "LARGE"),
    ("SON VISTED TODAY.", "VISTED"),
    ("Plan to extubate. Mark", "Mark"),
    ("change Foley, RN aware", "Foley"),
    ("She presented to Labor and Delivery at 40 weeks.", "Labor"),
    ("Baby went to Newborn Nursery.", "Newborn"),
    ("The patient was taken to the Postanesthesia Care Unit.", "Postanesthesia"),
    ("Specimens were sent to Pathology.", "Pathology"),
    ("She graduated from high school.", "high"),
    ("He has a nephew who was his sister's son.", "son"),
    ("Discharged on lovastatin 10 mg daily.", "lovastatin"),
    ("MD AWRE OF K 3.1", "AWRE"),
    ("NC->SPO2 99%, OGT->LCS drng bilious", "LCS"),
    ("Discharged on Lortab 5/500 daily.", "Lortab"),
    ("Spoke with family at bedside.", "family"),
    ("Notified Grace from pharmacy? no, notified pharmacy.", "pharmacy"),
    ("Foley called in to urology.", "Foley"),
    ("husband visited, ambulating in hall", "ambulating"),
    ("The patient presents to podiatry clinic today.", "podiatry"),
    ("5.  Congestive heart failure with EF 20%.", "Congestive"),
    ("was on cpap at prev rehab site", "prev"),
    ("ph to 7.2 at ph. 7", "ph"),
    ("GIVEN 2 RN AWARE", "GIVEN"),
    ("IV Pump Pager 4433", "Pump"),
    ("On the 3rd postoperative day, the patient ambulated.", "3rd"),
    ("this is the 2nd time today", "2nd"),
    ("give 1/2.5 tab", "1/2.5"),
    ("Mark is here for the dressing change.", "Mark"),
    ("Her ANA was 1:40, speckled.", "ANA"),
    ("We will switch her to Protopic at night.", "Protopic"),
    ("Discharged from Angiography in good condition.", "Angiography"),
    ("weaned from levophed 5 mcg", "levophed"),
    ("whose name is Carmen.  Mothers partner had", "Mothers"),
    ("1-2 may be given for pain", "1-2"),
    ("NEEDS SALINE LAVAGE TO LOOSEN SECRETIONS.", "SALINE"),
    ("one episode with flushing of the drain", "flushing"),
    ("CRACKLES AT BASES. PA STAS 73,72.", "STAS"),
    ("doctors, dr. bob culhane and most decisions go through him", "most"),
    ("Clear but diminished on the R. Spo2>95% on 3L.", "Spo"),
    ("Advance diet to mech soft.", "mech"),
    ("sent from cardiology er", "cardiology"),
    ("PROFESSOR OF MEDICINE", "MEDICINE"),
    ("VENT 10/05/12/40% NO CHANGES", "10/05/12/40"),
    # eponymous instruments, tests and signs in transcribed procedure notes (cues.json eponym_next)
    ("The right lower extremity was placed in a Johnson knee holder.", "Johnson"),
    ("The cervix was serially dilated with Hank dilators.", "Hank"),
    ("The cord was short and required Prentiss maneuver for length.", "Prentiss"),
    ("We left an 18-French Robinson through the stoma.", "Robinson"),
    ("A 12-mm VersaStep port was placed through the umbilicus.", "VersaStep"),
    ("She completed 9 minutes of the Bruce protocol without symptoms.", "Bruce"),
    ("Breast development is Tanner stage 4.", "Tanner"),
    ("Removal of fractured fixation plate from T11 through L2.", "T11"),
    ("Saphenous vein graft to the obtuse marginal branch.", "vein"),
    ("Stent in the left anterior descending and circumflex arteries.", "circumflex"),
    ("A sterile 16-French Foley catheter was inserted.", "French"),
    ("Endo GIA stapler was used to divide the vessel.", "GIA"),
    ("The lens was cracked with McPherson forceps.", "McPherson"),
    ("I encouraged her to see a primary medical doctor.  Mother has no drug history.", "Mother"),
    ("His doctor advised him to quit.", "advised"),
    ("The patient was rolled back over the doctor's hand.", "hand"),
    ("GU: Tanner II female genitalia.", "Tanner"),
    ("Growth and Development: Denver II normal.", "Denver"),
    ("WORK RESTRICTIONS AND DISABILITY: none.", "RESTRICTIONS"),
    ("Blood pressure 156/93, pulse is 100, respiratory rate 18.", "100"),
    ("Neck:  Supple.  Lungs:  Clear.", "Supple"),
    ("C. Petechial hemorrhages, conjunctivae.", "Petechial"),
    ("she is in reading class", "reading"),
    ("A small Santa Barbara tube was placed.", "Santa"),
]


@pytest.mark.parametrize(("text", "needle"), NEGATIVES, ids=[n[1][:20] for n in NEGATIVES])
def test_negative(nlp_ids, text, needle):
    assert not _covered(nlp_ids, text, needle), f"false positive on {needle!r}"


def test_consistency_propagates_name_parts(nlp_ids):
    text = "Robert Fitzgerald called at noon. Later, per Fitzgerald, the plan is unchanged. Bernard Foley CRT. Foley out."
    got = _found(nlp_ids, text)
    assert ("Fitzgerald", "NAME") in got
    assert not [g for g in got if g[0] == "Foley"]  # a clinical word inside a name is not copied


def test_title_stops_at_sentence_end(nlp_ids):
    got = _found(nlp_ids, "Cardiac outputs done per Dr. Martyn. Thermodilution and fick agree.")
    assert ("Martyn", "NAME") in got and not any("Thermodilution" in g[0] for g in got)


def test_consistency_propagates(nlp_ids):
    text = "Dr. Okafor aware. Later Okafor came to bedside."
    doc = nlp_ids(text)
    starts = {span_offsets(sp)[0] for sp in doc.spans[IDENTIFIERS_KEY]}
    assert text.index("Okafor") in starts
    assert text.rindex("Okafor") in starts


def test_threshold_trades_recall(nlp_ids):
    from riskflag.pipeline import build_nlp

    text = "Pt lives in Catonsville. Dr. Lee aware. Seen 7/22."
    strict = build_nlp(risk=False, identifier_threshold=0.95)
    assert len(strict(text).spans[IDENTIFIERS_KEY]) < len(nlp_ids(text).spans[IDENTIFIERS_KEY])


def test_offsets_valid_and_scored(nlp_ids):
    text = "SOCIAL: WIFE HELEN CALLED FROM 410-555-0182 ON 3/4/21. DR. SMITH AWARE."
    doc = nlp_ids(text)
    for sp in doc.spans[IDENTIFIERS_KEY]:
        s, e = span_offsets(sp)
        assert 0 <= s < e <= len(text)
        assert 0.0 < sp._.score <= 1.0
        assert sp._.source


@pytest.mark.parametrize("years", ["context", "all", "none"])
def test_year_policy(years):
    from riskflag.pipeline.patterns import PatternDetector

    det = PatternDetector(years=years)
    det.load()
    text = "PMH: MI '92. Knows it is 2020."
    found = {text[m.start:m.end] for m in det.match(text) if m.label == "DATE"}
    assert ("92" in found) == (years != "none")
    assert ("2020" in found) == (years == "all")


def test_bad_year_policy():
    from riskflag.errors import ConfigError
    from riskflag.pipeline.patterns import PatternDetector

    with pytest.raises(ConfigError):
        PatternDetector(years="sometimes")


def test_pipeline_order(nlp_ids):
    names = nlp_ids.pipe_names
    assert names.index("riskflag_patterns") < names.index("riskflag_identifiers")
    assert names.index("riskflag_id_model") < names.index("riskflag_identifiers")


def test_pipeline_round_trip(nlp_ids, tmp_path):
    """nlp.to_disk saves patterns, lexicons and the model; spacy.load gives the same identifiers."""
    import spacy

    text = "Dr. Lee saw pt on 07/22/2024. Wife Maria called from Towson, MD 21204. Both Suzette and Hank here."
    nlp_ids.to_disk(tmp_path / "nlp")
    assert (tmp_path / "nlp" / "riskflag_id_cues" / "cues.json").is_file()
    assert (tmp_path / "nlp" / "riskflag_id_model" / "manifest.json").is_file()
    loaded = spacy.load(tmp_path / "nlp")
    d1, d2 = nlp_ids(text), loaded(text)
    a = [(span_offsets(s), s.label_) for s in d1.spans[IDENTIFIERS_KEY]]
    b = [(span_offsets(s), s.label_) for s in d2.spans[IDENTIFIERS_KEY]]
    assert a == b and a


#: every identifier label: realistic positives and negatives (clinical false friends) through the full pipeline.
#: A negative asserts that the needle is not reported with this label.
LABEL_CASES = {
    "NAME": (
        [("pt's wife Maria at bedside.", "Maria"), ("DR. POWELL AWARE OF K 3.1.", "POWELL"),
         ("My name is Aisha and I need help.", "Aisha"), ("this is patricia from billing", "patricia"),
         ("communication with husband milovan.", "milovan")],
        [("Foley draining clear yellow urine.", "Foley"), ("Parkinson disease on Sinemet.", "Parkinson"),
         ("PA STAS 73,72 after the bolus.", "STAS"), ("Asking for Maalox.", "Maalox"),
         ("This is marked improvement.", "marked"), ("S1 S2 heard, V2 4MI noted.", "V2 4MI")],
    ),
    "DATE": (
        [("Seen on 07/22/2024 in clinic.", "07/22/2024"), ("Follow up on July 22nd, 2024.", "July 22nd")],
        [("Strength 4/5 in LLE.", "4/5"), ("Weaned to PSV 10/5.", "10/5"), ("Pain 7/10 at rest.", "7/10"),
         ("On the 3rd postoperative day she walked.", "3rd")],
    ),
    "AGE": (
        [("98 yo gentleman s/p fall.", "98"), ("Age: 91; lives alone.", "91")],
        [("HR 98 sinus rhythm.", "98"), ("Sats 94% on 2L.", "94"), ("a 45 yo male", "45")],
    ),
    "PHONE": (
        [("Call daughter at (410) 555-0182.", "(410) 555-0182"), ("Pager #54321", "54321"),
         ("or reach him at +1 (555) 123-4567 after 5", "+1 (555) 123-4567"),
         ("Please call Siobhan on 07700 900123 before Friday.", "07700 900123")],
        [("BP 120/80 HR 88.", "120/80"), ("Page 2 of 3.", "2"), ("Weight +5 lbs today.", "+5"),
         ("Shift 0700 1900 uneventful, call light in reach.", "0700 1900"), ("ICD 555-1234 interrogated.", "555-1234")],
    ),
    "FAX": (
        [("Fax: 212-555-0199", "212-555-0199"), ("records faxed to 410-555-0123 today", "410-555-0123")],
        [("FiO2 40%, PEEP 5.", "40"), ("Faxed the order to pharmacy.", "pharmacy")],
    ),
    "EMAIL": (
        [("email jdoe82@example.org for records", "jdoe82@example.org")],
        [("Sats 95% @ 2L NC.", "@ 2L"), ("Meet @ 3pm with team.", "@ 3pm")],
    ),
    "SSN": (
        [("SSN: 123-45-6789", "123-45-6789")],
        [("SSN 000-12-3456 on the old form", "000-12-3456"), ("INR 1.2, PTT 35.2", "35.2")],
    ),
    "MRN": (
        [("MRN: 00451278", "00451278")],
        [("MR 2+ on echo.", "2+"), ("MRN pending from registration.", "pending")],
    ),
    "HEALTH_PLAN": (
        [("Member ID: XJH448812901", "XJH448812901")],
        [("Member of the care team updated.", "Member"), ("Medicare eligible next year.", "Medicare")],
    ),
    "ACCOUNT": (
        [("acct # 7731-22093", "7731-22093"), ("My account number is 12345678.", "12345678"),
         ("IBAN GB82 WEST 1234 5698 7654 32 for the refund.", "GB82 WEST 1234 5698 7654 32")],
        [("Taking into account 2 falls.", "account"), ("Platelets 150, Hct 29.", "150"),
         ("IBAN GB82 WEST 1234 5698 7654 33 (bad check digits)", "GB82 WEST")],
    ),
    "LICENSE": (
        [("DEA# AB1234563", "AB1234563"), ("NPI: 1234567893", "1234567893")],
        [("DEA# AB1234567", "AB1234567"), ("Licensed for 20 years.", "20")],
    ),
    "VEHICLE": (
        [("car with license plate 7XYZ123 in lot", "7XYZ123")],
        [("Ate a plate of food.", "plate"), ("PAP/Plateau 22/19.", "22/19"), ("PLT 150 this am.", "150")],
    ),
    "DEVICE": (
        [("pacemaker serial PJN451278H", "PJN451278H")],
        [("Serial exams q2h.", "exams"), ("Serial troponins x3 negative.", "troponins")],
    ),
    "URL": (
        [("see https://portal.example.com/pt?id=4", "https://portal.example.com/pt?id=4")],
        [("Pt. ate well, q.d. dosing.", "q.d."), ("e.g. Tylenol prn", "e.g.")],
    ),
    "IP": (
        [("logged in from 192.168.14.7", "192.168.14.7")],
        [("Device version 1.2.3 updated.", "1.2.3"), ("ABG 7.35/66/55 on BiPAP.", "7.35/66/55")],
    ),
    "ADDRESS": (
        [("Lives at 1420 Maple Ridge Rd, Apt 3B.", "1420 Maple Ridge Rd"), ("Mail to PO Box 4410.", "PO Box 4410"),
         ("Pt lives in Catonsville with husband.", "Catonsville"), ("221B Baker Street, London NW1 6XE.", "NW1 6XE")],
        [("Given 2 units of blood.", "2 units"), ("ST elevation in V2-V4.", "ST elevation"),
         ("Sister lives in California.", "California"), ("NEEDS SALINE LAVAGE.", "SALINE")],
    ),
    "LOCATION": (
        [("Was vacationing in Okracoke Shoals when he fell.", "Okracoke Shoals"),
         ("He moved here from Tarrytown last year.", "Tarrytown"), ("Born 3 March 1985 in Lagos.", "Lagos"),
         ("She moved from Mumbai to Toronto.", "Mumbai")],
        [("Sister lives in California.", "California"), ("one episode with flushing of the drain", "flushing"),
         ("Destin lotion applied to buttocks.", "Destin"), ("MRA showed no flow to R ICA.", "ICA"),
         ("Saline gauze placed. Iced saline pads applied.", "saline"), ("History of factor V Leiden.", "Leiden")],
    ),
    "FACILITY": (
        [("Sent to Sacred Heart for cath.", "Sacred Heart"), ("MANAGED BY THE CHF TEAM AT KMH, BUT", "KMH"),
         ("Insulin drip per U Iowa scale.", "U Iowa")],
        [("Transferred to MICU for closer monitoring.", "MICU"), ("Specimens were sent to Pathology.", "Pathology"),
         ("She presented to Labor and Delivery.", "Labor"), ("Increased to 8 MCGS, transferred to CCU.", "CCU")],
    ),
    "ID": (
        [("case no. 2024-CR-118 opened", "2024-CR-118")],
        [("ID consulted for fever.", "ID"), ("A case of the flu.", "case")],
    ),
}
#: labels a place may carry: a positive for one place label may come out as another
_PLACE = {"ADDRESS", "LOCATION", "FACILITY"}


def test_every_label_has_cases():
    from riskflag.types import IDENTIFIER_LABELS

    assert set(LABEL_CASES) == set(IDENTIFIER_LABELS)
    for label, (pos, neg) in LABEL_CASES.items():
        assert pos and neg, label


@pytest.mark.parametrize(("label", "text", "needle"),
                         [(lab, t, n) for lab, (pos, _) in LABEL_CASES.items() for t, n in pos],
                         ids=lambda v: str(v)[:24])
def test_label_positive(nlp_ids, label, text, needle):
    got = set(_covered(nlp_ids, text, needle))
    want = _PLACE if label in _PLACE else ({"PHONE", "FAX"} if label in ("PHONE", "FAX") else {label})
    assert got & want, f"{label}: {needle!r} labelled {got}"


@pytest.mark.parametrize(("label", "text", "needle"),
                         [(lab, t, n) for lab, (_, neg) in LABEL_CASES.items() for t, n in neg],
                         ids=lambda v: str(v)[:24])
def test_label_negative(nlp_ids, label, text, needle):
    got = set(_covered(nlp_ids, text, needle))
    assert label not in got, f"{label}: false positive on {needle!r}"


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from([*"abAB _-1.é", "ab", "AB", "aba"]), max_size=20).map("".join),
       st.sampled_from(["ab", "a", "aba", "b a", "a-b", "é", "ab.", "1"]))
def test_whole_word_occurrences_match_the_regex(text, key):
    """Consistency propagation's str.find search equals ``(?<!\\w)key(?!\\w)`` with IGNORECASE."""
    import regex

    from riskflag.pipeline.identifiers import _whole_word_occurrences

    pat = regex.compile(r"(?<![\w])" + regex.escape(key) + r"(?![\w])", regex.IGNORECASE)
    expected = [m.span() for m in pat.finditer(text)]
    assert _whole_word_occurrences(text, text.lower() if text.isascii() else None, key) == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.integers(0, 7), max_size=5), min_size=1, max_size=6))
def test_row_sums_equal_the_sparse_product(rows):
    """The identifier model's logits: summing coefficient rows gives ``X @ coef`` (to rounding),
    empty rows and repeated features included."""
    import numpy as np
    from scipy import sparse

    from riskflag.pipeline.id_model import _row_sums

    coef = np.random.default_rng(len(rows)).normal(size=(8, 3))
    indptr, indices = [0], []
    for r in rows:
        indices.extend(r)
        indptr.append(len(indices))
    X = sparse.csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(rows), 8))
    np.testing.assert_allclose(_row_sums(coef, indices, indptr), X @ coef, rtol=1e-12, atol=1e-12)
