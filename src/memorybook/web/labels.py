"""Human labels for every key a visitor might read, in English and Russian, in one place.

Pages never print a key (`burial_site`, `quota_growth_cat1`, `m`): templates call
`Words.label(vocabulary, key)`, which looks here. The JSON twins keep the keys. A key the
tables do not know is shown as it is, and the tests (`tests/web/test_web_labels.py`) check
that every key the library can produce has a label in both languages.

Labels of the reference data's own items (operations, orders, bodies) come from the
reference data (`memorybook.reference.translations`); labels of controlled vocabularies of
the entries (nationality, sentencing bodies, burial places …) from `memorybook.web.glossary`.
"""

from __future__ import annotations

# vocabulary -> key -> (English, Russian)
Table = dict[str, tuple[str, str]]

FIELDS: Table = {
    # the entry contract (memorybook.ingest.entry.ENTRY_KEYS)
    "surname": ("Surname", "Фамилия"),
    "given_name": ("Given name", "Имя"),
    "patronymic": ("Patronymic", "Отчество"),
    "sex": ("Sex", "Пол"),
    "birth": ("Born", "Дата рождения"),
    "birthplace": ("Place of birth", "Место рождения"),
    "nationality": ("Nationality", "Национальность"),
    "party": ("Party membership", "Партийность"),
    "education": ("Education", "Образование"),
    "occupation": ("Occupation", "Место работы, должность"),
    "residence": ("Residence", "Место жительства"),
    "arrest": ("Arrested", "Дата ареста"),
    "sentencing_body": ("Sentenced by", "Осудивший орган"),
    "sentence_date": ("Date of sentence", "Дата приговора"),
    "charge": ("Charge", "Обвинение"),
    "sentence": ("Sentence", "Приговор"),
    "executed": ("Executed", "Расстрелян(а)"),
    "death": ("Date of death", "Дата смерти"),
    "burial_place": ("Burial place", "Место захоронения"),
    "rehabilitation": ("Rehabilitated", "Дата реабилитации"),
    "rehabilitating_body": ("Rehabilitated by", "Реабилитирующий орган"),
    "source": ("Source", "Источник"),
    # record columns shown on the sources page (fill rates)
    "birth_edtf": ("Date of birth", "Дата рождения"),
    "death_edtf": ("Date of death", "Дата смерти"),
    "rehab_year": ("Year of rehabilitation", "Год реабилитации"),
    # what a Politburo list entry adds
    "list_number": ("List", "Список"),
    "category": ("Category", "Категория"),
    "region": ("Region", "Регион"),
    "heading": ("Section of the list", "Раздел списка"),
    "archive": ("Archive reference", "Архивный шифр"),
}

FACETS: Table = {
    "birth_year": ("Year of birth", "Год рождения"),
    "death_year": ("Year of death", "Год смерти"),
    "nationality": ("Nationality", "Национальность"),
    "burial": ("Burial place", "Место захоронения"),
    "body": ("Sentencing body", "Осудивший орган"),
    "source": ("List", "Список"),
    "sex": ("Sex", "Пол"),
}

SEX: Table = {
    "m": ("male", "мужской"),
    "f": ("female", "женский"),
    "M": ("male", "мужской"),
    "F": ("female", "женский"),
    "м": ("male", "мужской"),
    "ж": ("female", "женский"),
}

YES_NO: Table = {"yes": ("yes", "да"), "no": ("no", "нет")}

EVENT_KINDS: Table = {
    "birth": ("Birth", "Рождение"),
    "arrest": ("Arrest", "Арест"),
    "sentence": ("Sentence", "Приговор"),
    "sanction": ("Sanctioned on a Politburo list", "Утверждение в списке Политбюро"),
    "execution": ("Execution", "Расстрел"),
    "death": ("Death", "Смерть"),
    "burial": ("Burial", "Захоронение"),
    "rehabilitation": ("Rehabilitation", "Реабилитация"),
    "release": ("Release", "Освобождение"),
    "other": ("Other", "Другое"),
}

