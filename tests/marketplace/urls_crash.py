"""The project's URLs and handlers, plus views that crash or take a plain form (error handler tests)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from marketplace.urls import *  # noqa: F403  (urlpatterns and handler400…500)
from marketplace.urls import urlpatterns as project_urlpatterns


def crash(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


def plain_form(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [
    path("api/v1/crash/", crash),
    path("crash/", crash),
    path("api/v1/plain-form/", plain_form),
    path("plain-form/", plain_form),
    *project_urlpatterns,
]
