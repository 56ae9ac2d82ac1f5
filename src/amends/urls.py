from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.views.generic import RedirectView

from amends.api import api, error_body


def health(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


urlpatterns = [
    # Until the agent workspace exists, the front door is the API's own documentation.
    path("", RedirectView.as_view(url="/api/v1/docs", permanent=False)),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("healthz", health),
]


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(error_body("not_found", f"No endpoint at {request.path}."), status=404)
    return HttpResponse("Not found", status=404, content_type="text/plain")


handler404 = not_found