PLACE_KINDS: Table = {
    "burial_site": ("burial ground", "место захоронения"),
    "shooting_site": ("place of mass shootings", "место массовых расстрелов"),
    "prison": ("prison", "тюрьма"),
    "camp": ("camp of the 1920s", "лагерь 1920-х годов"),
    "sharashka": ("sharashka (prison design bureau)", "шарашка (тюремное конструкторское бюро)"),
    "address": ("last address", "последний адрес"),
    "birthplace": ("place of birth", "место рождения"),
    "settlement": ("settlement", "населённый пункт"),
    "region": ("region", "регион"),
    "other": ("place", "место"),
}

# a place's role on a record's map
PLACE_ROLES: Table = {
    "burial": ("Burial place", "Место захоронения"),
    "address": ("Last address", "Последний адрес"),
    "birthplace": ("Place of birth", "Место рождения"),
}

MEASURES: Table = {
    "arrested": ("arrested", "арестовано"),
    "sentenced": ("sentenced (any sentence)", "осуждено (к любой мере)"),
    "sentenced_death": ("sentenced to death", "приговорено к расстрелу"),
    "shot": ("shot", "расстреляно"),
    "camps": ("sent to the camps", "отправлено в лагеря"),
    "killed_or_disappeared": ("killed or disappeared", "убито или пропало без вести"),
    "deaths": ("deaths from repression", "погибло от репрессий"),
    "children_placed": ("children placed in orphanages", "детей помещено в детские дома"),
    "registered_german_citizens": (
        "German citizens registered in the USSR",
        "германских подданных, зарегистрированных в СССР",
    ),
    "shot_per_month": ("shot per month (average)", "расстреливали в месяц (в среднем)"),
    "shot_per_day": ("shot per day (average)", "расстреливали в день (в среднем)"),
    "share_of_adult_population": (
        "victims as a share of the adult population",
        "доля жертв во взрослом населении",
    ),
    "share_of_great_terror_victims": (
        "share of all victims of the Great Terror",
        "доля среди всех жертв Большого террора",
    ),
    "special_settlers_arrested": ("special settlers arrested", "арестовано спецпоселенцев"),
    "clergy_members": ("members of the Orthodox clergy", "православных священнослужителей"),
    "clergy_arrested_share": ("share of the clergy arrested", "доля арестованного духовенства"),
    "state_security_staff": (
        "NKVD State Security officers",
        "сотрудников госбезопасности НКВД",
    ),
    "stalin_lists": ("lists signed by Stalin", "списков, подписанных Сталиным"),
    "stalin_lists_persons": (
        "people condemned on lists signed by Stalin",
        "осуждено по спискам, подписанным Сталиным",
    ),
    "stalin_lists_shot_share": (
        "share of those on the lists confirmed shot",
        "доля внесённых в списки, чей расстрел подтверждён",
    ),
    "quota_growth_cat1": (
        "growth of the first-category (shooting) limits",
        "рост лимитов по первой категории (расстрел)",
    ),
    "quota_growth_cat2": (
        "growth of the second-category (camp) limits",
        "рост лимитов по второй категории (лагерь)",
    ),
    "dismissed": ("dismissed from the army", "уволено из армии"),
    "purged_lower_officers": ("officers below colonel purged", "вычищено офицеров ниже полковника"),
    "officers_purged_share": ("share of officers purged", "доля вычищенных офицеров"),
    "officers_purged_share_earlier_belief": (
        "share of officers purged (an earlier belief)",
        "доля вычищенных офицеров (прежнее мнение)",
    ),
    "congress_1934_delegates": (
        "delegates to the 1934 party congress",
        "делегатов съезда партии 1934 года",
    ),
    "congress_1934_delegates_arrested": (
        "delegates to the 1934 party congress arrested",
        "арестовано делегатов съезда партии 1934 года",
    ),
    "central_committee_members": (
        "members of the Central Committee",
        "членов Центрального комитета",
    ),
    "central_committee_members_arrested": (
        "members of the Central Committee arrested",
        "арестовано членов Центрального комитета",
    ),
    "writers_intellectuals_artists_imprisoned": (
        "writers, intellectuals and artists imprisoned",
        "заключено писателей, учёных и деятелей искусства",
    ),
    "writers_intellectuals_artists_died_in_custody": (
        "of them, died in prisons and camps",
        "из них погибло в тюрьмах и лагерях",
    ),
    "astronomers_disappeared": ("astronomers who disappeared", "пропало без вести астрономов"),
    "tsarist_political_executions": (
        "political executions under the tsars",
        "политических казней при царях",
    ),
    "share_of_arrested": ("share of all arrested", "доля среди всех арестованных"),
    "share_of_population": ("share of the population", "доля в населении"),
    "overrepresentation": (
        "over-representation (share of arrested / share of population)",
        "превышение (доля среди арестованных / доля в населении)",
    ),
}

