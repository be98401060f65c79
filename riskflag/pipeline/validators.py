"""Validators that confirm or reject a pattern match, referenced by name from rule files.
Each takes the matched string and returns True when it is a plausible identifier."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable

import phonenumbers
from stdnum import iban, luhn
from stdnum.us import ssn

__all__ = ["VALIDATORS", "get_validator"]


def _digits(s: str) -> str:
    return "".join(ch for ch in s if ch.isdigit())


def valid_ssn(s: str) -> bool:
    """US SSN: no 000/666/9xx area, no 00 group, no 0000 serial, not a known advertising number."""
    return ssn.is_valid(_digits(s))


def valid_luhn(s: str) -> bool:
    d = _digits(s)
    return len(d) >= 8 and luhn.is_valid(d)


def valid_npi(s: str) -> bool:
    """US National Provider Identifier: 10 digits, Luhn over the '80840' prefix + number."""
    d = _digits(s)
    return len(d) == 10 and d[0] in "12" and luhn.is_valid("80840" + d)


def valid_ipv4(s: str) -> bool:
    try:
        ip = ipaddress.IPv4Address(s)
    except ValueError:
        return False
    return not ip.is_unspecified


def valid_ipv6(s: str) -> bool:
    try:
        ipaddress.IPv6Address(s.strip("[]"))
    except ValueError:
        return False
    return ":" in s and s.count(":") >= 2


def valid_nanp_phone(s: str) -> bool:
    """North American number: area and exchange codes start 2-9 (libphonenumber's possibility check)."""
    d = _digits(s.split("x")[0].split("X")[0].split("ext")[0])
    if len(d) == 11 and d[0] == "1":
        d = d[1:]
    if len(d) != 10:
        return False
    if (s.lstrip().startswith("+1") or "(" in s) and d[0] not in "01":
        return True  # "+1 (555) 123-4567": written as a phone number, even with a fictional exchange
    if d[0] in "01" or d[3] in "01":
        return False
    try:
        num = phonenumbers.parse(d, "US")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_possible_number(num)


#: regions whose national numbers start with a 0 trunk prefix ("07700 900123", "020 7946 0958", "0412 345 678")
_TRUNK_REGIONS = ("GB", "IE", "AU", "NZ", "DE", "FR", "IT", "NL", "BE", "ES", "ZA", "IN")


def valid_national_phone(s: str) -> bool:
    """A national number with a 0 trunk prefix that libphonenumber finds valid in one of a few regions."""
    d = _digits(s)
    if not 10 <= len(d) <= 11 or d[0] != "0":
        return False
    for region in _TRUNK_REGIONS:
        try:
            if phonenumbers.is_valid_number(phonenumbers.parse(d, region)):
                return True
        except phonenumbers.NumberParseException:
            continue
    return False


def valid_intl_phone(s: str) -> bool:
    try:
        num = phonenumbers.parse(s, None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_possible_number(num)


#: x/y pairs that are scores, fractions or scales far more often than dates (strength 4/5, pulses 2/4, 1/2 tab)
_FRACTION_DENOMINATORS = {"2", "3", "4", "5"}


def valid_month_day(s: str) -> bool:
    """Month/day without a year: reject fractions and scale scores (1/2, 3/4, 4/5, 5/5, 2/4) and
    pain scores out of 10 (the context rule ``date.month_day_ctx`` catches 3/4 after 'on')."""
    parts = s.split("/")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        return False
    m, d = int(parts[0]), int(parts[1])
    if not (1 <= m <= 12 and 1 <= d <= 31):
        return False
    if parts[1].lstrip("0") in _FRACTION_DENOMINATORS and m <= d:
        return False
    return parts[1] != "10"  # x/10 is a pain score far more often than a date


def valid_md_pair(s: str) -> bool:
    """Two month/day dates written together (10/03/10/04): the second falls in the same or the next month,
    on a later day when the month is the same (vent settings such as 10/05/12/40 are not)."""
    parts = s.replace("-", "/").split("/")
    if len(parts) != 4 or not all(p.isdigit() for p in parts):
        return False
    m1, d1, m2, d2 = (int(p) for p in parts)
    if not (1 <= m1 <= 12 and 1 <= m2 <= 12 and 1 <= d1 <= 31 and 1 <= d2 <= 31):
        return False
    return (m2 == m1 and d2 > d1) or m2 == m1 % 12 + 1


def valid_iban(s: str) -> bool:
    """IBAN: country code, ISO 7064 mod-97 check digits and the country's length (python-stdnum)."""
    return bool(iban.is_valid(s))


#: UK postcode inward codes never use these letters
_UK_INWARD_BAD = set("CIKMOV")


def valid_uk_postcode(s: str) -> bool:
    """UK postcode: outward code (area letters + district) and inward code (digit + two letters, no C/I/K/M/O/V)."""
    parts = s.split()
    return len(parts) == 2 and len(parts[1]) == 3 and not (set(parts[1][1:]) & _UK_INWARD_BAD)


def valid_dea(s: str) -> bool:
    """DEA registration number: 2 letters + 7 digits, check digit = (d1+d3+d5 + 2*(d2+d4+d6)) mod 10."""
    s = s.strip().upper()
    if len(s) != 9 or not s[:2].isalpha() or not s[2:].isdigit():
        return False
    d = [int(c) for c in s[2:]]
    return (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10 == d[6]


def valid_us_zip(s: str) -> bool:
    """A ZIP code that exists (offline list of the ``zipcodes`` package)."""
    import zipcodes

    try:
        return bool(zipcodes.is_real(s.strip()[:5]))
    except (TypeError, ValueError):
        return False


_STREET_NOT_NAME = {"mg", "mcg", "ml", "units", "unit", "tabs", "tab", "times", "of", "x", "pt", "pts", "mm", "cm",
                    "hrs", "hr", "days", "day", "min", "l", "lpm", "beats", "runs", "run", "bpm", "liters", "amps",
                    "doses", "dose", "puffs", "per", "reg", "regular", "insulin", "hour", "hours", "period", "episodes",
                    "episode", "sq", "sc", "iv", "po", "prn", "given", "total", "over", "q", "qd", "daily", "caps", "drops", "sprays", "to", "and", "or", "in", "at", "on", "by",
                    "with", "from", "for", "the", "a", "an", "rn", "md", "ccu", "icu", "micu", "sicu", "ekg", "ecg",
                    "lead", "leads", "vessel", "vessels", "beat", "pvcs", "pvc", "plus"}


_STREET_UNIT = re.compile(r",|\s(?:apt|apartment|unit|suite|ste|#)\b", re.IGNORECASE)


def valid_street(s: str) -> bool:
    """Street address: the words between number and suffix are not units or clinical words (an apartment or
    unit after the suffix, "42 willow ln, unit 5", is not part of that check)."""
    parts = _STREET_UNIT.split(s, maxsplit=1)[0].split()
    words = [w.strip(".,").lower() for w in parts[1:-1]]
    if not words or any(w in _STREET_NOT_NAME for w in words):
        return False
    # case must agree: "Maple Ridge Rd" or "MAPLE RIDGE RD", not "8u reg insulin SQ"
    letters = [w for w in parts[1:] if w[:1].isalpha()]
    return all(w[:1].isupper() for w in letters) or all(w.islower() for w in letters)


VALIDATORS: dict[str, Callable[[str], bool]] = {
    "month_day": valid_month_day,
    "md_pair": valid_md_pair,
    "national_phone": valid_national_phone,
    "iban": valid_iban,
    "uk_postcode": valid_uk_postcode,
    "dea": valid_dea,
    "us_zip": valid_us_zip,
    "street": valid_street,
    "ssn": valid_ssn,
    "luhn": valid_luhn,
    "npi": valid_npi,
    "ipv4": valid_ipv4,
    "ipv6": valid_ipv6,
    "nanp_phone": valid_nanp_phone,
    "intl_phone": valid_intl_phone,
}


def preload(names: set[str]) -> None:
    """Load the data a validator reads lazily now, at pipeline load, rather than while scanning
    the first note that needs it (the ``zipcodes`` list takes a quarter of a second)."""
    if "us_zip" in names:
        valid_us_zip("10001")


def get_validator(name: str) -> Callable[[str], bool]:
    from ..errors import RulesError

    try:
        return VALIDATORS[name]
    except KeyError:
        raise RulesError(f"unknown validator '{name}'; known: {', '.join(sorted(VALIDATORS))}", code="E307") from None
