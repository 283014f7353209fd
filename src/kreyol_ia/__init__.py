"""Kreyòl IA: a self-hostable translation service for Haitian Creole ⇄ English and French."""

__version__ = "0.1.0"