UNITS: Table = {
    "persons": ("people", "человек"),
    "percent": ("per cent", "проценты"),
    "ratio": ("times the initial limits", "раз от начальных лимитов"),
    "persons per day": ("people per day", "человек в день"),
    "persons per month": ("people per month", "человек в месяц"),
    "lists": ("lists", "списки"),
}

QUALIFIERS: Table = {
    "over": ("over", "более"),
    "at least": ("at least", "не менее"),
    "almost": ("almost", "почти"),
    "at most": ("at most", "не более"),
    "about": ("about", "около"),
}

QUOTA_CATEGORIES: Table = {
    "1": ("first category (shooting)", "первая категория (расстрел)"),
    "2": ("second category (camps)", "вторая категория (лагерь)"),
    "total": ("both categories", "обе категории"),
}

# The categories of the Politburo lists as the site stalin.memo.ru defines them.
LIST_CATEGORIES: Table = {
    "1": ("first category (shooting)", "первая категория (расстрел)"),
    "2": ("second category (10 years of camps)", "вторая категория (10 лет лагерей)"),
    "3": ("third category (5 to 8 years of camps)", "третья категория (от 5 до 8 лет лагерей)"),
}

# regions and groups that figures and quotas are scoped to
SCOPES: Table = {
    "USSR": ("USSR", "СССР"),
    "Russia": ("Russia (RSFSR)", "Россия (РСФСР)"),
    "GULAG camps": ("GULAG camps", "лагеря ГУЛАГа"),
    "Sandarmokh": ("Sandarmokh", "Сандармох"),
    "Poles": ("Poles", "поляки"),
    "American communists of Finnish origin": (
        "American communists of Finnish origin",
        "американские коммунисты финского происхождения",
    ),
    "Finnish Canadians": ("Finnish Canadians", "канадские финны"),
    # the rows of the nationality table
    "Russians": ("Russians", "русские"),
    "Ukrainians": ("Ukrainians", "украинцы"),
    "Germans": ("Germans", "немцы"),
    "Belarusians": ("Belarusians", "белорусы"),
    "Jews": ("Jews", "евреи"),
    "Latvians": ("Latvians", "латыши"),
    "Iranians": ("Iranians", "иранцы"),
    "Estonians": ("Estonians", "эстонцы"),
    "Finns": ("Finns", "финны"),
    "Chinese": ("Chinese", "китайцы"),
    "Buryats": ("Buryats", "буряты"),
    "Greeks": ("Greeks", "греки"),
    "Koreans": ("Koreans", "корейцы"),
    "Lithuanians": ("Lithuanians", "литовцы"),
    "Others": ("Others", "другие"),
    "Total": ("Total", "всего"),
}

ORDER_KINDS: Table = {
    "order": ("order", "приказ"),
    "letter": ("letter", "письмо"),
    "resolution": ("resolution", "постановление"),
    "decree": ("decree", "постановление"),
    "minutes": ("minutes", "протокол"),
    "circular": ("circular", "циркуляр"),
}

FINDING_KINDS: Table = {
    "part_exceeds_whole": ("A part larger than its whole", "Часть больше целого"),
    "parts_exceed_whole": ("Parts adding up to more than the whole", "Части в сумме больше целого"),
    "total_mismatch": ("Parts that do not add up to the total", "Части не складываются в итог"),
    "total_reproduced": (
        "A total reproduced only by one choice of figures",
        "Итог получается лишь при одном выборе чисел",
    ),
    "same_value_twice": ("One number for two things", "Одно число для двух разных величин"),
    "same_value_across": (
        "The same number for different things in two sources",
        "Одно и то же число у двух источников для разных величин",
    ),
    "table_share": ("A printed share that does not follow", "Напечатанная доля не сходится"),
    "table_overrep": (
        "A printed over-representation that does not follow",
        "Напечатанное превышение не сходится",
    ),
    "table_sum": ("A table column that does not add up", "Столбец таблицы не складывается"),
}

