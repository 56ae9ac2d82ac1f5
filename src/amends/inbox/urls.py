from __future__ import annotations

from django.urls import path

from amends.inbox import views

app_name = "inbox"

urlpatterns = [
    path("flagged/", views.flagged, name="flagged"),
    path("<int:inbound_id>/original/", views.original, name="original"),
]
