"""Belt operators bring their companies on board as a group: bulk invitations from a CSV file.

An association exports its member list from Excel (UTF-8 with or without BOM, or GB18030/GBK;
comma, semicolon or tab) and uploads it. Every row is checked on its own: bad rows are reported
with their row number and reason, good rows are created each in its own savepoint so one bad
row never loses the others, and each new invitation is emailed after commit.
"""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, mailers
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from accounts.models import User
from belts.models import Belt
from marketplace.exceptions import ApplicationError
from marketplace.spreadsheets import FileTooLarge, NotTextCsv, decode_csv_text, read_capped

from ..models import BeltOperator, Invitation, SupplierMember

MAX_FILE_BYTES = 1024 * 1024
MAX_ROWS = 5000
EMAIL_MAX_LENGTH = 254

# What the header row may call each column. Associations often keep Chinese headers.
COLUMN_NAMES = {
    "company": {"company", "company name", "公司", "公司名称", "企业", "企业名称", "单位", "单位名称"},
    "contact": {"contact", "contact name", "contact person", "联系人", "联系人姓名", "姓名"},
    "email": {"email", "e-mail", "email address", "邮箱", "电子邮箱", "电子邮件", "邮件", "邮箱地址"},
}
DELIMITERS = (",", ";", "\t")
# Excel workbooks uploaded by mistake: xlsx (a zip) and the old xls (an OLE file).
WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


@dataclass(frozen=True)
class RowProblem:
    """One row that created nothing: its spreadsheet row number (the header is row 1) and why."""

    line: int
    company: str
    email: str
    codes: tuple[str, ...]
    reason: str


@dataclass
class ImportReport:
    """What an import did: the invitations it created and every row it refused, in file order."""

    rows: int = 0
    created: list[Invitation] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def created_count(self) -> int:
        return len(self.created)

    @property
    def problem_count(self) -> int:
        return len(self.problems)


@dataclass(frozen=True)
class _Row:
    line: int
    company: str
    contact: str
    email: str


def _read_capped(file: IO[bytes]) -> bytes:
    try:
        return read_capped(file, max_bytes=MAX_FILE_BYTES)
    except FileTooLarge:
        raise ApplicationError(_too_big_message()) from None


def _too_big_message() -> str:
    return _("The file is larger than %(mb)s MB. Split it into smaller files of at most %(rows)s rows each.") % {
        "mb": MAX_FILE_BYTES // (1024 * 1024),
        "rows": MAX_ROWS,
    }


def _decode(data: bytes) -> str:
    if data.startswith(WORKBOOK_MAGIC):
        raise ApplicationError(_("This is an Excel workbook, not a CSV file: in Excel choose Save as › CSV."))
    try:
        return decode_csv_text(data)
    except NotTextCsv:
        raise ApplicationError(_("The file is not a text CSV file in UTF-8 or GBK (GB18030) encoding.")) from None


def _header_key(cell: str) -> str:
    return " ".join(cell.replace("\ufeff", "").replace("_", " ").strip().lower().split())


def _parse(text: str) -> list[_Row]:
    """The data rows of the file, with their row numbers; blank rows are skipped but counted."""
    lines = text.splitlines(keepends=True)
    if lines and lines[0].strip().lower().startswith("sep=") and len(lines[0].strip()) == 5:
        # Excel's own hint line, e.g. "sep=;". Excel hides it, so the header stays row 1.
        delimiter = lines[0].strip()[4]
        lines = lines[1:]
    else:
        first = lines[0] if lines else ""
        delimiter = max(DELIMITERS, key=first.count)
    reader = csv.reader(io.StringIO("".join(lines)), delimiter=delimiter)
    try:
        header = next(reader, [])
        keys = [_header_key(cell) for cell in header]
        columns: dict[str, int] = {}  # in COLUMN_NAMES order: company, contact, email
        for column, names in COLUMN_NAMES.items():
            found = [i for i, key in enumerate(keys) if key in names]
            if not found:
                raise ApplicationError(
                    _("The first row must name the columns: company, contact, email (missing: %(column)s).")
                    % {"column": column}
                )
            columns[column] = found[0]
        rows: list[_Row] = []
        for number, record in enumerate(reader, start=2):
            cells = [cell.strip() for cell in record]
            if not any(cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise ApplicationError(
                    _("The file has more than %(rows)s rows. Split it into smaller files.") % {"rows": MAX_ROWS}
                )
            company, contact, email = (cells[i] if i < len(cells) else "" for i in columns.values())
            rows.append(_Row(line=number, company=company, contact=contact, email=email))
    except csv.Error as exc:
        raise ApplicationError(
            _("The file could not be read as CSV near row %(line)s.") % {"line": reader.line_num}
        ) from exc
    return rows


def _row_field_problems(row: _Row) -> list[tuple[str, str]]:
    problems = []
    if not row.company:
        problems.append(("missing_company", _("The company name is missing.")))
    elif len(row.company) > Invitation._meta.get_field("company_name").max_length:  # type: ignore[operator]
        problems.append(("company_too_long", _("The company name is longer than 200 characters.")))
    if not row.contact:
        problems.append(("missing_contact", _("The contact person is missing.")))
    elif len(row.contact) > Invitation._meta.get_field("contact_name").max_length:  # type: ignore[operator]
        problems.append(("contact_too_long", _("The contact person's name is longer than 100 characters.")))
    if not row.email:
        problems.append(("missing_email", _("The email address is missing.")))
    else:
        try:
            if len(row.email) > EMAIL_MAX_LENGTH:
                raise ValidationError("too long")
            validate_email(row.email)
        except ValidationError:
            problems.append(("invalid_email", _("“%(email)s” is not a valid email address.") % {"email": row.email}))
    return problems


def _existing(belt: Belt, emails: Iterable[str]) -> tuple[set[str], dict[str, str]]:
    """Addresses already invited to `belt`, and addresses of accounts that cannot be invited."""
    emails = list(emails)
    invited = set(
        Invitation.objects.filter(belt=belt)
        .annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails)
        .values_list("email_lower", flat=True)
    )
    accounts = (
        User.objects.filter(email__in=emails)  # stored in lower case (accounts.models.UserManager)
        .annotate(is_member=Exists(SupplierMember.objects.filter(user=OuterRef("pk"))))
        .values_list("email", "role", "is_staff", "is_member")
    )
    refused = {}
    for email, role, is_staff, is_member in accounts:
        if is_member:
            refused[email] = "existing_member"
        elif is_staff or role in (User.Role.OPERATOR, User.Role.STAFF):
            refused[email] = "platform_account"
    return invited, refused


