"""Validators that confirm or reject a pattern match, referenced by name from rule files.
Each takes the matched string and returns True when it is a plausible identifier."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

import phonenumbers
from stdnum import luhn
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
    if len(d) != 10 or d[0] in "01" or d[3] in "01":
        return False
    try:
        num = phonenumbers.parse(d, "US")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_possible_number(num)


def valid_intl_phone(s: str) -> bool:
    try:
        num = phonenumbers.parse(s, None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_possible_number(num)


VALIDATORS: dict[str, Callable[[str], bool]] = {
    "ssn": valid_ssn,
    "luhn": valid_luhn,
    "npi": valid_npi,
    "ipv4": valid_ipv4,
    "ipv6": valid_ipv6,
    "nanp_phone": valid_nanp_phone,
    "intl_phone": valid_intl_phone,
}


def get_validator(name: str) -> Callable[[str], bool]:
    from ..errors import RulesError

    try:
        return VALIDATORS[name]
    except KeyError:
        raise RulesError(f"unknown validator '{name}'; known: {', '.join(sorted(VALIDATORS))}", code="E307") from None
