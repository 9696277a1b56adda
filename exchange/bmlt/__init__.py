"""BMLT (NA) import."""
