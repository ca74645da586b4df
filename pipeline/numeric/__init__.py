"""Exact arithmetic on printed numbers: rounding intervals and formula inference.

A leaf package (it imports only `pipeline.model`), shared by normalization,
which aligns shifted rows by the arithmetic they satisfy, and by validation.
"""
