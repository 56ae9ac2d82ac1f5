from __future__ import annotations

from django.urls import path

from amends.comms import coach_views, views

app_name = "comms"

urlpatterns = [
    path("coach/", coach_views.coach_panel, name="coach"),
    path("cases/<str:reference>/write/", views.compose, name="compose"),
    path("cases/<str:reference>/letters/<int:letter_id>/", views.letter, name="letter"),
    path(
        "cases/<str:reference>/emails/<int:email_id>/again/", views.email_again, name="email_again"
    ),
    path(
        "cases/<str:reference>/letters/<int:letter_id>/printed/",
        views.letter_printed,
        name="letter_printed",
    ),
]
