"""The words and patterns that type names where spaCy's small model errs.

Measured on a labelled sample (``benchmarks/entities.py``); how they are used
is told in :mod:`retrieval.briefing.entities`.
"""

from __future__ import annotations

#: Words before a name that make it a person: titles, offices and roles.
TITLES = frozenset(
    [
        "president",
        "mr",
        "mrs",
        "ms",
        "dr",
        "gen",
        "general",
        "sen",
        "senator",
        "rep",
        "governor",
        "gov",
        "minister",
        "chairman",
        "chairwoman",
        "spokesman",
        "spokeswoman",
        "captain",
        "capt",
        "pilot",
        "copilot",
        "co-pilot",
        "coach",
        "manager",
        "boss",
        "striker",
        "midfielder",
        "defender",
        "goalkeeper",
        "judge",
        "prosecutor",
        "attorney",
        "executive",
        "secretary",
        "deputy",
        "commander",
        "ambassador",
        "mayor",
        "prince",
        "princess",
        "king",
        "queen",
        "pope",
        "sir",
        "lord",
        "lady",
        "professor",
        "prof",
        "sheikh",
        "ayatollah",
        "lt",
        "col",
        "colonel",
        "sgt",
        "sergeant",
        "officer",
        "chief",
        "director",
        "actor",
        "actress",
        "singer",
    ]
)
#: Last words that make a name an organisation ("Ho Chi Minh ATC").
ORGANISATION_WORDS = frozenset(
    [
        "atc",
        "radar",
        "airlines",
        "airways",
        "airline",
        "party",
        "commission",
        "council",
        "ministry",
        "agency",
        "police",
        "army",
        "navy",
        "fc",
        "club",
        "university",
        "college",
        "institute",
        "association",
        "federation",
        "union",
        "company",
        "corporation",
        "corp",
        "inc",
        "ltd",
        "group",
        "bank",
        "court",
        "committee",
        "department",
        "office",
        "board",
        "league",
        "network",
        "times",
        "post",
        "guardian",
        "news",
    ]
)
#: Words that say the name next to them is a place: before it with "of" ("the
#: town of Tafawa Balewa") or right after it ("Buratai village", "Brannock port").
PLACE_NOUNS = frozenset(
    [
        "town",
        "city",
        "village",
        "port",
        "province",
        "state",
        "region",
        "district",
        "county",
        "island",
        "capital",
        "valley",
        "airport",
        "harbour",
        "harbor",
    ]
)
#: Last words of the names of agreements and laws, which are not listed
#: ("Abuja Accord", "Affordable Care Act"); a lowercase "law" after a name
#: too ("Sharia law", but not "Harvard Law School").
DOCUMENT_WORDS = [
    "accord", "accords", "treaty", "agreement", "act", "convention", "protocol", "charter",
    "declaration",
]  # fmt: skip
#: Capitalised words the model lists but that name nothing in particular.
GENERIC = frozenset(
    ["state", "media", "radar", "government", "parliament", "police", "army", "twitter", "fellow"]
)
#: Abbreviations merged into one name.
ALIASES: dict[str, str] = {
    "us": "United States",
    "u.s.": "United States",
    "u.s": "United States",
    "usa": "United States",
    "u.s.a.": "United States",
    "united states of america": "United States",
    "uk": "United Kingdom",
    "u.k.": "United Kingdom",
    "un": "United Nations",
    "u.n.": "United Nations",
    "eu": "European Union",
    "e.u.": "European Union",
}
#: Armed groups the small model takes for people or places.
KNOWN_ORGANISATIONS: tuple[str, ...] = (
    "Boko Haram", "ISIS", "ISIL", "Islamic State", "Hamas", "Hezbollah", "Taliban",
    "al-Shabaab", "al Qaeda", "al-Qaeda", "Kataib Hezbollah",
)  # fmt: skip
TIME_ZONES = ["ET", "EST", "EDT", "PT", "PST", "PDT", "BST", "GMT", "CET", "UTC", "CST"]


def ruler_patterns() -> list[dict[str, object]]:
    """Entity-ruler patterns: flights, matches, agreements, time zones and known groups.

    Returns:
        Patterns in spaCy's ``EntityRuler`` format; labels EVENT, LAW and
        TIME are not listed in a briefing, ORG is.
    """
    flight_code = {"TEXT": {"REGEX": r"^[A-Z]{2}\d{1,4}$"}}
    patterns: list[dict[str, object]] = [
        {"label": "EVENT", "pattern": [{"LOWER": "flight", "OP": "?"}, flight_code]},
        {"label": "EVENT", "pattern": [{"IS_TITLE": True, "OP": "*"}, {"LOWER": "flight"},
                                        {"LIKE_NUM": True}]},
        {"label": "EVENT", "pattern": [{"IS_TITLE": True, "OP": "+"},
                                        {"LOWER": {"IN": ["v", "vs", "vs.", "versus"]}},
                                        {"IS_TITLE": True, "OP": "+"}]},
        {"label": "LAW", "pattern": [{"IS_TITLE": True, "OP": "+"},
                                      {"LOWER": {"IN": DOCUMENT_WORDS}}]},
        {"label": "LAW", "pattern": [{"IS_TITLE": True, "OP": "+"}, {"TEXT": "law"}]},
        {"label": "TIME", "pattern": [{"TEXT": {"IN": TIME_ZONES}}]},
    ]  # fmt: skip
    patterns.extend({"label": "ORG", "pattern": name} for name in KNOWN_ORGANISATIONS)
    return patterns
