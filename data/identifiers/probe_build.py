"""Writes ``probe_nonclinical.jsonl``: a small labelled probe of NON-clinical and mixed text.

Every item was written by hand for this probe (no real person, no evaluation corpus) before any rule
was tuned on it. Items ``probe-dev-*`` were used to tune rules; items ``probe-held-*`` were written at
the same time and are only measured, never tuned on. Spans are given as (substring, label) and every
whole-word occurrence of the substring is labelled (identifiers are flagged everywhere they recur).

Conventions: cities, towns, street addresses, PO boxes and postcodes are ADDRESS (a state or country
name only inside a postal address); years alone and ages up to 89 are not identifiers; employers,
schools and named clinics are FACILITY. Run: ``python data/identifiers/probe_build.py``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

DEV: list[tuple[str, list[tuple[str, str]]]] = [
    ("Hi Sarah, just confirming our meeting with Daniel Okafor on Tuesday, March 4th at 10am. His cell is "
     "(415) 555-0132 and email daniel.okafor@brightpath.io. Thanks, Megan",
     [("Sarah", "NAME"), ("Daniel Okafor", "NAME"), ("March 4th", "DATE"), ("(415) 555-0132", "PHONE"),
      ("daniel.okafor@brightpath.io", "EMAIL"), ("Megan", "NAME")]),
    ("my name is priya patel, i work at walmart in tulsa and my number is 918-555-0144",
     [("priya patel", "NAME"), ("walmart", "FACILITY"), ("tulsa", "ADDRESS"), ("918-555-0144", "PHONE")]),
    ("Please send the signed lease to 221B Baker Street, London NW1 6XE before 1 September 2024.",
     [("221B Baker Street, London NW1 6XE", "ADDRESS"), ("1 September 2024", "DATE")]),
    ("Contact Mohammed Al-Sayed at +44 20 7946 0958 or m.alsayed@example.co.uk for the translation.",
     [("Mohammed Al-Sayed", "NAME"), ("+44 20 7946 0958", "PHONE"), ("m.alsayed@example.co.uk", "EMAIL")]),
    ("Full name: Jennifer L. Whitaker\nDate of birth: 04/17/1962\nAddress: 1840 Maple Grove Rd, Apt 3B, "
     "Columbus, OH 43215\nPhone: 614-555-0187\nSSN: 512-44-7391",
     [("Jennifer L. Whitaker", "NAME"), ("04/17/1962", "DATE"),
      ("1840 Maple Grove Rd, Apt 3B, Columbus, OH 43215", "ADDRESS"), ("614-555-0187", "PHONE"),
      ("512-44-7391", "SSN")]),
    ("Driver's license number: D123-4567-8901 (Illinois). Plate: 7KJL392. VIN 1HGCM82633A004352.",
     [("D123-4567-8901", "LICENSE"), ("7KJL392", "VEHICLE"), ("1HGCM82633A004352", "VEHICLE")]),
    ("Member ID: XJH882019334, Group 00457, policy number PLC-2231987 with Blue Cross.",
     [("XJH882019334", "HEALTH_PLAN"), ("00457", "HEALTH_PLAN"), ("PLC-2231987", "HEALTH_PLAN")]),
    ("My grandmother turned 94 last week and still lives alone in Dubuque.",
     [("94", "AGE"), ("Dubuque", "ADDRESS")]),
    ("Passport number 548213976, issued in Canada, expires 12 March 2031.",
     [("548213976", "ID"), ("12 March 2031", "DATE")]),
    ("Server logs show repeated logins from 192.168.14.201 and 2001:db8:85a3::8a2e:370:7344 to "
     "https://portal.acme-health.com/login?user=jdoe",
     [("192.168.14.201", "IP"), ("2001:db8:85a3::8a2e:370:7344", "IP"),
      ("https://portal.acme-health.com/login?user=jdoe", "URL")]),
    ("Dear Mr. Thompson,\n\nThank you for your letter of June 12, 2023. We have forwarded your claim "
     "(account no. 0048-221-9983) to our office at 500 Fifth Avenue, Suite 1200, New York, NY 10110.\n\n"
     "Sincerely,\nAlicia Gomez\nCustomer Relations",
     [("Thompson", "NAME"), ("June 12, 2023", "DATE"), ("0048-221-9983", "ACCOUNT"),
      ("500 Fifth Avenue, Suite 1200, New York, NY 10110", "ADDRESS"), ("Alicia Gomez", "NAME")]),
    ("hey its jake, can u call kevin? he's at 555-201-4477 til 6",
     [("jake", "NAME"), ("kevin", "NAME"), ("555-201-4477", "PHONE")]),
    ("The device serial number SN 4XK-99812-B was registered to Laura Chen on 2022-11-03.",
     [("4XK-99812-B", "DEVICE"), ("Laura Chen", "NAME"), ("2022-11-03", "DATE")]),
    ("Olivia Martinez and her brother Lucas moved from Guadalajara to Phoenix, Arizona in August 2019.",
     [("Olivia Martinez", "NAME"), ("Lucas", "NAME"), ("Guadalajara", "ADDRESS"), ("Phoenix", "ADDRESS"),
      ("August 2019", "DATE")]),
    ("Fax the completed form to 312-555-0199 attn: Benefits, or mail to PO Box 4471, Springfield, IL 62708.",
     [("312-555-0199", "FAX"), ("PO Box 4471, Springfield, IL 62708", "ADDRESS")]),
    ("Visit our site at www.greenleafdental.com to book. Dr. Anika Rao is accepting new patients.",
     [("www.greenleafdental.com", "URL"), ("Anika Rao", "NAME")]),
    ("Employee: Tomás Hernández-Ruiz, badge #88213, hired 3/15/2018, works at the Kroger distribution "
     "center in Louisville.",
     [("Tomás Hernández-Ruiz", "NAME"), ("88213", "ID"), ("3/15/2018", "DATE"), ("Kroger", "FACILITY"),
      ("Louisville", "ADDRESS")]),
    ("On the 3rd of May, Ingrid Johansson flew from Stockholm to Seattle to visit her son Erik.",
     [("3rd of May", "DATE"), ("Ingrid Johansson", "NAME"), ("Stockholm", "ADDRESS"), ("Seattle", "ADDRESS"),
      ("Erik", "NAME")]),
    ("Wire to IBAN DE89 3704 0044 0532 0130 00, beneficiary Klaus Becker, Hauptstraße 12, 10115 Berlin.",
     [("DE89 3704 0044 0532 0130 00", "ACCOUNT"), ("Klaus Becker", "NAME"),
      ("Hauptstraße 12, 10115 Berlin", "ADDRESS")]),
    ("rsvp to emily.nguyen88@gmail.com by friday 6/7!! party's at 42 willow ln, unit 5, austin tx 78704",
     [("emily.nguyen88@gmail.com", "EMAIL"), ("6/7", "DATE"), ("42 willow ln, unit 5, austin tx 78704", "ADDRESS")]),
    ("The deceased, aged 97, was a longtime resident of Sioux Falls.",
     [("97", "AGE"), ("Sioux Falls", "ADDRESS")]),
    ("Cardholder: Robert K. Ellis. Card number 4539 1488 0343 6467.",
     [("Robert K. Ellis", "NAME"), ("4539 1488 0343 6467", "ACCOUNT")]),
    ("Student: Aiden Brooks, Lincoln Elementary School, Grade 4, student ID 20451187.",
     [("Aiden Brooks", "NAME"), ("Lincoln Elementary School", "FACILITY"), ("20451187", "ID")]),
    ("Met with Wei Zhang and Fatima Begum at the coffee shop on Elm Street in Evanston yesterday.",
     [("Wei Zhang", "NAME"), ("Fatima Begum", "NAME"), ("Elm Street", "ADDRESS"), ("Evanston", "ADDRESS")]),
    ("Mobile: +1 (646) 555-0175 · Office: 646.555.0102 x214 · Fax: (646) 555-0190",
     [("+1 (646) 555-0175", "PHONE"), ("646.555.0102 x214", "PHONE"), ("(646) 555-0190", "FAX")]),
    ("Born 02 Jan 1931 in Cork, Ireland; now 93 years old.",
     [("02 Jan 1931", "DATE"), ("Cork", "ADDRESS"), ("93", "AGE")]),
    ("the tenant, marcus bell, says the landlord (dave) hasn't fixed the heat since november 2nd",
     [("marcus bell", "NAME"), ("dave", "NAME"), ("november 2nd", "DATE")]),
    ("Shipping to: Ana Lúcia Ferreira, Rua Augusta 1520, apto 82, São Paulo - SP, 01304-001, Brazil",
     [("Ana Lúcia Ferreira", "NAME"), ("Rua Augusta 1520, apto 82, São Paulo - SP, 01304-001", "ADDRESS")]),
    ("License plate ABC-1234 (Ohio) was seen leaving 77 Harbor View Drive at 11:40 pm on 10/28/2023.",
     [("ABC-1234", "VEHICLE"), ("77 Harbor View Drive", "ADDRESS"), ("10/28/2023", "DATE")]),
    ("Parkinson disease and Crohn's disease are covered in chapter 4; bring two forms of ID on Monday.", []),
]

HELD: list[tuple[str, list[tuple[str, str]]]] = [
    ("Good morning Ms. Kowalski, your appointment with Dr. Benjamin Adeyemi is confirmed for Thursday, "
     "April 18, 2024 at 2:30 PM at Riverside Family Clinic, 3300 Oak Street, Suite 210, Eugene, OR 97401.",
     [("Kowalski", "NAME"), ("Benjamin Adeyemi", "NAME"), ("April 18, 2024", "DATE"),
      ("Riverside Family Clinic", "FACILITY"), ("3300 Oak Street, Suite 210, Eugene, OR 97401", "ADDRESS")]),
    ("i'm chloe, 19, from boise. my friend sam lives in spokane now",
     [("chloe", "NAME"), ("boise", "ADDRESS"), ("sam", "NAME"), ("spokane", "ADDRESS")]),
    ("Contact: Giulia Romano, Via dei Mille 24, 20129 Milano, Italy. Tel. +39 02 1234 5678.",
     [("Giulia Romano", "NAME"), ("Via dei Mille 24, 20129 Milano", "ADDRESS"), ("+39 02 1234 5678", "PHONE")]),
    ("Policyholder: Marcus J. Reed | Policy No. HX-4471-0092 | Effective 01/01/2025",
     [("Marcus J. Reed", "NAME"), ("HX-4471-0092", "HEALTH_PLAN"), ("01/01/2025", "DATE")]),
    ("Attached is the report Kenji Watanabe sent on 9 Oct. Please forward it to kenji.w@tohoku-lab.jp "
     "and cc lisa.m@contoso.com.",
     [("Kenji Watanabe", "NAME"), ("9 Oct", "DATE"), ("kenji.w@tohoku-lab.jp", "EMAIL"),
      ("lisa.m@contoso.com", "EMAIL")]),
    ("My SSN is 401-22-8765 and my date of birth is July 9, 1988.",
     [("401-22-8765", "SSN"), ("July 9, 1988", "DATE")]),
    ("The property at 15 Rue de Rivoli, 75004 Paris was sold to Hélène Dubois in 2021.",
     [("15 Rue de Rivoli, 75004 Paris", "ADDRESS"), ("Hélène Dubois", "NAME")]),
    ("He is 102 and remembers the 1937 flood in Paducah.",
     [("102", "AGE"), ("Paducah", "ADDRESS")]),
    ("Please reset access for IP 10.0.42.17; user account jmorales (Jorge Morales), employee number E-77104.",
     [("10.0.42.17", "IP"), ("jmorales", "ID"), ("Jorge Morales", "NAME"), ("E-77104", "ID")]),
    ("Dear Aunt Rosa, we finally moved into the new house at 908 Cedar Hollow Court, Franklin, TN 37064. "
     "Love, Nadia and Omar",
     [("Rosa", "NAME"), ("908 Cedar Hollow Court, Franklin, TN 37064", "ADDRESS"), ("Nadia", "NAME"),
      ("Omar", "NAME")]),
    ("Vehicle: 2016 Toyota Camry, VIN 4T1BF1FK5GU123456, registered to Patricia Lynn Moore.",
     [("4T1BF1FK5GU123456", "VEHICLE"), ("Patricia Lynn Moore", "NAME")]),
    ("Call the front desk at 1-800-555-0123 or text 503 555 0161.",
     [("1-800-555-0123", "PHONE"), ("503 555 0161", "PHONE")]),
    ("Devon Clarke (age 91) and his daughter Imani attended the town hall in Macon on 5/2.",
     [("Devon Clarke", "NAME"), ("91", "AGE"), ("Imani", "NAME"), ("Macon", "ADDRESS"), ("5/2", "DATE")]),
    ("Insurance member number: 884 221 9034 01; Medicaid ID: NY4492817K.",
     [("884 221 9034 01", "HEALTH_PLAN"), ("NY4492817K", "HEALTH_PLAN")]),
    ("Alex, can you ask Siobhan Murphy whether the Dublin office (Unit 4, Sandyford Business Park, "
     "Dublin 18) got the keys?",
     [("Alex", "NAME"), ("Siobhan Murphy", "NAME"), ("Dublin", "ADDRESS"),
      ("Unit 4, Sandyford Business Park, Dublin 18", "ADDRESS")]),
    ("Reference letter: I have supervised Rahul Mehta at Infosys since February 2020 and recommend him "
     "without reservation. Karen Holloway, Director",
     [("Rahul Mehta", "NAME"), ("Infosys", "FACILITY"), ("February 2020", "DATE"), ("Karen Holloway", "NAME")]),
    ("Firmware update for pump serial no. PX7730-221 failed; MAC address 00:1A:2B:3C:4D:5E.",
     [("PX7730-221", "DEVICE"), ("00:1A:2B:3C:4D:5E", "DEVICE")]),
    ("Track your order at https://shop.example.org/orders/88421 and it ships to 1200 N Lamar Blvd #304, "
     "Austin, TX 78703.",
     [("https://shop.example.org/orders/88421", "URL"), ("1200 N Lamar Blvd #304, Austin, TX 78703", "ADDRESS")]),
    ("grandpa ray is 96 now and still drives to the vfw hall in mankato every sunday",
     [("ray", "NAME"), ("96", "AGE"), ("mankato", "ADDRESS")]),
    ("Signed this 14th day of November, 2022, by Samuel T. Greene, Notary Public, Commission No. 7751203.",
     [("14th day of November, 2022", "DATE"), ("Samuel T. Greene", "NAME"), ("7751203", "LICENSE")]),
    ("DEA number BR4417782 and NPI 1234567893 for Dr. Leah Goldstein.",
     [("BR4417782", "LICENSE"), ("1234567893", "LICENSE"), ("Leah Goldstein", "NAME")]),
    ("From: Brian Kessler <bkessler@northwind.com>\nSent: Monday, January 8, 2024 9:14 AM\nTo: Priscilla Vance\n"
     "Subject: Q1 budget",
     [("Brian Kessler", "NAME"), ("bkessler@northwind.com", "EMAIL"), ("January 8, 2024", "DATE"),
      ("Priscilla Vance", "NAME")]),
    ("Our new address is 6 Kingfisher Close, Harrogate HG2 8PT; the landline is 01423 567890.",
     [("6 Kingfisher Close, Harrogate HG2 8PT", "ADDRESS"), ("01423 567890", "PHONE")]),
    ("Mrs. Yolanda Price, 88, and her husband, 90, live on Route 9 outside Millbrook.",
     [("Yolanda Price", "NAME"), ("90", "AGE"), ("Route 9", "ADDRESS"), ("Millbrook", "ADDRESS")]),
    ("Account #: 7720019934, holder: Chen Li-Wei, opened at the Fremont branch.",
     [("7720019934", "ACCOUNT"), ("Chen Li-Wei", "NAME"), ("Fremont", "ADDRESS")]),
    ("My daughter Sofia graduated from Roosevelt High School on June 3rd and starts at Purdue in the fall.",
     [("Sofia", "NAME"), ("Roosevelt High School", "FACILITY"), ("June 3rd", "DATE"), ("Purdue", "FACILITY")]),
    ("The claim was filed by Gregory Pham of 330 West 42nd St, Apt 18F, New York, NY 10036, phone "
     "212-555-0148, email gpham@protonmail.com.",
     [("Gregory Pham", "NAME"), ("330 West 42nd St, Apt 18F, New York, NY 10036", "ADDRESS"),
      ("212-555-0148", "PHONE"), ("gpham@protonmail.com", "EMAIL")]),
    ("log: 2024-02-11 08:22:10 login ok user=anna.schmidt ip=172.16.254.3 host=ws-0442",
     [("2024-02-11", "DATE"), ("anna.schmidt", "ID"), ("172.16.254.3", "IP")]),
    ("Hello, this is Fernando calling from Lakeview Apartments about the lease; call me back at 702-555-0109.",
     [("Fernando", "NAME"), ("Lakeview Apartments", "FACILITY"), ("702-555-0109", "PHONE")]),
    ("Set the thermostat to 68, replace the filter every 3 months and read chapter 12 before the Friday meeting.",
     []),
]


def _spans(text: str, marks: list[tuple[str, str]]) -> list[dict]:
    out: list[dict] = []
    for sub, label in marks:
        found = [m.span() for m in re.finditer(r"(?<!\w)" + re.escape(sub) + r"(?!\w)", text)]
        if not found:
            raise ValueError(f"probe span not found: {sub!r}")
        out.extend({"start": s, "end": e, "label": label} for s, e in found)
    out.sort(key=lambda d: (d["start"], -d["end"]))
    kept: list[dict] = []
    for d in out:  # a mark nested in a longer one ("Dublin" inside "... Dublin 18"): keep the outer
        if kept and d["start"] < kept[-1]["end"]:
            if d["end"] <= kept[-1]["end"]:
                continue
            raise ValueError(f"overlapping probe spans in item starting {text[:20]!r}")
        kept.append(d)
    return kept


def build() -> list[dict]:
    rows = []
    for prefix, items in (("probe-dev", DEV), ("probe-held", HELD)):
        for i, (text, marks) in enumerate(items, 1):
            rows.append({"id": f"{prefix}-{i:02d}", "text": text, "spans": _spans(text, marks)})
    return rows


def main() -> None:
    out = Path(__file__).with_name("probe_nonclinical.jsonl")
    with out.open("w", encoding="utf-8") as fh:
        for row in build():
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
