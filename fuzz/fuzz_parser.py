"""Coverage-guided fuzzing of the entry parser and the date reader (atheris on libFuzzer).

    python fuzz/fuzz_parser.py CORPUS_DIR -max_total_time=60

(`pip install atheris`; the project's test extras have it.) A dictionary of the words and
marks of Russian entries (`WORDS`) is given to libFuzzer unless `-dict=` is.

Each input is read as UTF-8 text (invalid bytes replaced) and given to the entry parser in
both printed styles, to `find_dates` and to `parse_date`. Besides not raising, the answers
must hold together: every span lies inside the text, parsed values only use the contract's
keys, every date's earliest bound is not after its latest, found dates are in order and do
not overlap. libFuzzer stops at the first input that breaks any of this and writes it to
`crash-<sha1>`; `tests/test_fuzz.py` runs this for a bounded time in CI."""

from __future__ import annotations

import os
import sys
import tempfile

import atheris

with atheris.instrument_imports(include=["memorybook"]):
    from memorybook.dates.parser import find_dates, parse_date
    from memorybook.ingest.entry import ENTRY_KEYS
    from memorybook.ingest.parser import STYLES, parse_entry
    from memorybook.model.dates import DateValue

KEYS = frozenset(ENTRY_KEYS)

# Words and marks of Russian Books of Memory entries: libFuzzer splices them into inputs.
WORDS = (
    "Родился", "Родилась", "род.", " г.", " гг.", "в ", "до ", "после ", "около ",
    "не позднее ", "между ", " и ", "—", "-", ".", ",", ";", ":", "(", ")", "?", "\n",
    "Проживал:", "Арестован", "Арестована", "Приговорен:", "Приговор:", "ВМН", "расстрел",
    "Расстрелян", "Расстреляна", "Рассстрелян", "Реабилитирован", "Место захоронения:",
    "Бутово", "Адрес:", "тройка при УНКВД", "обв.:", "ст. 58-10", "латыш", "поляк", "б/п",
    "января", "февраля", "марта", "апреля", "мая", "июня", "июле", "июля", "августа",
    "сентября", "октября", "ноября", "декабря", "весной", "осенью", "1937", "1938",
    "17.05.1938", "21.10.37", "1883 (1889)", "193?", "XIX в.", "ст. ст.", "н. ст.",
)  # fmt: skip


def write_dictionary(path: str) -> None:
    """WORDS as a libFuzzer dictionary (ASCII, other bytes as \\xNN escapes)."""
    with open(path, "w", encoding="ascii") as f:
        for word in WORDS:
            raw = word.encode("utf-8")
            f.write('"' + "".join(
                chr(b) if 32 <= b < 127 and b not in (34, 92) else f"\\x{b:02x}" for b in raw
            ) + '"\n')  # fmt: skip


def check_date(value: DateValue, text: str) -> None:
    assert value.edtf, (text, value)
    if value.earliest is not None and value.latest is not None:
        assert value.earliest <= value.latest, (text, value)


def check(text: str) -> None:
    for style in STYLES:
        parsed = parse_entry(text, style)
        assert set(parsed.values) <= KEYS, (style, set(parsed.values) - KEYS)
        for key, (start, end) in parsed.spans.items():
            assert 0 <= start <= end <= len(text), (style, key, start, end, len(text))
        for value in parsed.dates.values():
            check_date(value, text)
    last = 0
    for m in find_dates(text):
        assert last <= m.start < m.end <= len(text), (text, m)
        check_date(m.value, text)
        last = m.end
    single = parse_date(text)
    if single is not None:
        check_date(single, text)
        assert single.printed in text, (text, single)


def test_one_input(data: bytes) -> None:
    check(data.decode("utf-8", errors="replace"))


def main() -> None:
    argv = list(sys.argv)
    if not any(a.startswith("-dict=") for a in argv):
        fd, path = tempfile.mkstemp(suffix=".dict")
        os.close(fd)
        write_dictionary(path)
        argv.append(f"-dict={path}")
    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
