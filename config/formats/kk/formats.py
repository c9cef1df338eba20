"""Kazakh date and number formats (Django ships none for Kazakh, and would fall back
to the American month/day/year).

Kazakhstan writes dates day first: the numeric form is 29.11.2026 (dd.mm.yyyy, the
form used on documents, forms and receipts), which is what the public pages show.
Written out, the year comes first and the month is a lower-case word, as in
"2026 ж. 29 қараша"; the month names come from the catalogs ("alt. month" context,
lower case in locale/kk). Hours run from 0 to 23 and weeks start on Monday.
"""

DATE_FORMAT = r"Y \ж. j E"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = r"Y \ж. j E, H:i"
YEAR_MONTH_FORMAT = r"Y \ж. E"
MONTH_DAY_FORMAT = "j E"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # a non-breaking space
NUMBER_GROUPING = 3
