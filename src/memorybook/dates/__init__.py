"""Russian date phrases as printed in Books of Memory -> EDTF with earliest/latest bounds."""

from memorybook.dates.parser import DateMatch, find_dates, parse_date

__all__ = ["DateMatch", "find_dates", "parse_date"]