SOURCE_KINDS: Table = {
    "publication": ("publication", "публикация"),
    "web_page": ("web page", "веб-страница"),
    "list": ("list of names", "список имён"),
    "archive_file": ("archive file", "архивное дело"),
    "dataset": ("data set", "набор данных"),
    "places": ("places", "места"),
}

# Formats of imported lists: how the file was published.
FORMATS: Table = {
    "memorial-moscow": ("web pages of mos.memo.ru (HTML)", "веб-страницы mos.memo.ru (HTML)"),
    "memorial-lists": (
        "text export of lists.memo.ru (one entry per piece)",
        "текстовая выгрузка lists.memo.ru (запись за записью)",
    ),
    "topography": ("map layers (shapefiles)", "слои карты (shapefile)"),
    "geocoded-addresses": ("table of coordinates (CSV)", "таблица координат (CSV)"),
    "stalin-lists": ("list files of stalin.memo.ru (YAML)", "файлы списков stalin.memo.ru (YAML)"),
    "csv": ("table (CSV)", "таблица (CSV)"),
    "jsonl": ("JSON Lines", "JSON Lines"),
}

# The lists we import: their titles and licence notes in both languages, by format.
SOURCE_TITLES: Table = {
    "memorial-moscow": (
        "Memorial, Execution lists: Moscow",
        "«Мемориал», Расстрельные списки. Москва",
    ),
    "memorial-lists": (
        "Memorial, Victims of political terror in the USSR (lists.memo.ru), entries without names",
        "«Мемориал», Жертвы политического террора в СССР (lists.memo.ru), записи без имён",
    ),
    "topography": (
        "Memorial, Topography of Terror: Moscow (topos.memo.ru)",
        "«Мемориал», Топография террора: Москва (topos.memo.ru)",
    ),
    "geocoded-addresses": (
        "House-level coordinates of the Moscow execution lists' addresses",
        "Координаты домов из адресов расстрельных списков Москвы",
    ),
    "stalin-lists": (
        "Memorial, Stalin's execution lists (stalin.memo.ru)",
        "«Мемориал», Сталинские расстрельные списки (stalin.memo.ru)",
    ),
}

LICENCES: Table = {
    "not stated by the copier (possibly CC-BY); cite Memorial": (
        "not stated by the copier (possibly CC-BY); cite Memorial",
        "копировавшие не указали лицензию (возможно, CC-BY); ссылайтесь на «Мемориал»",
    ),
    "Apache-2.0 (memoru collection, 2011)": (
        "Apache-2.0 (memoru collection, 2011)",
        "Apache-2.0 (собрание memoru, 2011)",
    ),
    "ODbL": ("ODbL (Open Database License)", "ODbL (открытая лицензия баз данных)"),
    "not stated": ("not stated", "не указана"),
    "no licence file; cite Memorial": (
        "no licence file; cite Memorial",
        "файла лицензии нет; ссылайтесь на «Мемориал»",
    ),
    "no licence stated by the open-data repository (itpp-labs/stalin); cite Memorial": (
        "no licence stated by the open-data repository (itpp-labs/stalin); cite Memorial",
        "открытый репозиторий данных лицензию не указал; ссылайтесь на «Мемориал»",
    ),
}

PUBLISHERS: Table = {
    "Memorial Society": ("Memorial Society", "Общество «Мемориал»"),
    "D. Skougarevsky (geocoding of mos.memo.ru)": (
        "D. Skougarevsky (geocoding of mos.memo.ru)",
        "Д. Скугаревский (геокодирование mos.memo.ru)",
    ),
}

