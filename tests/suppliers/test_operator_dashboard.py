"""The belt operator's funnel: invited → applying → under verification → certified / rejected
(and suspended), with counts and the list behind each stage, for its own belts only."""

import datetime
import re

import pytest
from django.urls import reverse

from suppliers.models import Invitation, Supplier
from suppliers.selectors import belt_funnel_list_for_operator
from suppliers.services import supplier_certification_expire
from tests import factories as f
from tests.conftest import client_for
from tests.suppliers.factories import certified_supplier

DASHBOARD = "/dashboard/belt/"


def invite(belt, operator, email, company="Invited Co.", supplier=None):
    return Invitation.objects.create(
        belt=belt, company_name=company, contact_name="Li", email=email, invited_by=operator, supplier=supplier
    )


@pytest.fixture
def population(belt, operator, supplier, other_supplier):
    """`belt`: 2 pending invitations, 2 applying (one from an invitation), 3 under verification
    (one asked for more), 2 certified (the fixtures), 1 rejected, 1 suspended. A busy other belt."""
    invite(belt, operator, "pending1@x.test", company="Pending One Ltd.")
    invite(belt, operator, "pending2@x.test", company="Pending Two Ltd.")
    draft = f.DraftApplicationFactory(belt=belt, name_en="Drafting From Invite Ltd.")
    invite(belt, operator, "applied@x.test", company="Drafting From Invite Ltd.", supplier=draft)
    f.DraftApplicationFactory(belt=belt, name_en="Drafting Alone Ltd.")
    f.ApplicantSupplierFactory(belt=belt, name_en="Applicant One Ltd.")
    f.ApplicantSupplierFactory(belt=belt, name_en="Applicant Two Ltd.")
    f.ApplicantSupplierFactory(belt=belt, name_en="Asked For More Ltd.", status=Supplier.Status.INFO_REQUESTED)
    f.ApplicantSupplierFactory(belt=belt, name_en="Rejected Works Ltd.", status=Supplier.Status.REJECTED)
    f.ApplicantSupplierFactory(belt=belt, name_en="Suspended Works Ltd.", status=Supplier.Status.SUSPENDED)

    elsewhere = f.BeltFactory(slug="yiwu-goods", name_en="Yiwu small goods belt")
    yiwu_operator = f.BeltOperatorFactory(belt=elsewhere).user
    for i in range(4):
        f.ApplicantSupplierFactory(belt=elsewhere, name_en=f"Yiwu Trading {i} Ltd.")
    f.SupplierFactory(belt=elsewhere, name_en="Yiwu Certified Ltd.")
    invite(elsewhere, yiwu_operator, "yiwu-invite@x.test", company="Yiwu Invited Ltd.")
    return elsewhere


def funnel_of(response, slug="wuhan-laser"):
    row = next(r for r in response.context["rows"] if r["belt"].slug == slug)
    return {stage.key: stage.count for stage in row["funnel"]}


def names(response):
    return [getattr(x, "name_en", None) or x.company_name for x in response.context["page"].object_list]


def test_url_is_the_operator_dashboard():
    assert reverse("suppliers:operator_dashboard") == DASHBOARD


def test_funnel_counts_each_stage_of_its_belt(operator, population):
    response = client_for(operator).get(DASHBOARD)
    assert response.status_code == 200
    assert funnel_of(response) == {
        "invited": 2,  # the invitation that became an application counts as applying, not invited
        "applied": 2,
        "verifying": 3,
        "certified": 2,
        "expired": 0,
        "rejected": 1,
        "suspended": 1,
    }


def test_an_expired_certification_moves_from_certified_to_its_own_line_of_the_funnel(operator, population, staff):
    supplier = certified_supplier(Supplier.objects.filter(belt__slug="wuhan-laser").first().belt, staff)
    before = funnel_of(client_for(operator).get(DASHBOARD))
    assert supplier_certification_expire(supplier.pk, today=supplier.certified_until + datetime.timedelta(days=1))
    after = funnel_of(client_for(operator).get(DASHBOARD))
    assert (after["certified"], after["expired"]) == (before["certified"] - 1, before["expired"] + 1)


def test_funnel_selector_is_one_query(operator, population, django_assert_num_queries):
    with django_assert_num_queries(1):
        [belt] = belt_funnel_list_for_operator(user=operator)
    assert (belt.n_invited, belt.n_verifying) == (2, 3)


def test_without_a_stage_the_list_is_every_company_that_applied(operator, population):
    response = client_for(operator).get(DASHBOARD)
    assert len(names(response)) == 9
    html = response.content.decode()
    assert "Applicant One Ltd." in html
    assert "Yiwu" not in html
    assert "Pending One Ltd." not in html  # invitations are behind the "invited" stage


@pytest.mark.parametrize(
    ("stage", "expected"),
    [
        ("invited", ["Pending Two Ltd.", "Pending One Ltd."]),
        ("applied", ["Drafting Alone Ltd.", "Drafting From Invite Ltd."]),
        ("verifying", ["Applicant One Ltd.", "Applicant Two Ltd.", "Asked For More Ltd."]),
        ("certified", ["Supplier", "Wuhan Guanggu Photonics Co., Ltd."]),
        ("rejected", ["Rejected Works Ltd."]),
        ("suspended", ["Suspended Works Ltd."]),
    ],
)
def test_each_stage_lists_the_companies_behind_its_count(operator, population, stage, expected):
    response = client_for(operator).get(DASHBOARD, {"stage": stage})
    assert response.context["stage"] == stage
    shown = names(response)
    if stage == "certified":
        shown = ["Supplier" if n.startswith("Supplier ") else n for n in shown]
    assert sorted(shown) == sorted(expected)
    assert len(shown) == funnel_of(response)[stage]


