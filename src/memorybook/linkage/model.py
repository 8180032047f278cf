"""The Splink models: our comparisons built from what the archive knows, and the plain
baseline they are measured against.

Every comparison level is plain SQL on precomputed columns (strings, day numbers, arrays),
so the same settings run on DuckDB and on Spark. Level labels (`label_for_charts`) are the
stable names `linkage.explain` turns into words; do not rename them lightly."""

from __future__ import annotations

from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on

MODEL_VERSION = "memorybook-linkage-7"
CENTRE = "moscow-centre"  # the region key of the centre's lists (data/regions.yaml)


# Term-frequency adjustments make a rare name strong evidence and a common one weak, but a
# name rarer than these still counts as this common: relatives share rare surnames, given
# names and patronymics (brothers: one surname and patronymic), so the rarity of each part
# is not independent evidence (surnames 1 in 10,000 records; given names and
# patronymics 1 in 1,000).
TF_MIN_U = {"sn": 1e-4, "gn": 1e-3, "pn": 1e-3}


def _lvl(
    sql: str,
    label: str,
    *,
    null: bool = False,
    tf: str | None = None,
    m: float | None = None,
    prior: float | None = None,
) -> dict[str, Any]:
    """One comparison level. `m`: fixed (how often one person's name is printed so in two
    lists: not learned, anchors agree on names by construction). `prior`: the m used when
    too few anchor pairs show the comparison at all (linkage.training)."""
    level: dict[str, Any] = {"sql_condition": sql, "label_for_charts": label}
    if m is not None:
        level["m_probability"] = m
        level["fix_m_probability"] = True
    elif prior is not None:
        level["m_probability"] = prior
    if null:
        level["is_null_level"] = True
    if tf:
        level["tf_adjustment_column"] = tf
        level["tf_adjustment_weight"] = 1.0
        level["tf_minimum_u_value"] = TF_MIN_U[tf]
    return level


def _fixed(level: Any, label: str, m: float) -> Any:
    return level.configure(label_for_charts=label, m_probability=m, fix_m_probability=True)


def _both(col: str) -> str:
    return f"{col}_l IS NOT NULL AND {col}_r IS NOT NULL"


def _either_null(col: str) -> str:
    return f"{col}_l IS NULL OR {col}_r IS NULL"


def surname_comparison() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="surname",
        comparison_description="surname: identical, same spelling skeleton, similar, same sound",
        comparison_levels=[
            _lvl(_either_null("sn"), "surname missing", null=True),
            _lvl("sn_l = sn_r", "identical", tf="sn", m=0.85),
            _lvl("sn_sk_l = sn_sk_r", "spelling variant", m=0.07),
            # Рыкова-Маршак / Рыкова; two double surnames that differ in their second part
            # (Витковская-Лянда / Витковская-Лянды) are a variant, compared as a whole below.
            _lvl(
                "sn_part_l = sn_part_r AND NOT (sn_l LIKE '%-%' AND sn_r LIKE '%-%')",
                "one part of a double surname",
                m=0.01,
            ),
            _fixed(cll.JaroWinklerLevel("sn", 0.9), "similar", 0.04),
            _fixed(cll.ArrayIntersectLevel("sn_dm", 1), "same sound", 0.02),
            _lvl(
                "sn_sk_l = gn_sk_r AND gn_sk_l = sn_sk_r",
                "surname and given name swapped",
                m=0.005,
            ),
            _lvl("ELSE", "different", m=0.005),
        ],
    )


