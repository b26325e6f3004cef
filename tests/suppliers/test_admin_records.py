"""Audit checklists as data (edited in admin, versioned), and the read-only certification admin."""

import pytest
from django.core.files.base import ContentFile

from marketplace.exceptions import ApplicationError
from suppliers.models import AuditChecklist, AuditPointResult, Certification, CertificationLevel
from suppliers.services import audit_checklist_save_points, supplier_certify
from tests import factories as f
from tests.admin_forms import form_data
from tests.suppliers.test_admin import (
    PDF_BYTES,
    admin_client_fixture,  # noqa: F401 (fixture)
    applicant_fixture,  # noqa: F401 (fixture)
    laser_checklist,
)

CHECKLISTS = "/admin/suppliers/auditchecklist/"


def points_of(checklist: AuditChecklist) -> list[tuple]:
    return list(checklist.points.order_by("position").values_list("code", "text_en", "text_zh", "position"))


def point(code: str, position: int, text: str = "") -> dict:
    return {"code": code, "text_en": text or f"Point {code}", "text_zh": f"要点{code}", "position": position}


# --- The service -----------------------------------------------------------------------------------


def test_filling_a_new_checklist_keeps_version_one(db):
    checklist = AuditChecklist.objects.create(industry_en="Farm produce", industry_zh="农产品", slug="farm")
    assert audit_checklist_save_points(checklist=checklist, points=[point("a", 0), point("b", 1)])
    checklist.refresh_from_db()
    assert checklist.version == 1
    assert [p[0] for p in points_of(checklist)] == ["a", "b"]


@pytest.mark.parametrize(
    "change",
    [
        lambda ps: [*ps, point("new", 9)],  # a point added
        lambda ps: ps[1:],  # a point removed
        lambda ps: [{**ps[0], "text_en": "Reworded"}, *ps[1:]],  # a point reworded
        lambda ps: [{**ps[0], "position": 7}, *ps[1:]],  # a point moved
    ],
)
def test_any_change_of_the_points_is_a_new_version(db, change):
    checklist = laser_checklist(points=3)
    current = [{"code": c, "text_en": en, "text_zh": zh, "position": pos} for c, en, zh, pos in points_of(checklist)]

    assert audit_checklist_save_points(checklist=checklist, points=change(current))

    checklist.refresh_from_db()
    assert checklist.version == 2
    assert points_of(checklist) == sorted(
        [(p["code"], p["text_en"], p["text_zh"], p["position"]) for p in change(current)], key=lambda p: p[3]
    )


def test_saving_the_same_points_changes_nothing(db):
    checklist = laser_checklist(points=2)
    same = [{"code": c, "text_en": en, "text_zh": zh, "position": pos} for c, en, zh, pos in points_of(checklist)]
    assert not audit_checklist_save_points(checklist=checklist, points=same)
    checklist.refresh_from_db()
    assert checklist.version == 1


def test_two_points_with_one_code_are_refused(db):
    checklist = laser_checklist(points=1)
    with pytest.raises(ApplicationError):
        audit_checklist_save_points(checklist=checklist, points=[point("a", 0), point("a", 1)])


def test_a_certification_keeps_the_version_and_words_it_was_made_with(applicant, staff):
    checklist = laser_checklist(points=1)
    f.origin_ready(applicant)
    supplier_certify(
        supplier=applicant, level=CertificationLevel.AUDITED_FACTORY, actor=staff, **f.ORIGIN,
        audit_report=ContentFile(PDF_BYTES, name="r.pdf"), checklist=checklist,
        point_results={"point-0": ("pass", "")},
    )  # fmt: skip

    audit_checklist_save_points(checklist=checklist, points=[point("point-0", 0, "Reworded point")])

    checklist.refresh_from_db()
    certification = Certification.objects.get(supplier=applicant)
    assert (checklist.version, certification.checklist_version) == (2, 1)
    assert AuditPointResult.objects.get(certification=certification).text_en == "Point 0 in English"


# --- The checklist admin ---------------------------------------------------------------------------


