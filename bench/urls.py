"""The app's URLs and one more, only under the bench's settings: a bare Django view answering a
constant 20 KB page, the floor the catalog's pages are compared with in the same run."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from bench.mix import BARE_PATH
from marketplace import urls as app

BARE_SIZE = 20 * 1024

_ROW = "<p>Bare page of the load bench: a constant body, no template, no query.</p>\n"
_HEAD = '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Bare</title></head><body>\n'
_TAIL = "</body></html>\n"
_body = _HEAD + _ROW * ((BARE_SIZE - len(_HEAD) - len(_TAIL)) // len(_ROW))
BARE_PAGE = (_body + " " * (BARE_SIZE - len(_body) - len(_TAIL)) + _TAIL).encode()


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(BARE_PAGE, content_type="text/html; charset=utf-8")


urlpatterns = [path(BARE_PATH.strip("/") + "/", bare, name="bench-bare"), *app.urlpatterns]

handler400 = app.handler400
handler403 = app.handler403
handler404 = app.handler404
handler500 = app.handler500
