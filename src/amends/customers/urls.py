from __future__ import annotations

from django.urls import path

from amends.customers import views

app_name = "customers"

urlpatterns = [
    path("", views.search, name="search"),
    path("<str:reference>/", views.customer_page, name="detail"),
]
