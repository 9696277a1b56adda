"""The open data API: read-only JSON under /api/v1/, described by OpenAPI at /api/schema/."""
