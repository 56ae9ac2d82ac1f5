from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import include, path

from amends.accounts import views as account_views
from amends.api import api
from amends.core.errors import error_body
from amends.resolution import problem_views, survey_views
from amends.sla import views as sla_views


def health(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("", account_views.home, name="home"),
    path("sign-in/", account_views.SignInView.as_view(), name="login"),
    path("sign-out/", account_views.SignOutView.as_view(), name="logout"),
    path("cases/", include("amends.cases.urls")),
    path("customers/", include("amends.customers.urls")),
    path("inbox/", include("amends.inbox.urls")),
    path("comms/", include("amends.comms.urls")),
    path("notifications/", sla_views.notifications, name="notifications"),
    path("problems/", problem_views.problems, name="problems"),
    path("survey/<str:token>/", survey_views.survey, name="survey"),
    path("portal/", include("amends.portal.urls")),
    path("problems/<str:reference>/", problem_views.problem_page, name="problem"),
    path("notifications/read/", sla_views.mark_read, name="notifications_read"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("healthz", health),
]


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(error_body("not_found", f"No endpoint at {request.path}."), status=404)
    return render(request, "404.html", status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(error_body("forbidden", "You do not have access."), status=403)
    return render(request, "403.html", status=403)


handler404 = not_found
handler403 = forbidden
