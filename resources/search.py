"""Text search over listings. Placeholder: replaced by the full-text search work."""

from django.db.models import FloatField, Q, Value


def search_listings(queryset, text):
    words = text.split()
    condition = Q()
    for word in words:
        condition &= Q(name__icontains=word) | Q(summary__icontains=word)
    return queryset.filter(condition).annotate(rank=Value(1.0, output_field=FloatField()))
