from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Recovery Support Directory — curators"
admin.site.site_title = "Recovery Support Directory admin"
admin.site.index_title = "Listings, groups and meetings"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("resources.urls")),
    path("", include("groups.urls")),
]
