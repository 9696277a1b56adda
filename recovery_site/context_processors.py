def site(request):
    """Values every page may show."""
    from django.conf import settings

    return {
        "corrections_email": settings.CORRECTIONS_EMAIL,
        # The privacy page says how long submitters' details are kept.
        "submission_retention_days": settings.SUBMISSION_RETENTION_DAYS,
    }
