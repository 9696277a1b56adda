"""Spanish as written in the United States (CLDR locale es-US), not in Spain.

CLDR es-US writes numbers with a decimal point and a comma between thousands (1,234.5),
as US Spanish-language pages and forms do, where Spain's "es" writes 1.234,5: a distance of
"2.5 millas" must not read as two and a half thousand. The week starts on Sunday, as
US calendars print it. Dates are written out ("6 de diciembre de 2026"), times on the
12-hour clock with "a. m." and "p. m." (CLDR es-US "h:mm a").
https://github.com/unicode-org/cldr/blob/main/common/main/es_US.xml
"""

DATE_FORMAT = r"j \d\e F \d\e Y"
TIME_FORMAT = "g:i a"
DATETIME_FORMAT = r"j \d\e F \d\e Y g:i a"
YEAR_MONTH_FORMAT = r"F \d\e Y"
MONTH_DAY_FORMAT = r"j \d\e F"
SHORT_DATE_FORMAT = "j/n/Y"
SHORT_DATETIME_FORMAT = "j/n/Y g:i a"
FIRST_DAY_OF_WEEK = 0  # Sunday

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3

# Forms (none of the public forms asks for a date today): day first, as written above.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
]
