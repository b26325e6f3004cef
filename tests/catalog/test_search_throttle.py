"""The public search page is throttled per client address (SEARCH_THROTTLE_RATE): past the rate it
answers a friendly, translated 429 page with Retry-After; other addresses are not affected; with
the cache down it fails open and serves the search. Searches that run are counted: a page served
whole from the page cache is not (each test below searches different words, so each request runs)."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

URL = reverse("catalog:search")


@pytest.fixture(autouse=True)
def _three_a_minute(settings):
    settings.SEARCH_THROTTLE_RATE = "3/minute"
    cache.clear()


@pytest.mark.django_db
def test_past_the_rate_the_search_answers_429_with_a_friendly_page(client):
    statuses = [client.get(URL, {"q": word}).status_code for word in ("laser", "cotton", "shirt", "goji")]
    assert statuses == [200, 200, 200, 429]
    refused = client.get(URL, {"q": "raisin"})
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused["Content-Type"].startswith("text/html")
    assert "Too many searches" in refused.content.decode()


@pytest.mark.django_db
def test_the_429_page_is_translated(client):
    for word in ("laser", "cotton", "shirt"):
        client.get(URL, {"q": word})
    with translation.override("zh-hans"):
        refused = client.get(URL, {"q": "goji"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert refused.status_code == 429
    assert "搜索次数过多" in refused.content.decode()


@pytest.mark.django_db
def test_another_address_still_searches(client):
    for word in ("laser", "cotton", "shirt", "goji"):
        client.get(URL, {"q": word}, REMOTE_ADDR="10.0.0.1")
    assert client.get(URL, {"q": "raisin"}, REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client.get(URL, {"q": "walnut"}, REMOTE_ADDR="10.0.0.2").status_code == 200


@pytest.mark.django_db
def test_a_page_served_from_the_page_cache_is_not_counted(client):
    # The same search again and again is one search run, then hits of the page cache.
    statuses = [client.get(URL, {"q": "laser"}).status_code for _ in range(6)]
    assert statuses == [200] * 6
    assert client.get(URL, {"q": "laser"})["Cache-Control"].startswith("public")
    statuses = [client.get(URL, {"q": word}).status_code for word in ("cotton", "shirt", "goji")]
    assert statuses == [200, 200, 429]


@pytest.mark.django_db
def test_without_the_page_cache_every_search_counts(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    statuses = [client.get(URL, {"q": "laser"}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


@pytest.mark.django_db
def test_with_the_cache_down_the_search_fails_open(client, settings, caplog):
    # A Redis cache on a port where nothing listens (15459, this machine's range for test servers).
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:15459/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    statuses = [client.get(URL, {"q": word}).status_code for word in ("a", "b", "c", "d", "e")]
    assert statuses == [200] * 5
    assert "cache" in caplog.text.lower()


@pytest.mark.django_db
def test_a_made_up_forwarded_address_does_not_escape_the_limit(client):
    """Without proxies configured (DJANGO_NUM_PROXIES=0) the connecting address counts, not the header."""
    statuses = [client.get(URL, {"q": f"word{n}"}, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code for n in range(5)]
    assert statuses == [200, 200, 200, 429, 429]


@pytest.mark.django_db
def test_behind_one_proxy_the_forwarded_client_address_counts(client, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    for word in ("laser", "cotton", "shirt"):
        client.get(URL, {"q": word}, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert client.get(URL, {"q": "goji"}, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429
    assert client.get(URL, {"q": "raisin"}, HTTP_X_FORWARDED_FOR="198.51.100.8").status_code == 200
