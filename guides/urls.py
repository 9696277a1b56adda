from django.urls import path

from directory.public_pages import public_page
from guides import views

app_name = "guides"
urlpatterns = [
    path("guides/", public_page(views.GuideListView.as_view()), name="index"),
    path("guides/<slug:slug>/", public_page(views.GuideDetailView.as_view()), name="detail"),
    path("plan/", public_page(views.PlanView.as_view()), name="plan"),
]
