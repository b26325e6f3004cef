"""What every page carries: the search box outside the collapsed menu, the way to sell here, the icon."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_page_links_to_the_supplier_application_with_what_it_needs(client):
    home = client.get(reverse("catalog:home")).content.decode()
    assert f'href="{reverse("suppliers:apply")}"' in home
    apply = client.get(reverse("suppliers:apply")).content.decode()
    assert 'data-testid="what-you-need"' in apply
    assert "USCC" in apply and "production site" in apply


def test_the_search_box_is_not_inside_the_collapsed_menu(client):
    html = client.get(reverse("catalog:home")).content.decode()
    search, menu = html.index('data-testid="site-search"'), html.index('id="nav"')
    assert search < menu  # the form comes before (outside) the collapsible menu


def test_favicon_is_declared_and_the_browsers_default_path_redirects_to_it(client):
    html = client.get(reverse("catalog:home")).content.decode()
    assert 'rel="icon"' in html and "favicon" in html
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert "favicon" in response["Location"] and response["Location"].endswith(".svg")
