from django.shortcuts import render


def home(request):
    return render(request, "resources/home.html", {})


def listing_detail(request, slug):
    return render(request, "resources/listing_detail.html", {})