def test_admin_adds_a_checklist_with_its_points_as_version_one(admin_client):
    data = form_data(admin_client.get(f"{CHECKLISTS}add/").content.decode(), "auditchecklist_form")
    data.update({
        "industry_en": "Textiles and apparel", "industry_zh": "纺织服装", "slug": "textiles",
        "points-TOTAL_FORMS": "2",
        "points-0-position": "1", "points-0-code": "dye-safety", "points-0-text_en": "Dyes are REACH compliant",
        "points-0-text_zh": "染料符合REACH", "points-1-position": "2", "points-1-code": "child-labour",
        "points-1-text_en": "No child labour", "points-1-text_zh": "无童工",
    })  # fmt: skip

    response = admin_client.post(f"{CHECKLISTS}add/", data)

    assert response.status_code == 302, response.context and response.context["errors"]
    checklist = AuditChecklist.objects.get(slug="textiles")
    assert checklist.version == 1
    assert [p[0] for p in points_of(checklist)] == ["dye-safety", "child-labour"]


def test_admin_editing_a_point_bumps_the_version_and_saving_unchanged_does_not(admin_client):
    checklist = laser_checklist(points=2)
    url = f"{CHECKLISTS}{checklist.pk}/change/"
    data = form_data(admin_client.get(url).content.decode(), "auditchecklist_form")

    assert admin_client.post(url, data).status_code == 302
    checklist.refresh_from_db()
    assert checklist.version == 1

    data["points-1-text_en"] = "Laser class labels on every machine"
    response = admin_client.post(url, data, follow=True)

    checklist.refresh_from_db()
    assert checklist.version == 2
    assert "Laser class labels on every machine" in [p[1] for p in points_of(checklist)]
    assert "The points changed: the checklist is now version 2." in [str(m) for m in response.context["messages"]]


def test_admin_deleting_a_point_bumps_the_version(admin_client):
    checklist = laser_checklist(points=2)
    url = f"{CHECKLISTS}{checklist.pk}/change/"
    data = form_data(admin_client.get(url).content.decode(), "auditchecklist_form")
    data["points-0-DELETE"] = "on"

    assert admin_client.post(url, data).status_code == 302

    checklist.refresh_from_db()
    assert checklist.version == 2
    assert [p[0] for p in points_of(checklist)] == ["point-1"]


def test_admin_refuses_two_points_with_one_code(admin_client):
    checklist = laser_checklist(points=2)
    url = f"{CHECKLISTS}{checklist.pk}/change/"
    data = form_data(admin_client.get(url).content.decode(), "auditchecklist_form")
    data["points-1-code"] = "point-0"

    response = admin_client.post(url, data)

    assert response.status_code == 200
    checklist.refresh_from_db()
    assert checklist.version == 1


def test_checklist_version_is_not_editable(admin_client):
    checklist = laser_checklist(points=1)
    url = f"{CHECKLISTS}{checklist.pk}/change/"
    data = form_data(admin_client.get(url).content.decode(), "auditchecklist_form")
    assert "version" not in data
    admin_client.post(url, {**data, "version": "9"})
    checklist.refresh_from_db()
    assert checklist.version == 1


# --- The certification admin -----------------------------------------------------------------------


@pytest.fixture
def certifications(applicant, supplier, staff):
    f.origin_ready(applicant)
    supplier_certify(
        supplier=applicant, level=CertificationLevel.CERTIFIED_ORIGIN, actor=staff, reason="Seen", **f.ORIGIN
    )
    return list(Certification.objects.order_by("pk"))


def test_certification_admin_lists_filters_by_level_and_status_and_finds_a_code(admin_client, certifications):
    [certification] = certifications
    base = "/admin/suppliers/certification/"

    html = admin_client.get(base).content.decode()
    assert certification.code in html and f"/verify/{certification.code}/" in html
    assert f"{base}add/" not in html and 'value="delete_selected"' not in html
    assert certification.code in admin_client.get(base, {"level": "certified_origin"}).content.decode()
    assert certification.code not in admin_client.get(base, {"level": "verified"}).content.decode()
    assert certification.code in admin_client.get(base, {"status__exact": "active"}).content.decode()
    assert certification.code not in admin_client.get(base, {"status__exact": "revoked"}).content.decode()
    found = admin_client.get(base, {"q": certification.code}).context["cl"].result_list
    assert list(found) == [certification]


def test_certification_admin_is_read_only(admin_client, certifications):
    [certification] = certifications
    url = f"/admin/suppliers/certification/{certification.pk}/change/"

    view = admin_client.get(url)
    assert view.status_code == 200 and 'name="_save"' not in view.content.decode()
    assert admin_client.post(url, {"level": "audited_factory"}).status_code == 403
    assert admin_client.get("/admin/suppliers/certification/add/").status_code == 403
    assert admin_client.post(f"/admin/suppliers/certification/{certification.pk}/delete/").status_code == 403
    certification.refresh_from_db()
    assert certification.level == "certified_origin"