def given_comparison() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="given",
        comparison_description="given name: identical, equivalent form, initial only",
        comparison_levels=[
            _lvl(_either_null("gn_init"), "given name missing", null=True),
            _lvl("gn_l = gn_r", "identical", tf="gn", m=0.88),
            _lvl("gn_grp_l = gn_grp_r", "equivalent form", m=0.05),
            _lvl("gn_sk_l = gn_sk_r", "spelling variant", m=0.01),
            # Counted once, by the surname's level of the same name.
            {
                "sql_condition": "sn_sk_l = gn_sk_r AND gn_sk_l = sn_sk_r",
                "label_for_charts": "surname and given name swapped",
                "m_probability": 0.005,
                "fix_m_probability": True,
                "u_probability": 0.005,
                "fix_u_probability": True,
            },
            _lvl(
                "(gn_l IS NULL OR gn_r IS NULL) AND gn_init_l = gn_init_r",
                "initial agrees",
                m=0.03,
            ),
            # A letter printed or lost (Элиазар / Елизар), on the spelling skeleton of names
            # long enough that one letter does not make another name.
            _lvl(
                "length(gn_sk_l) >= 5 AND length(gn_sk_r) >= 5"
                " AND levenshtein(gn_sk_l, gn_sk_r) <= 1",
                "one letter apart",
                m=0.005,
            ),
            _fixed(cll.JaroWinklerLevel("gn", 0.88), "similar", 0.017),
            _lvl("ELSE", "different", m=0.003),
        ],
    )


def patronymic_comparison() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="patronymic",
        comparison_description="patronymic: identical, same father's name, initial only",
        comparison_levels=[
            _lvl(_either_null("pn_init"), "patronymic missing", null=True),
            _lvl("pn_l = pn_r", "identical", tf="pn", m=0.86),
            _lvl("pn_grp_l = pn_grp_r OR pn_sk_l = pn_sk_r", "variant", m=0.07),
            _lvl(
                "(pn_l IS NULL OR pn_r IS NULL) AND pn_init_l = pn_init_r",
                "initial agrees",
                m=0.03,
            ),
            _fixed(cll.JaroWinklerLevel("pn", 0.88), "similar", 0.035),
            _lvl("ELSE", "different", m=0.005),
        ],
    )


def birth_comparison() -> cl.CustomComparison:
    overlap = "by_lo_l <= by_hi_r AND by_lo_r <= by_hi_l"
    return cl.CustomComparison(
        output_column_name="birth",
        comparison_description="birth year (either of two printed years)",
        comparison_levels=[
            _lvl(_either_null("by_lo"), "birth year missing", null=True),
            _lvl(overlap, "same year", prior=0.88),
            _lvl("by_lo_l - 1 <= by_hi_r AND by_lo_r - 1 <= by_hi_l", "one year apart", prior=0.07),
            _lvl(
                "by_lo_l - 3 <= by_hi_r AND by_lo_r - 3 <= by_hi_l",
                "up to three years apart",
                prior=0.03,
            ),
            _lvl("ELSE", "different", prior=0.02),
        ],
    )


def _exec_minus_list(a: str, b: str) -> str:
    return f"(execution_day_{a} - list_day_{b})"


# The dates of one life are compared in three comparisons, one per kind of pair, each null
# where its dates are not printed on both sides. One comparison for all of them would
# learn one set of m-probabilities for pairs of different kinds (a Moscow entry and a
# Politburo list compare an execution with a list; two lists compare two lists): in an
# archive of both, anchors of the first kind outnumber the second, and the list-to-list
# levels would learn from anchors that can never show them that two lists of one person
# are rare. Level labels are `linkage.explain`'s words: keep them.
TIMELINE_COMPARISONS = ("sanction", "lists", "dates")


LIST_AND_EXECUTION = (
    "(execution_day_l IS NOT NULL AND list_day_r IS NOT NULL)"
    " OR (execution_day_r IS NOT NULL AND list_day_l IS NOT NULL)"
)
# The list and the day of executions carry other rare names in common (`features.group_peers`).
SHARED = "array_contains(peers_l, grp_r)"