def test_stage_cards_link_to_their_lists_and_applications_to_their_page(operator, population):
    html = client_for(operator).get(DASHBOARD, {"stage": "verifying"}).content.decode()
    assert 'href="?belt=wuhan-laser&amp;stage=invited"' in html
    assert re.search(r'data-testid="stage-verifying"\s*aria-current="true"', html)  # the chosen stage stands out
    assert not re.search(r'data-testid="stage-invited"\s*aria-current', html)
    applicant = Supplier.objects.get(name_en="Applicant One Ltd.")
    assert reverse("suppliers:operator_application", args=[applicant.pk]) in html
    assert reverse("suppliers:operator_invite", args=["wuhan-laser"]) in html


def test_an_unknown_stage_shows_everything(operator, population):
    response = client_for(operator).get(DASHBOARD, {"stage": "status__in"})
    assert response.context["stage"] == ""
    assert len(names(response)) == 9


def test_the_list_is_paginated(operator, belt):
    for i in range(55):
        invite(belt, operator, f"many{i}@x.test")
    client = client_for(operator)
    first = client.get(DASHBOARD, {"stage": "invited"})
    assert len(names(first)) == 50
    assert "stage=invited&amp;page=2" in first.content.decode()
    assert len(names(client.get(DASHBOARD, {"stage": "invited", "page": 2}))) == 5


def test_operator_of_two_belts_sees_both_funnels_and_chooses_the_list(operator, population):
    f.BeltOperatorFactory(belt=population, user=operator)
    client = client_for(operator)
    response = client.get(DASHBOARD)
    assert funnel_of(response, "yiwu-goods") == {
        "invited": 1,
        "applied": 0,
        "verifying": 4,
        "certified": 1,
        "expired": 0,
        "rejected": 0,
        "suspended": 0,
    }
    assert funnel_of(response)["verifying"] == 3
    yiwu = client.get(DASHBOARD, {"belt": "yiwu-goods", "stage": "verifying"})
    assert yiwu.context["selected"] == population
    assert sorted(names(yiwu)) == [f"Yiwu Trading {i} Ltd." for i in range(4)]


def test_another_belts_funnel_is_404(operator, population):
    response = client_for(operator).get(DASHBOARD, {"belt": "yiwu-goods", "stage": "verifying"})
    assert response.status_code == 404
    assert "Yiwu" not in response.content.decode()


@pytest.mark.parametrize("who", ["buyer", "outsider", "supplier_member", "staff"])
def test_people_who_operate_no_belt_get_404(request, who, population):
    response = client_for(request.getfixturevalue(who)).get(DASHBOARD)
    assert response.status_code == 404
    assert "Applicant One Ltd." not in response.content.decode()


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("stage", ["", "invited", "verifying"])
def test_query_budget_is_the_same_with_3_and_20_companies(
    operator, belt, stage, django_assert_max_num_queries, django_assert_num_queries
):
    client = client_for(operator)
    client.get(DASHBOARD)  # warm the session

    def populate(n):
        for _ in range(n):
            supplier = f.ApplicantSupplierFactory(belt=belt)
            invite(belt, operator, f"{supplier.slug}@x.test")

    # session, user, funnel (one query for all belts), list count, list page
    populate(3)
    with django_assert_num_queries(5):
        assert len(names(client.get(DASHBOARD, {"stage": stage}))) == 3
    populate(17)
    with django_assert_max_num_queries(5):
        assert len(names(client.get(DASHBOARD, {"stage": stage}))) == 20


def test_query_budget_does_not_grow_with_the_number_of_belts(operator, belt, django_assert_max_num_queries):
    client = client_for(operator)
    for i in range(5):
        other = f.BeltFactory(slug=f"belt-extra-{i}")
        f.BeltOperatorFactory(belt=other, user=operator)
        f.ApplicantSupplierFactory(belt=other)
    with django_assert_max_num_queries(5):
        response = client.get(DASHBOARD)
    assert len(response.context["rows"]) == 6


def test_htmx_request_gets_the_same_page_for_hx_select(operator, population):
    response = client_for(operator).get(DASHBOARD, {"stage": "rejected"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'id="operator-funnels"' in response.content.decode()
    assert names(response) == ["Rejected Works Ltd."]


def test_the_pages_render_in_chinese(operator, belt, population):
    client = client_for(operator)
    client.cookies["django_language"] = "zh-hans"
    html = client.get(DASHBOARD).content.decode()
    assert "武汉激光产业带" in html
    applicant = Supplier.objects.get(name_en="Applicant One Ltd.")
    assert client.get(reverse("suppliers:operator_application", args=[applicant.pk])).status_code == 200
    assert "武汉激光产业带" in client.get(reverse("suppliers:operator_invite", args=[belt.slug])).content.decode()
