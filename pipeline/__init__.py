"""bulletins: read Chinese government hotline bulletins and audit their arithmetic."""

__version__ = "0.1.0"
