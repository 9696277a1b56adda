"""Settings of the open data API (issue: open data), imported at the end of settings.py.

The API is public and read-only: no authentication (so no session or CSRF cookie), JSON
only, and each visitor may make 120 requests in any minute (a sliding window; the visitor
is found as everywhere on the site, by ``recovery_site.clients.client_address``). The
counts live in the default cache under a keyed hash of the address, never the address
itself, for two minutes at most; when the cache is down every request is served.
"""

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["opendata.api.throttling.AnonymousRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": "120/minute"},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "opendata.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Recovery Support Directory API",
    "DESCRIPTION": (
        "Read-only open data: listings of help for drug and alcohol addiction, peer support "
        "meetings, fellowships and the vocabularies they are tagged with. Every list takes "
        "the same parameters as the site's own search and meeting finder. A parameter we "
        'cannot use answers 400 with `{"errors": {"parameter": ["message"]}}`; an '
        'unknown slug answers 404 with `{"detail": "message"}`.'
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "COMPONENT_SPLIT_REQUEST": False,
    # Swagger UI's files come from this site (drf-spectacular-sidecar), never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The validator badge would send the schema to swagger.io.
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None, "deepLinking": True},
}