def sanction_comparison() -> cl.CustomComparison:
    """The Politburo list that sanctioned a sentence against the execution that followed.
    Only an execution before the list contradicts it; a long delay is weak evidence, not a
    contradiction (people were held for months for the Military Collegium), so the delays
    are levelled by months and a year. Whether the list and the day of executions share
    other names is part of this comparison, not of the region's: the people of one list
    were shot within days of it, so the shared names and a short delay go together, and as
    two comparisons a long delay was counted twice (once by its own level, once by the
    shared names it lacks: "same place" learned from anchors that mostly share names)."""
    el, er = _exec_minus_list("l", "r"), _exec_minus_list("r", "l")
    el_ok = "execution_day_l IS NOT NULL AND list_day_r IS NOT NULL"
    er_ok = "execution_day_r IS NOT NULL AND list_day_l IS NOT NULL"

    def after(lo: int, hi: int) -> str:
        return (
            f"({el_ok} AND {el} BETWEEN {lo} AND {hi}) OR ({er_ok} AND {er} BETWEEN {lo} AND {hi})"
        )

    shared = f"coalesce({SHARED}, false)"
    return cl.CustomComparison(
        output_column_name="sanction",
        comparison_description="the execution against the list that sanctioned it",
        comparison_levels=[
            _lvl(f"NOT ({el_ok}) AND NOT ({er_ok})", "no execution and list", null=True),
            _lvl(f"({el_ok} AND {el} < 0) OR ({er_ok} AND {er} < 0)", "executed before the list"),
            _lvl(
                f"({after(0, 10)}) AND {shared}",
                "executed within ten days after the list, lists share other names",
            ),
            _lvl(
                f"({after(0, 92)}) AND {shared}",
                "executed within three months after the list, lists share other names",
            ),
            _lvl(after(0, 10), "executed within ten days after the list"),
            _lvl(after(0, 31), "executed within a month after the list"),
            _lvl(after(0, 92), "executed within three months after the list"),
            _lvl(after(0, 366), "executed within a year after the list"),
            _lvl("ELSE", "executed more than a year after the list"),
        ],
    )


def lists_comparison() -> cl.CustomComparison:
    """The lists one person stood on: re-submitted, split, continued."""
    return cl.CustomComparison(
        output_column_name="lists",
        comparison_description="the dates of the two lists",
        comparison_levels=[
            _lvl(f"NOT ({_both('list_day')})", "no two lists", null=True),
            _lvl("list_id_l = list_id_r", "on the same list"),
            _lvl("list_day_l = list_day_r", "lists of the same day"),
            _lvl("abs(list_day_l - list_day_r) <= 31", "lists within a month"),
            _lvl("abs(list_day_l - list_day_r) <= 92", "lists within three months"),
            _lvl("abs(list_day_l - list_day_r) <= 366", "lists within a year"),
            _lvl("ELSE", "lists more than a year apart"),
        ],
    )


def dates_comparison() -> cl.CustomComparison:
    """Two days of execution, or of sentence or arrest, that two records print."""
    return cl.CustomComparison(
        output_column_name="dates",
        comparison_description="the dates of execution, sentence and arrest",
        comparison_levels=[
            _lvl(
                f"NOT ({_both('execution_day')}) AND NOT ({_both('sentence_day')})"
                f" AND NOT ({_both('arrest_day')})",
                "no two dates of execution, sentence or arrest",
                null=True,
            ),
            _lvl("execution_day_l = execution_day_r", "executed the same day"),
            _lvl(
                f"{_both('execution_day')} AND abs(execution_day_l - execution_day_r) <= 7",
                "executed within a week",
            ),
            _lvl(_both("execution_day"), "executed on different dates"),
            _lvl("sentence_day_l = sentence_day_r", "sentenced the same day"),
            _lvl("arrest_day_l = arrest_day_r", "arrested the same day"),
            _lvl("ELSE", "arrest or sentence dates differ"),
        ],
    )


# Pairs of two list entries (the Politburo lists) and other pairs (a list and a day of
# executions, two days of executions) learn the region and the outcome apart, for the
# same reason as the dates: "same region" means two lists of one region for the first,
# and the place of execution against a list's region for the second; one person's two
# lists often ask for two sentences (camp, then shooting), a list and an execution
# rarely differ. Each comparison is null for the other kind of pair.
BOTH_ON_LISTS = "list_id_l IS NOT NULL AND list_id_r IS NOT NULL"
ON_TWO_LISTS, NOT_ON_TWO_LISTS = f"({BOTH_ON_LISTS})", f"NOT ({BOTH_ON_LISTS})"


