def site(request):
    """Values every page may show."""
    from django.conf import settings

    return {"corrections_email": settings.CORRECTIONS_EMAIL}
