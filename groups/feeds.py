"""The Meeting Guide JSON feed. Placeholder: replaced by the feed work."""

from django.http import JsonResponse


def meeting_guide_feed(request):
    return JsonResponse([], safe=False)