def region_comparison(name: str = "region", applies: str = NOT_ON_TWO_LISTS) -> cl.CustomComparison:
    """The lists' regions and the other people the two lists carry, as one comparison (the
    two are not independent: lists that share people are mostly lists of one region).
    Lists that share other names (`features.group_peers`: lists were re-submitted, split
    and continued, and the people of one list were shot on a few days); one region; one
    place (the centre's lists and the Moscow region are both Moscow); one of them the
    centre (the Military Collegium's lists gather people arrested anywhere), told apart by
    which came first: people were brought from a region to Moscow and stand on the centre's
    list after their region's, seldom the other way (3 of the 19 anchors of the centre and
    a region on the real lists); different."""
    # A list and a day of executions: their shared names are the sanction's evidence.
    shared = f"{SHARED} AND NOT ({LIST_AND_EXECUTION})"
    return cl.CustomComparison(
        output_column_name=name,
        comparison_description="region of the list or place of execution; names the lists share",
        comparison_levels=[
            # A region missing and no names shared say nothing either way.
            _lvl(
                f"NOT {applies} OR (({_either_null('region')}) AND NOT coalesce({shared}, false))",
                "region unknown",
                null=True,
            ),
            _lvl(f"{shared} AND region_l = region_r", "same region, lists share other names"),
            _lvl(shared, "lists share other names"),
            _lvl("region_l = region_r", "same region"),
            _lvl("region_grp_l = region_grp_r", "same place"),
            _lvl(
                f"(region_l = '{CENTRE}' AND list_day_l < list_day_r)"
                f" OR (region_r = '{CENTRE}' AND list_day_r < list_day_l)",
                "the centre's list, later a region's",
            ),
            _lvl(f"region_l = '{CENTRE}' OR region_r = '{CENTRE}'", "the centre and a region"),
            _lvl("ELSE", "different regions"),
        ],
    )


def outcome_comparison(
    name: str = "outcome", applies: str = NOT_ON_TWO_LISTS
) -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name=name,
        comparison_description="sentence asked for or carried out (shooting / camp)",
        comparison_levels=[
            _lvl(f"NOT {applies} OR {_either_null('outcome')}", "outcome unknown", null=True),
            _lvl("outcome_l = outcome_r", "same outcome"),
            _lvl("ELSE", "different outcome"),
        ],
    )


def kind_comparison() -> cl.CustomComparison:
    """What kind of records the two are. The comparisons of dates, regions and outcomes
    are split by kind of pair, so each says nothing about how likely a pair of its kind
    is one person at all: a list entry and a Moscow execution are far likelier one person
    than two list entries (a list sanctioned the executions of the following days). This
    comparison carries that, learned from the anchors like the others."""
    el = "execution_day_l IS NOT NULL AND list_day_r IS NOT NULL"
    er = "execution_day_r IS NOT NULL AND list_day_l IS NOT NULL"
    return cl.CustomComparison(
        output_column_name="pair_kind",
        comparison_description="two list entries, a list entry and an execution, or others",
        comparison_levels=[
            _lvl(ON_TWO_LISTS, "two list entries"),
            _lvl(f"({el}) OR ({er})", "a list entry and an execution"),
            _lvl("ELSE", "other records"),
        ],
    )


