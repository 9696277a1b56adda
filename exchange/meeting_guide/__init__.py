"""Importers that load meetings from other people's data into the directory."""
