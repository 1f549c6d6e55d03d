"""HTML tables as text the figure tagger can read: one line per row, each cell with its column header.

Releases give counts per province or district in tables ("Provinsi | Jumlah BTS" with a row per
province). A figure in a cell only means something with its row and column, so a data table
becomes one paragraph per row, ``"Provinsi: Papua; Jumlah BTS: 1.200"``: the header row names each
cell, and the tagger reads the row as a sentence in which the number stands beside its label. A
table without a header row gives ``"Papua; 1.200"``; a caption becomes the first line.

Tables used for page layout (a cell holding paragraphs or a long text) are not data: their cells
become plain blocks, so the story inside them reads like any other.
"""

from __future__ import annotations

from lxml import html as lxml_html

# A data cell holds a label or a number; a cell longer than this is layout holding story text.
DATA_CELL_MAX_CHARS = 300
# Block elements inside a cell that make it layout rather than data (a line break or a span is fine).
LAYOUT_CHILD_TAGS = frozenset({"table", "div", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
                               "pre", "section", "article", "form"})
# More than this many <p> in one cell is a story laid out in a table.
DATA_CELL_MAX_PARAGRAPHS = 1
# Separators in a row line: between cells, and between a header and its cell.
CELL_SEP = "; "
HEADER_SEP = ": "
TABLE_PARTS = ("thead", "tbody", "tfoot", "tr", "td", "th", "caption", "colgroup", "col")


def _text(el) -> str:
    return " ".join(" ".join(el.itertext()).split())


def _rows(table) -> list:
    """The table's own rows (not those of a nested table), in order."""
    return [tr for tr in table.iter("tr") if next(tr.iterancestors("table"), None) is table]


def _cells(tr) -> list:
    return [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]


def is_data_table(table, rows: list) -> bool:
    """Labels and numbers in rows and columns, as opposed to a table laying out a page."""
    if len(rows) < 2 and not table.xpath("./caption"):
        return False
    for tr in rows:
        for cell in _cells(tr):
            if cell.xpath(".//table"):
                return False
            if any(isinstance(d.tag, str) and d.tag in LAYOUT_CHILD_TAGS for d in cell.iterdescendants()):
                return False
            if len(cell.findall(".//p")) > DATA_CELL_MAX_PARAGRAPHS:
                return False
            if len(_text(cell)) > DATA_CELL_MAX_CHARS:
                return False
    return True


def _header(rows: list) -> tuple[list[str], list]:
    """The column names (from <thead> or a first row of <th> cells) and the remaining rows."""
    first = rows[0]
    cells = _cells(first)
    in_head = first.getparent() is not None and first.getparent().tag == "thead"
    if cells and (in_head or all(c.tag == "th" for c in cells)):
        names: list[str] = []
        for cell in cells:
            names.extend([_text(cell)] * max(1, _span(cell)))
        return names, rows[1:]
    return [], rows


def _span(cell) -> int:
    try:
        return max(1, min(int(cell.get("colspan", "1")), 100))
    except ValueError:
        return 1


def row_lines(table) -> list[str]:
    """One line per data row: "Header: cell; Header: cell" (or "cell; cell" without a header)."""
    rows = _rows(table)
    lines = []
    caption = table.find("caption")
    if caption is not None and _text(caption):
        lines.append(_text(caption))
    names, body = _header(rows) if rows else ([], [])
    for tr in body:
        parts = []
        column = 0
        for cell in _cells(tr):
            value = _text(cell)
            name = names[column] if column < len(names) else ""
            column += _span(cell)
            if not value:
                continue
            # A cell repeating its header (a second header row) or a header without a name.
            parts.append(value if not name or name == value else f"{name}{HEADER_SEP}{value}")
        if parts:
            lines.append(CELL_SEP.join(parts))
    return lines


def flatten_tables(root) -> None:
    """Replace every table under ``root``: data tables by one <p> per row, layout tables by plain
    blocks (innermost first, so a data table inside a layout table is read as data)."""
    for table in reversed(list(root.iter("table"))):
        if table.getparent() is None:
            continue
        rows = _rows(table)
        if is_data_table(table, rows):
            block = lxml_html.Element("div")
            for line in row_lines(table):
                p = lxml_html.Element("p")
                p.text = line
                block.append(p)
            block.tail = table.tail
            table.getparent().replace(table, block)
        else:  # nested tables were replaced already: every part here belongs to this table
            for part in [table, *table.iter(*TABLE_PARTS)]:
                part.tag = "div"
