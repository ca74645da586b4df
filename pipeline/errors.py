"""Exceptions for unreadable input, bad configuration and parse failures.

Bad data inside a readable document is not an exception: it becomes a finding.
"""


class BulletinError(Exception):
    """Base class; `str()` is a one-line message fit for a user."""


class InputError(BulletinError):
    """A file cannot be read: missing, encrypted, not a supported format."""


class ParseError(BulletinError):
    """Printed text does not have the form a parser expects."""


class ConfigError(BulletinError):
    """A data file (gazetteer, vocabulary) is missing or malformed."""


class MissingExtra(ConfigError):
    """An optional part of the distribution (an extra such as `[camelot]`) is not installed."""


class LimitError(InputError):
    """A document goes past a limit (time, memory, pages, rows, cells, characters); `str()`
    names the limit and, where there is one, the flag that changes it."""
