"""Bulk invitations from an association's CSV: every row checked on its own, good rows kept,
bad rows reported by row number, the same file twice invites nobody twice, emails after commit."""

import codecs
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail import mailers
from django.db import transaction

from accounts.models import User
from marketplace.exceptions import ApplicationError
from suppliers.models import Invitation
from suppliers.services import invitations_import_csv
from suppliers.services import onboarding as onboarding_module
from tests import factories as f

BASE_URL = "https://belts.example"

MIXED = """company,contact,email
Wuhan Raycus Fiber Laser,Zhang Wei,zhang@raycus.test
,Li Na,li@nocompany.test
Hubei Optics,Wang Fang,not-an-email
Wuhan HGTECH,Chen Jie,ZHANG@Raycus.test
Jiangsu Already Ltd.,Zhao Lei,already@invited.test

"Wuhan Golden Laser, Inc.",Liu Yang,Liu@Golden.test
"""


def csv_upload(text: str, encoding: str = "utf-8", name: str = "members.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def run_import(belt, operator, upload, base_url=BASE_URL):
    return invitations_import_csv(belt=belt, actor=operator, file=upload, base_url=base_url)


@pytest.fixture
def already_invited(belt, operator):
    return Invitation.objects.create(
        belt=belt, company_name="Jiangsu Already Ltd.", contact_name="Zhao Lei", email="already@invited.test",
        invited_by=operator,
    )  # fmt: skip


def test_good_rows_are_created_and_bad_rows_reported_row_by_row(belt, operator, already_invited):
    report = run_import(belt, operator, csv_upload(MIXED))

    assert [(p.line, p.codes) for p in report.problems] == [
        (3, ("missing_company",)),
        (4, ("invalid_email",)),
        (5, ("duplicate_in_file",)),
        (6, ("already_invited",)),
    ]
    assert [p.reason for p in report.problems] == [
        "The company name is missing.",
        "“not-an-email” is not a valid email address.",
        "The same email address is on row 2.",
        "Already invited to this belt.",
    ]
    assert (report.problems[1].company, report.problems[1].email) == ("Hubei Optics", "not-an-email")
    assert report.rows == 6  # the blank row 7 is neither an invitation nor a problem
    assert report.created_count == 2
    created = Invitation.objects.filter(belt=belt).exclude(pk=already_invited.pk).order_by("id")
    assert [(i.company_name, i.contact_name, i.email, i.invited_by) for i in created] == [
        ("Wuhan Raycus Fiber Laser", "Zhang Wei", "zhang@raycus.test", operator),
        ("Wuhan Golden Laser, Inc.", "Liu Yang", "liu@golden.test", operator),
    ]
    assert [i.pk for i in report.created] == [i.pk for i in created]


def test_a_row_can_have_several_problems_and_short_rows_are_reported(belt, operator):
    report = run_import(belt, operator, csv_upload("company,contact,email\n,,bad@\nOnly Company Ltd.\n"))
    assert [(p.line, p.codes) for p in report.problems] == [
        (2, ("missing_company", "missing_contact", "invalid_email")),
        (3, ("missing_contact", "missing_email")),
    ]
    assert report.created_count == 0


def test_too_long_names_are_refused_with_the_row(belt, operator):
    report = run_import(belt, operator, csv_upload(f"company,contact,email\n{'X' * 201},Li,li@x.test\n"))
    assert [(p.line, p.codes) for p in report.problems] == [(2, ("company_too_long",))]


def test_addresses_of_people_already_on_the_platform_are_refused(belt, operator, supplier_member, staff):
    f.UserFactory(email="op@assoc.test", role=User.Role.OPERATOR)
    text = (
        "company,contact,email\n"
        f"Rival Works,Wu Hao,{supplier_member.email.upper()}\n"
        "Assoc,Assoc Person,op@assoc.test\n"
        f"Admins,Admin,{staff.email}\n"
        "New Factory,Sun Li,sun@new.test\n"
    )
    report = run_import(belt, operator, csv_upload(text))
    assert [(p.line, p.codes) for p in report.problems] == [
        (2, ("existing_member",)),
        (3, ("platform_account",)),
        (4, ("platform_account",)),
    ]
    assert [i.email for i in report.created] == ["sun@new.test"]


def test_a_buyer_may_be_invited_to_bring_its_company_on_board(belt, operator, buyer):
    report = run_import(belt, operator, csv_upload(f"company,contact,email\nBuyer's factory,Ma,{buyer.email}\n"))
    assert report.created_count == 1


def test_gbk_encoded_excel_export_with_chinese_headers_works(belt, operator):
    text = (
        "公司名称,联系人,邮箱\r\n"
        "武汉锐科光纤激光技术股份有限公司,张伟,zhangwei@raycus.test\r\n"
        "湖北华工激光,李娜,lina@hgtech.test\r\n"
    )
    report = run_import(belt, operator, csv_upload(text, encoding="gbk"))
    assert report.problems == []
    assert sorted((i.company_name, i.contact_name) for i in report.created) == [
        ("武汉锐科光纤激光技术股份有限公司", "张伟"),
        ("湖北华工激光", "李娜"),
    ]


def test_gb18030_characters_beyond_gbk_survive(belt, operator):
    text = "company,contact,email\n𠀋记激光厂,王㐀,wang@x.test\n"
    report = run_import(belt, operator, csv_upload(text, encoding="gb18030"))
    assert [i.company_name for i in report.created] == ["𠀋记激光厂"]


def test_utf8_with_bom_and_semicolons_works(belt, operator):
    data = codecs.BOM_UTF8 + "Company;Contact;Email\n宁波光学;陈杰;chen@nb.test\n".encode()
    report = run_import(belt, operator, SimpleUploadedFile("x.csv", data, content_type="text/csv"))
    assert report.problems == []
    assert [(i.company_name, i.email) for i in report.created] == [("宁波光学", "chen@nb.test")]


def test_excel_unicode_text_and_sep_hint_line_work(belt, operator):
    tabbed = "company\tcontact\temail\nTab Works\tHe Lin\the@tab.test\n".encode("utf-16")
    assert run_import(belt, operator, SimpleUploadedFile("x.txt", tabbed)).created_count == 1
    hinted = "sep=;\ncompany;contact;email\nHint Works;Qi;qi@hint.test\n;No;x@y.test\n"
    report = run_import(belt, operator, csv_upload(hinted))
    assert report.created_count == 1
    assert [(p.line, p.codes) for p in report.problems] == [(3, ("missing_company",))]  # Excel hides "sep="


def test_extra_columns_and_column_order_do_not_matter(belt, operator):
    text = "email,phone,contact,company\nzz@order.test,+86 27 1,Zhou,Order Works\n"
    [invitation] = run_import(belt, operator, csv_upload(text)).created
    assert (invitation.company_name, invitation.contact_name, invitation.email) == (
        "Order Works",
        "Zhou",
        "zz@order.test",
    )


def test_a_file_without_the_header_is_refused_whole(belt, operator):
    with pytest.raises(ApplicationError, match="company, contact, email"):
        run_import(belt, operator, csv_upload("Wuhan Raycus,Zhang Wei,zhang@raycus.test\n"))
    assert not Invitation.objects.exists()


def test_an_oversized_file_is_refused_with_a_clear_message(belt, operator):
    big = "company,contact,email\n" + "".join(f"Company {i},Contact {i},c{i}@big.test\n" for i in range(40_000))
    assert len(big.encode()) > onboarding_module.MAX_FILE_BYTES
    with pytest.raises(ApplicationError) as exc_info:
        run_import(belt, operator, csv_upload(big))
    assert "larger than 1 MB" in exc_info.value.message
    assert not Invitation.objects.exists()


def test_a_stream_without_size_is_still_capped(belt, operator):
    class Stream:
        def __init__(self) -> None:
            self.data = b"company,contact,email\n" + b"x" * (2 * onboarding_module.MAX_FILE_BYTES)
            self.read_sizes: list[int] = []

        def read(self, n: int = -1) -> bytes:
            self.read_sizes.append(n)
            return self.data[:n]

    stream = Stream()
    with pytest.raises(ApplicationError, match="larger than 1 MB"):
        run_import(belt, operator, stream)
    assert stream.read_sizes == [onboarding_module.MAX_FILE_BYTES + 1]


def test_more_than_the_row_cap_is_refused_whole(belt, operator):
    rows = "".join(f"C{i},P{i},p{i}@r.test\n" for i in range(onboarding_module.MAX_ROWS + 1))
    with pytest.raises(ApplicationError, match="more than 5000 rows"):
        run_import(belt, operator, csv_upload("company,contact,email\n" + rows))
    assert not Invitation.objects.exists()


def test_an_excel_workbook_is_refused_with_advice(belt, operator):
    upload = SimpleUploadedFile("members.xlsx", b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(ApplicationError, match="Excel workbook"):
        run_import(belt, operator, upload)


def test_binary_garbage_is_refused(belt, operator):
    with pytest.raises(ApplicationError, match="UTF-8 or GBK"):
        run_import(belt, operator, SimpleUploadedFile("x.csv", b"company,contact,email\n\x00\x01\x02"))


def test_importing_the_same_file_again_creates_nothing(belt, operator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = run_import(belt, operator, csv_upload(MIXED))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = run_import(belt, operator, csv_upload(MIXED))

    assert first.created_count == 3
    assert second.created_count == 0
    assert [(p.line, p.codes) for p in second.problems if p.codes == ("already_invited",)] == [
        (2, ("already_invited",)),
        (6, ("already_invited",)),
        (8, ("already_invited",)),
    ]
    assert Invitation.objects.count() == 3
    assert callbacks == []
    assert len(mail.outbox) == 3


def test_the_same_address_may_be_invited_to_another_belt(belt, operator):
    other = f.BeltFactory(slug="shishi-textiles")
    f.BeltOperatorFactory(belt=other, user=operator)
    run_import(belt, operator, csv_upload("company,contact,email\nBoth Works,Li,li@both.test\n"))
    report = run_import(other, operator, csv_upload("company,contact,email\nBoth Works,Li,li@both.test\n"))
    assert report.created_count == 1
    assert Invitation.objects.filter(email="li@both.test").count() == 2


def test_a_row_that_loses_a_race_fails_alone(belt, operator, monkeypatch):
    """Another import inserted the same address after our check: its savepoint rolls back, not the import."""
    Invitation.objects.create(
        belt=belt, company_name="Raced", contact_name="R", email="raced@x.test", invited_by=operator
    )
    monkeypatch.setattr(onboarding_module, "_existing", lambda belt, emails: (set(), {}))
    text = "company,contact,email\nFirst,A,first@x.test\nRaced,R,raced@x.test\nLast,C,last@x.test\n"
    report = run_import(belt, operator, csv_upload(text))
    assert [(p.line, p.codes) for p in report.problems] == [(3, ("already_invited",))]
    assert sorted(Invitation.objects.values_list("email", flat=True)) == ["first@x.test", "last@x.test", "raced@x.test"]


def test_invitations_are_emailed_after_commit_only_in_both_languages(
    belt, operator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = run_import(belt, operator, csv_upload(MIXED))
    assert mail.outbox == []  # nothing leaves before the invitations are committed
    assert len(callbacks) == 3  # one outbox mail per invitation, each sent after commit
    for callback in callbacks:
        callback()

    assert [m.to for m in mail.outbox] == [["zhang@raycus.test"], ["already@invited.test"], ["liu@golden.test"]]
    message = mail.outbox[0]
    invitation = report.created[0]
    link = f"{BASE_URL}/apply/invite/{invitation.token}/"
    assert link in message.body
    assert re.search(r"https://belts\.example/apply/invite/[\w-]+/", message.body)
    assert "Wuhan laser belt" in message.subject
    assert "武汉激光产业带" in message.subject  # the Chinese half names the belt in Chinese
    assert "武汉激光产业带" in message.body
    assert "Wuhan laser belt" in message.body
    assert "Dear Zhang Wei," in message.body
    assert message.body.count(link) == 2  # once in each language
    assert "Wuhan Golden Laser, Inc." in mail.outbox[2].body


def test_email_text_is_not_html_escaped(belt, operator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run_import(belt, operator, csv_upload('company,contact,email\n"Smith & Sons <Laser>",O\'Neil,s@s.test\n'))
    assert "Smith & Sons <Laser>" in mail.outbox[0].body
    assert "O'Neil" in mail.outbox[0].body


def test_no_email_when_the_import_is_rolled_back(belt, operator, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        run_import(belt, operator, csv_upload(MIXED))
        raise RuntimeError("the request failed later")
    assert callbacks == []
    assert mail.outbox == []
    assert not Invitation.objects.exists()


def test_only_an_operator_of_the_belt_may_import(belt, operator, supplier_member):
    other_belt = f.BeltFactory(slug="huzhou-kids")
    stranger = f.BeltOperatorFactory(belt=other_belt).user
    for user in (stranger, supplier_member):
        with pytest.raises(PermissionDenied):
            run_import(belt, user, csv_upload(MIXED))
    assert not Invitation.objects.exists()


def test_a_mail_server_failure_does_not_undo_the_import(
    belt, operator, monkeypatch, django_capture_on_commit_callbacks
):
    class Down:
        def send_messages(self, messages):
            raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(mailers.__class__, "default", property(lambda self: Down()))
    with django_capture_on_commit_callbacks(execute=True):
        report = run_import(belt, operator, csv_upload(MIXED))
    assert report.created_count == 3
    assert Invitation.objects.count() == 3