def _invitation_email(invitation: Invitation, base_url: str) -> EmailMessage:
    # The company's language is unknown: one email, Chinese first, then English (the template).
    text = render_to_string(
        "emails/invitation.txt", {"invitation": invitation, "link": base_url + invitation.get_absolute_url()}
    )
    subject, _sep, body = text.strip().partition("\n")
    return EmailMessage(subject.strip(), body.strip(), None, [invitation.email])


def invitations_import_csv(*, belt: Belt, actor: User, file: IO[bytes], base_url: str) -> ImportReport:
    """Invite every good row of an operator's CSV (company, contact, email) to `belt`.

    Only an operator of `belt` may import. The file is refused whole when it is too big, not CSV,
    or lacks the header; otherwise each row stands alone: a refused row is reported with its row
    number and reason, and each good row is saved in its own savepoint. An address already
    invited to the belt is reported, not invited twice, so importing the same file again creates
    nothing. Each invitation's link is emailed, in Chinese and English, once the import commits.
    """
    if not BeltOperator.objects.filter(user=actor, belt=belt).exists():
        raise PermissionDenied("Not an operator of this belt")
    rows = _parse(_decode(_read_capped(file)))
    report = ImportReport(rows=len(rows))
    invited, refused = _existing(belt, {row.email.lower() for row in rows if row.email})
    seen: dict[str, int] = {}
    messages: list[EmailMessage] = []

    with transaction.atomic():
        for row in rows:
            problems = _row_field_problems(row)
            email = row.email.lower()
            if not problems:
                if email in seen:
                    problems = [
                        ("duplicate_in_file", _("The same email address is on row %(line)s.") % {"line": seen[email]})
                    ]
                else:
                    seen[email] = row.line
                    if email in invited:
                        problems = [("already_invited", _("Already invited to this belt."))]
                    elif refused.get(email) == "existing_member":
                        problems = [("existing_member", _("This address already acts for a company on the platform."))]
                    elif refused.get(email) == "platform_account":
                        problems = [("platform_account", _("This address belongs to a platform or operator account."))]
            if not problems:
                try:
                    # A savepoint per row: a concurrent import of the same address fails this row only.
                    with transaction.atomic():
                        invitation = Invitation.objects.create(
                            belt=belt, company_name=row.company, contact_name=row.contact, email=email, invited_by=actor
                        )
                except IntegrityError:
                    problems = [("already_invited", _("Already invited to this belt."))]
                else:
                    report.created.append(invitation)
                    messages.append(_invitation_email(invitation, base_url))
                    continue
            report.problems.append(
                RowProblem(
                    line=row.line,
                    company=row.company,
                    email=row.email,
                    codes=tuple(code for code, _message in problems),
                    reason=" ".join(message for _code, message in problems),
                )
            )

        if messages:
            # One connection for the whole batch, and only once the invitations exist. `robust`: a mail
            # server failure is logged and must not turn an import that committed into an error page.
            transaction.on_commit(lambda: mailers.default.send_messages(messages), robust=True)
    return report
