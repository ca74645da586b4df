"""The scoreboard: run the pipeline over the committed corpus and score it against truth.

This package imports `pipeline`; `pipeline` never imports it. Truth files are read
only after the pipeline has run, to score what it returned.
"""
