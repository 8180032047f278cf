"""What a figure counts. One vocabulary, so that the ledger lines up like with like and the
checks know which measures are parts of which."""

from __future__ import annotations

MEASURES: dict[str, str] = {
    "arrested": "arrested",
    "sentenced": "sentenced (any sentence)",
    "sentenced_death": "sentenced to death",
    "shot": "shot (printed as shot, executed or killed)",
    "camps": "sent to the camps",
    "killed_or_disappeared": "killed or disappeared",
    "deaths": "deaths from repression",
    "children_placed": "children placed in orphanages",
    "registered_german_citizens": "German citizens registered in the USSR",
    "shot_per_month": "shot per month (average)",
    "shot_per_day": "shot per day (average)",
    "share_of_adult_population": "victims as a share of the adult population",
    "share_of_great_terror_victims": "share of all victims of the Great Terror",
    "special_settlers_arrested": "special settlers arrested",
    "clergy_members": "members of the Orthodox clergy",
    "clergy_arrested_share": "share of the clergy arrested",
    "state_security_staff": "NKVD State Security officers",
    "stalin_lists": "lists signed by Stalin",
    "stalin_lists_persons": "people condemned on lists signed by Stalin",
    "stalin_lists_shot_share": "share of those on the lists confirmed shot",
    "quota_growth_cat1": "growth of the first-category limits (multiple of the initial)",
    "quota_growth_cat2": "growth of the second-category limits (multiple of the initial)",
    "dismissed": "dismissed from the army",
    "purged_lower_officers": "officers below colonel purged",
    "officers_purged_share": "share of officers purged",
    "officers_purged_share_earlier_belief": "share of officers purged (earlier belief)",
    "congress_1934_delegates": "delegates to the 1934 party congress",
    "congress_1934_delegates_arrested": "delegates to the 1934 party congress arrested",
    "central_committee_members": "members of the Central Committee",
    "central_committee_members_arrested": "members of the Central Committee arrested",
    "writers_intellectuals_artists_imprisoned": "writers, intellectuals and artists imprisoned",
    "writers_intellectuals_artists_died_in_custody": "of them, died in prisons and camps",
    "astronomers_disappeared": "astronomers who disappeared",
    "tsarist_political_executions": "political executions under the tsars",
    # measures of the nationality table
    "share_of_arrested": "share of all arrested",
    "share_of_population": "share of the population",
    "overrepresentation": "over-representation (share of arrested / share of population)",
}

# Printed words a user may type for a measure.
SYNONYMS: dict[str, str] = {
    "executed": "shot",
    "killed": "shot",
    "executions": "shot",
    "camp": "camps",
    "gulag": "camps",
    "detained": "arrested",
    "arrests": "arrested",
    "death_sentences": "sentenced_death",
}

# Within one source and one scope: each part may not exceed its whole. Both directions of a
# chain are listed because a seed may skip a step (arrested -> shot without "sentenced").
PART_OF_MEASURE: tuple[tuple[str, str], ...] = (
    ("sentenced", "arrested"),
    ("sentenced_death", "sentenced"),
    ("sentenced_death", "arrested"),
    ("shot", "sentenced_death"),
    ("shot", "sentenced"),
    ("shot", "arrested"),
    ("camps", "sentenced"),
    ("camps", "arrested"),
)

# Disjoint outcomes whose sum may not exceed the whole (shot + camps <= arrested).
DISJOINT_OUTCOMES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("shot", "camps"), "sentenced"),
    (("shot", "camps"), "arrested"),
    (("sentenced_death", "camps"), "sentenced"),
    (("sentenced_death", "camps"), "arrested"),
)


def normalise_measure(text: str) -> str:
    key = text.strip().casefold().replace(" ", "_").replace("-", "_")
    return SYNONYMS.get(key, key)
