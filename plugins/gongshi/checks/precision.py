"""Money to the fen: every amount in yuan has at most two decimals, as each money field's description says.

A third decimal that is not zero (10000.005) is a slip of the keyboard or a sum left unrounded; a page, its data
files and the databases would have to round it, so the clerk is asked to write the amount the notice states.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import polars as pl

from ..money import is_money
from ..package.read import Normalized
from ..problems import Problem, error
from ..schemas import SchemaSet

# More than two decimals, with a digit other than 0 after the second: 1.005 and 1.0001, not 1.50 or 1.000.
FRACTION_OF_FEN = r"^\s*[+-]?[0-9]*\.[0-9]{2}0*[1-9][0-9]*\s*$"


def precision_problems(tables: Mapping[str, Normalized], path, schemas: SchemaSet) -> Iterator[Problem]:
    """An error for each amount in yuan with a fraction of a fen."""
    for name, table in tables.items():
        if table.frame is None or not len(table.frame):
            continue
        specs = [f for f in schemas.fields(name) if is_money(name, f) and f["name"] in table.frame.columns
                 and f["name"] not in table.missing_fields]
        for spec in specs:
            column = spec["name"]
            found = (table.frame.lazy().with_row_index("_i").filter(pl.col(column).str.contains(FRACTION_OF_FEN))
                     .select("_i", column).collect())
            for i, value in found.iter_rows():
                number = table.rows[i] if table.rows else i + 2
                yield error("amount-fraction-of-fen", path(name), number, column,
                            f"金额“{value}”有三位以上小数，不到一分钱。金额以元为单位，最多两位小数（到分）："
                            "请照原公告写的金额填。",
                            f"The amount {value!r} has a fraction of a fen. Amounts are in yuan with at most two "
                            "decimals: write the amount the notice states.")