# Candidate pairs, declared: three name keys, or two and the birth year or the region, so
# that common names (Иванов Иван Иванович) do not make blocks of millions of pairs at
# national scale. Each rule keeps a kind of true pair the others lose (measured on the
# editors' grouping: `python3 -m memorybook.linkage.evaluate` reports the blocking recall).
BLOCKING_RULES: tuple[Any, ...] = (
    block_on("sn_sk", "gn_grp", "pn_grp"),
    block_on("sn_dm1", "gn_grp", "pn_grp"),
    block_on("sn_sk", "gn_grp", "by_lo"),
    block_on("sn_sk", "pn_grp", "by_lo"),
    block_on("sn_sk", "gn_init", "pn_init", "list_day"),
    # Lists without birth years (the Politburo lists): the region stands in for it; a
    # given name in two spellings (Элизар / Элиазар) keeps surname and patronymic.
    block_on("sn_sk", "gn_grp", "region_grp"),
    block_on("sn_sk", "pn_grp", "region_grp"),
    # A misprinted surname (Трофимук / Трофимчук) with the given name and patronymic.
    block_on("sn_pre", "gn_grp", "pn_grp", "region_grp"),
    block_on("sn_part", "gn_grp", "pn_grp"),
    "l.sn_sk = r.gn_sk AND l.gn_sk = r.sn_sk AND l.pn_grp = r.pn_grp",
    # A name printed in another script (the skeletons are shared by Cyrillic and Latin).
    block_on("sn_sk", "gn_sk", "pn_sk"),
    block_on("sn_dm1", "gn_sk", "by_lo"),
    # A misprint in the surname, with the given name, the patronymic and the birth year or
    # the day of execution: a misprint after the third letter keeps the first three
    # (sn_pre), one before it keeps the first and the last three (sn_tail). The first letter
    # alone made blocks of millions of pairs at national scale (bench/linkage.py).
    block_on("sn_pre", "gn_grp", "pn_grp", "by_lo"),
    block_on("sn_tail", "gn_grp", "pn_grp", "by_lo"),
    block_on("sn_pre", "gn_grp", "pn_grp", "execution_day"),
    block_on("sn_tail", "gn_grp", "pn_grp", "execution_day"),
    block_on("sn_pre", "gn_grp", "by_lo", "execution_day"),
    block_on("sn_tail", "gn_grp", "by_lo", "execution_day"),
    # Initials only (Затонский В.П.), or no patronymic, against the full name.
    "l.ini_only = r.ini_key",
    "l.ini_key = r.ini_only",
    "l.sg_nopn = r.sg_key",
    "l.sg_key = r.sg_nopn",
    # A list entry and an execution, the surname misprinted where the rules above need a
    # birth year or two days of execution (Сулковский / Суковский): lists print no birth
    # years. One side a list entry, the other an execution, so that the blocks stay as
    # small as the lists are (each side's condition is applied before the join).
    *(
        f"l.{pre} = r.{pre} AND l.gn_grp = r.gn_grp AND l.pn_grp = r.pn_grp"
        f" AND l.{a}_day IS NOT NULL AND r.{b}_day IS NOT NULL"
        for pre in ("sn_pre", "sn_tail")
        for a, b in (("list", "execution"), ("execution", "list"))
    ),
    # A name printed as one hyphenated word (Korean and Chinese names: Ким-Дю-Ван).
    block_on("sn_alone"),
)


def our_settings() -> SettingsCreator:
    return SettingsCreator(
        link_type="dedupe_only",
        linker_uid="memorybook",
        unique_id_column_name="unique_id",
        comparisons=[
            surname_comparison(),
            given_comparison(),
            patronymic_comparison(),
            birth_comparison(),
            sanction_comparison(),
            lists_comparison(),
            dates_comparison(),
            region_comparison(),
            region_comparison("list_regions", ON_TWO_LISTS),
            outcome_comparison(),
            outcome_comparison("list_outcomes", ON_TWO_LISTS),
            kind_comparison(),
        ],
        blocking_rules_to_generate_predictions=list(BLOCKING_RULES),
        retain_matching_columns=False,
        # The gamma columns (the comparison vector each link keeps) come with these.
        retain_intermediate_calculation_columns=True,
    )


def baseline_settings() -> SettingsCreator:
    """The plain configuration: names by Jaro–Winkler, birth year exact."""
    return SettingsCreator(
        link_type="dedupe_only",
        linker_uid="memorybook",
        unique_id_column_name="unique_id",
        comparisons=[
            cl.JaroWinklerAtThresholds("sn", [0.9, 0.8]),
            cl.JaroWinklerAtThresholds("gn", [0.9, 0.8]),
            cl.JaroWinklerAtThresholds("pn", [0.9, 0.8]),
            cl.ExactMatch("by_lo"),
        ],
        blocking_rules_to_generate_predictions=[block_on("sn"), block_on("gn", "pn")],
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=True,
    )


# The baseline's EM sessions: each blocks on some columns and so estimates the other
# comparisons' m. Ours learns its m-probabilities from anchor pairs (linkage.training).
BASELINE_TRAINING = (block_on("sn"), block_on("gn", "pn"))
OUR_DETERMINISTIC = (block_on("sn", "gn", "pn"),)
BASELINE_DETERMINISTIC = (block_on("sn", "gn", "pn"),)