# Notes the entry parser leaves ("kind: detail"); `WARNING_DETAIL` says whose detail is the
# printed text (shown) and whose is the parser's own English (not shown).
WARNINGS: Table = {
    "inferred_label": ("A line without a label was read as", "Строка без подписи прочитана как"),
    "unparsed_line": ("A line that could not be read", "Строка, которую не удалось прочитать"),
    "unparsed_date": ("A date that could not be read", "Дата, которую не удалось прочитать"),
    "invalid_date": ("A date that cannot exist", "Дата, которой не может быть"),
    "latin_lookalike": (
        "Latin letters that look like Cyrillic ones, read as Cyrillic",
        "Латинские буквы, похожие на кириллические, прочитаны как кириллица",
    ),
    "no_nationality": (
        "Place of birth and occupation run together",
        "Место рождения и род занятий не разделены",
    ),
    "unknown_nationality": (
        "A nationality the vocabulary does not know, kept as printed",
        "Национальность, которой нет в словаре, сохранена как напечатана",
    ),
    "unbalanced_name_markup": (
        "The name's bold type is not closed in the page",
        "Жирный шрифт имени на странице не закрыт",
    ),
    "markup_in_text": ("Page markup inside the text", "Разметка страницы внутри текста"),
    "no_name": ("No name could be read", "Имя прочитать не удалось"),
    "empty_entry": ("The entry is empty", "Запись пуста"),
    "control_characters": (
        "Control characters in the entry, shown as symbols such as ␀",
        "Управляющие символы в записи, показаны значками вроде ␀",
    ),
    "control_characters_only": (
        "Only control characters and no text: not an entry",
        "Только управляющие символы и никакого текста: это не запись",
    ),
    "oversize_entry": (
        "The entry is too long to be read: only its beginning is shown, the whole entry is in"
        " the source file",
        "Запись слишком длинная, чтобы её прочитать: показано только начало, вся запись есть"
        " в исходном файле",
    ),
    "unknown_style": ("The entry's format is unknown", "Формат записи неизвестен"),
    "parser_error": ("The entry could not be read", "Запись прочитать не удалось"),
    "date": ("A date read with a reservation", "Дата прочитана с оговоркой"),
    "truncated_entry": (
        "The entry's paragraph is not closed in the page; it may end early",
        "Абзац записи на странице не закрыт; запись может обрываться",
    ),
    "unterminated_entry": (
        "The file ends inside this entry",
        "Файл кончается внутри этой записи",
    ),
    "missing_column": ("A column of the table is missing", "В таблице нет одного из столбцов"),
    "row_width": (
        "The row has another number of cells than the table's header",
        "В строке другое число ячеек, чем в заголовке таблицы",
    ),
    "bad_json": ("A line of the file could not be read", "Строку файла прочитать не удалось"),
    "sublist_unmatched": (
        "The entry's part of the list is not among the list's own parts; region and category "
        "are left open",
        "Часть списка, к которой отнесена запись, не найдена среди частей списка; регион и "
        "категория не указаны",
    ),
    "category_conflict": (
        "The heading names another category than the part of the list; the category is left open",
        "Заголовок называет другую категорию, чем часть списка; категория не указана",
    ),
}
WARNING_DETAIL = frozenset(
    {
        "inferred_label", "unparsed_line", "unparsed_date", "invalid_date", "latin_lookalike",
        "markup_in_text", "no_name", "date", "unknown_nationality",
    }
)  # fmt: skip
# Notes whose detail is "field: printed: the parser's English reason": the field and the
# printed words are shown, the reason is not.
WARNING_PRINTED_THEN_REASON = frozenset({"date"})

SEVERITY: Table = {"warning": ("disagreement", "расхождение"), "info": ("note", "замечание")}

VOCABULARIES: dict[str, Table] = {
    "field": FIELDS,
    "facet": FACETS,
    "sex": SEX,
    "yes_no": YES_NO,
    "event": EVENT_KINDS,
    "place_kind": PLACE_KINDS,
    "place_role": PLACE_ROLES,
    "measure": MEASURES,
    "unit": UNITS,
    "qualifier": QUALIFIERS,
    "category": QUOTA_CATEGORIES,
    "list_category": LIST_CATEGORIES,
    "scope": SCOPES,
    "order_kind": ORDER_KINDS,
    "finding": FINDING_KINDS,
    "source_kind": SOURCE_KINDS,
    "format": FORMATS,
    "source_title": SOURCE_TITLES,
    "licence": LICENCES,
    "publisher": PUBLISHERS,
    "severity": SEVERITY,
    "warning": WARNINGS,
}


def has_label(vocabulary: str, key: object) -> bool:
    return str(key) in VOCABULARIES[vocabulary]


def label(vocabulary: str, key: object, lang: str) -> str:
    """The label of `key` in `vocabulary` in `lang` ("ru" or "en"); the key itself when the
    table does not know it (a value from outside: a custom import's title, a new kind)."""
    pair = VOCABULARIES[vocabulary].get(str(key))
    if pair is None:
        return str(key)
    return pair[1] if lang == "ru" else pair[0]
