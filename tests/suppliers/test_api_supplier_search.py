"""GET /api/v1/suppliers/: certified suppliers only, searched by name (English or Chinese), belt
and products, filtered by belt, level (at least) and province, in cursor pages."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from suppliers.models import Supplier
from tests import factories as f

URL = "/api/v1/suppliers/"


@pytest.fixture
def suppliers(db):
    with connection.cursor() as cursor:  # no words left behind by transactional tests
        cursor.execute("DELETE FROM catalog_searchword")
    wuhan = f.BeltFactory(slug="wuhan-laser", name_en="Wuhan laser belt", name_zh="武汉激光产业带", province="CN-HB")
    shishi = f.BeltFactory(
        slug="shishi-textiles", name_en="Shishi textile belt", name_zh="石狮纺织产业带", province="CN-FJ",
        industry_en="Casual wear", industry_zh="休闲服装", brand_en="Shishi apparel", brand_zh="石狮服装",
    )  # fmt: skip
    made = {
        "guanggu": f.SupplierFactory(
            belt=wuhan, slug="guanggu", name_en="Wuhan Guanggu Photonics Co., Ltd.", name_zh="武汉光谷光电科技有限公司"
        ),
        "huagong": f.SupplierFactory(
            belt=wuhan,
            slug="huagong",
            name_en="Huagong Laser Works",
            name_zh="华工激光",
            certification_level="audited_factory",
        ),
        "denim": f.SupplierFactory(
            belt=shishi,
            slug="blue-denim",
            name_en="Shishi Blue Denim Factory",
            name_zh="石狮蓝色牛仔厂",
            certification_level="certified_origin",
            province="CN-FJ",
        ),
        "applicant": f.ApplicantSupplierFactory(belt=wuhan, slug="applicant", name_en="Applicant Laser Trading"),
        "lapsed": f.SupplierFactory(
            belt=wuhan,
            slug="lapsed",
            name_en="Lapsed Laser Co.",
            certified_until=timezone.localdate() - datetime.timedelta(days=1),
        ),
    }
    f.ProductionSiteFactory(supplier=made["denim"], province="CN-FJ", products="Selvedge denim and chinos")
    return made


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


def test_lists_certified_suppliers_only_by_name(client, suppliers):
    assert slugs(client.get(URL)) == ["huagong", "blue-denim", "guanggu"]


def test_searches_names_in_english_and_chinese_with_a_typo(client, suppliers):
    assert slugs(client.get(URL, {"q": "guanggu"})) == ["guanggu"]
    assert slugs(client.get(URL, {"q": "光谷"})) == ["guanggu"]
    assert slugs(client.get(URL, {"q": "photonix"})) == ["guanggu"]


def test_searches_belt_and_products(client, suppliers):
    assert slugs(client.get(URL, {"q": "chinos"})) == ["blue-denim"]
    assert set(slugs(client.get(URL, {"q": "武汉激光"}))) == {"guanggu", "huagong"}


def test_filters_by_belt_level_and_province(client, suppliers):
    assert slugs(client.get(URL, {"belt": "shishi-textiles"})) == ["blue-denim"]
    assert slugs(client.get(URL, {"level": "certified_origin"})) == ["huagong", "blue-denim"]
    assert slugs(client.get(URL, {"level": "audited_factory"})) == ["huagong"]
    assert slugs(client.get(URL, {"province": "CN-FJ"})) == ["blue-denim"]
    assert slugs(client.get(URL, {"q": "laser", "level": "audited_factory"})) == ["huagong"]


@pytest.mark.parametrize(("params", "field"), [({"level": "gold"}, "level"), ({"province": "XX"}, "province")])
def test_bad_values_answer_400(client, suppliers, params, field):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert field in response.json()


def test_cursor_pages_and_a_fixed_query_budget(client, suppliers, django_assert_max_num_queries):
    for n in range(12):
        f.SupplierFactory(name_en=f"Zhejiang Maker {n:02d}")
    seen: list[str] = []
    response = client.get(URL, {"page_size": 5})
    while True:
        seen += slugs(response)
        if not response.json()["next"]:
            break
        response = client.get(response.json()["next"])
    assert len(seen) == len(set(seen)) == 15
    with django_assert_max_num_queries(4):  # synonyms, word check, the page (belt joined)
        client.get(URL, {"q": "maker", "page_size": 50})


def test_never_shows_private_fields(client, suppliers):
    Supplier.objects.filter(slug="guanggu").update(uscc="91420100MA4K000000", phone="+86 27 1234")
    row = client.get(URL, {"q": "guanggu"}).json()["results"][0]
    assert "uscc" not in row and "phone" not in row and "contact_email" not in row


def test_is_in_the_openapi_schema(client, db):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    params = {p["name"] for p in schema["paths"]["/api/v1/suppliers/"]["get"]["parameters"]}
    assert {"q", "belt", "level", "province", "cursor"} <= params
