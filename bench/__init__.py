"""`python -m bench`: how fast extraction runs next to the tools it replaces (figures only)."""
