from django.urls import path

from accounts import views

app_name = "accounts"

# Included under the admin's path (ADMIN_URL), before the admin's own URLs.
urlpatterns = [
    path("", views.verify, name="verify"),
    path("setup/", views.setup, name="setup"),
]
