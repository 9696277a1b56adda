from django.shortcuts import render


def meeting_detail(request, slug):
    return render(request, "groups/meeting_detail.html", {})
