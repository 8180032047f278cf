"""The given-name equivalents: every group sourced and needed, and the pairs of
data/not_equivalent.yaml never joined — neither by the table nor by the search on the real
Moscow list."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from memorybook.search.api import Searcher
from memorybook.search.keys import latin_forms
from memorybook.search.names import (
    equivalents,
    given_stem,
    group_prefix,
    groups_of,
    not_equivalent,
    patronymic_stem,
)
from memorybook.storage.search_store import iter_record_names
from memorybook.text.normalise import fold_latin, is_cyrillic, norm_word
from memorybook.text.skeleton import cyr_skeleton, latin_skeletons
from tests.conftest import needs_data


def _groups(word: str) -> set[int]:
    return {gid for gid, _lang in groups_of(word)}


def test_every_group_names_a_known_source() -> None:
    eq = equivalents()
    keys = set(eq.sources)
    assert {"petrovsky", "hanks", "btn", "beider"} <= keys
    for gid, source in enumerate(eq.source):
        cited = {m.group(1) for m in re.finditer(r"(?:^|; )(\w+) ", source)}
        assert cited and cited <= keys, (eq.label[gid], source)


def test_forms_are_in_their_script() -> None:
    from importlib import resources

    import yaml

    text = resources.files("memorybook.search").joinpath("data/given_names.yaml").read_text()
    for group in yaml.safe_load(text)["groups"]:
        for lang, forms in group.items():
            if lang == "source":
                continue
            for form in forms:
                assert is_cyrillic(norm_word(form)) == (lang == "ru"), (lang, form)


def _reaches(form: str, ru: str) -> bool:
    """Whether the search's other rules already join a form to a Russian form: the same
    normalised form, the same skeleton, a romanisation, or a Baltic ending dropped."""
    f, r = norm_word(form), norm_word(ru)
    if f == r:
        return True
    target = cyr_skeleton(r)
    if is_cyrillic(f):
        return cyr_skeleton(f) == target
    if fold_latin(f) in latin_forms(r):
        return True
    readings = set(latin_skeletons(f))
    for end in ("is", "us", "as", "s", "š"):
        if f.endswith(end) and len(f) - len(end) >= 3:
            readings.update(latin_skeletons(f[: -len(end)]))
    return target in readings


def test_every_group_joins_what_the_spelling_rules_do_not() -> None:
    # A group whose forms all meet through skeleton and romanisation adds nothing.
    eq = equivalents()
    forms: dict[int, set[str]] = defaultdict(set)
    for form, gid, _lang in eq.forms:
        forms[gid].add(form)
    for gid, ru in enumerate(eq.russian):
        assert any(not _reaches(f, r) for f in forms[gid] for r in ru), eq.label[gid]


def test_the_negative_table_is_large_and_not_joined() -> None:
    pairs = not_equivalent()
    assert len(pairs) >= 40
    for p in pairs:
        assert not (_groups(p.a) & _groups(p.b)), p
        if p.reason.startswith("man/woman"):
            continue  # a patronymic is formed from a man's name only
        # Nor as fathers' names behind a patronymic (Яковлевич / Якимович).
        by_stem = equivalents().by_stem
        sa = set(by_stem.get(given_stem(norm_word(p.a)), ()))
        sb = set(by_stem.get(given_stem(norm_word(p.b)), ()))
        assert not (sa & sb), p


def test_the_issue_s_pairs_are_in_the_negative_table() -> None:
    pairs = {(norm_word(p.a), norm_word(p.b)) for p in not_equivalent()}
    for a, b in [("август", "густав"), ("яков", "яким"), ("иван", "иона"),
                 ("александр", "алексей"), ("евгений", "евгения")]:  # fmt: skip
        assert (a, b) in pairs


def test_yakim_is_joachim() -> None:
    assert _groups("Яким") == _groups("Иоаким") == _groups("Joachim")
    assert not _groups("Яким") & _groups("Яков")


def test_patronymic_stems_follow_the_groups() -> None:
    by_stem = equivalents().by_stem
    assert set(by_stem[patronymic_stem("егорович")]) == set(by_stem[patronymic_stem("георгиевич")])
    assert not set(by_stem[patronymic_stem("якимович")]) & set(
        by_stem[patronymic_stem("яковлевич")]
    )


def test_an_equivalent_s_start_names_its_group() -> None:
    (gid,) = group_prefix("Zyg")
    assert "сигизмунд" in equivalents().russian[gid]
    assert group_prefix("Z") == {}  # one letter is no evidence


@needs_data
@pytest.mark.slow
def test_negative_pairs_never_give_a_confident_answer_on_the_real_list(moscow: Searcher) -> None:
    """For every record of the Moscow list whose given name is one of a pair, its surname
    with the other name of the pair: no confident answer names that record."""
    assert moscow.engine is not None
    by_given: dict[str, list[tuple[int, str]]] = defaultdict(list)
    with moscow.engine.connect() as conn:
        for r in iter_record_names(conn):
            if r["surname"] and r["given_name"]:
                by_given[norm_word(r["given_name"])].append((r["id"], r["surname"]))
    exercised = 0
    for p in not_equivalent():
        for typed, printed in ((p.a, p.b), (p.b, p.a)):
            records = by_given.get(norm_word(printed), [])[:5]
            exercised += bool(records)
            for rid, surname in records:
                for query in (f"{surname} {typed}", f"{typed} {surname}"):
                    wrong = [h for h in moscow.search(query).results
                             if h.record_id == rid and h.confident]  # fmt: skip
                    assert not wrong, (query, wrong[0].why)
    assert exercised >= 40  # pair directions met on real records
