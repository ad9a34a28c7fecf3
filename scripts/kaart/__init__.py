"""Sociale Kaart: YAML records about the Dutch social domain → validated model → static site + open data."""

__version__ = "0.1.0"
