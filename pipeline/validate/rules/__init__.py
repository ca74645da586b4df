# Importing a rule module registers its rules (pipeline.validate.registry.RULES).
from pipeline.validate.rules import (  # noqa: F401
    cells,
    conventions,
    crosscheck,
    formulas,
    growth,
    names,
    pages,
    periods,
    ranks,
    rates,
    shares,
    tables,
    text_growth,
    text_lists,
    text_sums,
    total_rows,
)
