"""The API's query parameters are one value each (the schema declares no array): a parameter given
twice answers 400 naming it, in the request's language, whichever endpoint and parameter; pages
are not concerned (a form's repeated field is the form's to read)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/listings/?cursor=abc&cursor=def",
        "/api/v1/listings/?q=laser&belt=wuhan-laser&q=cutter",
        "/api/v1/belts/?page=1&page=2",
        "/api/v1/suppliers/?sort=name&sort=-name",
    ],
)
def test_a_query_parameter_given_twice_answers_400_naming_it(url):
    response = Client().get(url)
    assert response.status_code == 400, response.content[:500]
    name = url.split("?")[1].split("&")[0].split("=")[0]
    assert response.json() == {name: ["Give this parameter once."]}


def test_each_repeated_parameter_is_named_and_the_message_is_in_the_request_s_language():
    response = Client().get(
        "/api/v1/listings/?q=a&q=b&sort=new&sort=old&belt=x", headers={"accept-language": "zh-hans"}
    )
    assert response.status_code == 400
    assert set(response.json()) == {"q", "sort"}
    assert response.json()["q"] == ["此参数只能给出一次。"]


def test_parameters_given_once_are_read_as_before():
    assert Client().get("/api/v1/listings/?q=laser&page_size=5").status_code == 200


def test_a_page_with_a_repeated_parameter_is_left_to_its_form():
    assert Client().get("/search/?q=laser&q=cutter").status_code == 200
