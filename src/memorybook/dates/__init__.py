"""Russian date phrases as printed in Books of Memory -> EDTF with earliest/latest bounds,
their qualifiers kept (`до 1940 г.` -> `../1939-12-31`, `около 1900` -> `1900~`)."""

from memorybook.dates.parser import DateMatch, find_dates, parse_date
from memorybook.dates.reading import date_json, read_date

__all__ = ["DateMatch", "date_json", "find_dates", "parse_date", "read_date"]
