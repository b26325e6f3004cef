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
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from accounts.models import User
from belts.models import Belt
from marketplace.exceptions import ApplicationError
from marketplace.mail.services import mail_enqueue
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


# Why a row created nothing, by code; the params a message needs are stored with the codes, and
# the message is made when it is read, in the reader's language.
ROW_MESSAGES: dict[str, Promise] = {
    "missing_company": gettext_lazy("The company name is missing."),
    "company_too_long": gettext_lazy("The company name is longer than 200 characters."),
    "missing_contact": gettext_lazy("The contact person is missing."),
    "contact_too_long": gettext_lazy("The contact person's name is longer than 100 characters."),
    "missing_email": gettext_lazy("The email address is missing."),
    "invalid_email": gettext_lazy("“%(email)s” is not a valid email address."),
    "duplicate_in_file": gettext_lazy("The same email address is on row %(line)s."),
    "already_invited": gettext_lazy("Already invited to this belt."),
    "existing_member": gettext_lazy("This address already acts for a company on the platform."),
    "platform_account": gettext_lazy("This address belongs to a platform or operator account."),
}

# Why a whole file was refused, by key, likewise.
FILE_MESSAGES: dict[str, Promise] = {
    "too_large": gettext_lazy(
        "The file is larger than %(mb)s MB. Split it into smaller files of at most %(rows)s rows each."
    ),
    "workbook": gettext_lazy("This is an Excel workbook, not a CSV file: in Excel choose Save as › CSV."),
    "not_text": gettext_lazy("The file is not a text CSV file in UTF-8 or GBK (GB18030) encoding."),
    "missing_column": gettext_lazy(
        "The first row must name the columns: company, contact, email (missing: %(column)s)."
    ),
    "too_many_rows": gettext_lazy("The file has more than %(rows)s rows. Split it into smaller files."),
    "unreadable": gettext_lazy("The file could not be read as CSV near row %(line)s."),
    "not_operator": gettext_lazy("You no longer operate this belt: nobody was invited."),
    "unexpected": gettext_lazy("The import stopped unexpectedly: nobody was invited. Upload the file again."),
}


def row_problem_message(codes: Iterable[str], params: dict[str, object] | None = None) -> str:
    """The reasons of a refused row, in the active language (an unknown code is skipped)."""
    return " ".join(str(ROW_MESSAGES[code]) % (params or {}) for code in codes if code in ROW_MESSAGES)


def file_refusal_message(key: str, params: dict[str, object] | None = None) -> str:
    """Why a whole file was refused, in the active language (an unknown key reads as unexpected)."""
    message = FILE_MESSAGES.get(key, FILE_MESSAGES["unexpected"])
    return str(message) % params if params else str(message)


class InvitationFileRefused(ApplicationError):
    """The whole file was refused; `key` and `params` let the message be made again in any language."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(file_refusal_message(key, params))
        self.key = key
        self.params = params


@dataclass(frozen=True)
class RowProblem:
    """One row that created nothing: its spreadsheet row number (the header is row 1) and why."""

    line: int
    company: str
    email: str
    codes: tuple[str, ...]
    params: dict[str, object] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        """The reasons, in the active language."""
        return row_problem_message(self.codes, self.params)


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
        raise InvitationFileRefused("too_large", mb=MAX_FILE_BYTES // (1024 * 1024), rows=MAX_ROWS) from None


def _decode(data: bytes) -> str:
    if data.startswith(WORKBOOK_MAGIC):
        raise InvitationFileRefused("workbook")
    try:
        return decode_csv_text(data)
    except NotTextCsv:
        raise InvitationFileRefused("not_text") from None


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
                raise InvitationFileRefused("missing_column", column=column)
            columns[column] = found[0]
        rows: list[_Row] = []
        for number, record in enumerate(reader, start=2):
            cells = [cell.strip() for cell in record]
            if not any(cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise InvitationFileRefused("too_many_rows", rows=MAX_ROWS)
            company, contact, email = (cells[i] if i < len(cells) else "" for i in columns.values())
            rows.append(_Row(line=number, company=company, contact=contact, email=email))
    except csv.Error as exc:
        raise InvitationFileRefused("unreadable", line=reader.line_num) from exc
    return rows


def _row_field_problems(row: _Row) -> tuple[list[str], dict[str, object]]:
    """The codes of what is wrong with the row's own fields, and the params their messages need."""
    codes = []
    params: dict[str, object] = {}
    if not row.company:
        codes.append("missing_company")
    elif len(row.company) > Invitation._meta.get_field("company_name").max_length:  # type: ignore[operator]
        codes.append("company_too_long")
    if not row.contact:
        codes.append("missing_contact")
    elif len(row.contact) > Invitation._meta.get_field("contact_name").max_length:  # type: ignore[operator]
        codes.append("contact_too_long")
    if not row.email:
        codes.append("missing_email")
    else:
        try:
            if len(row.email) > EMAIL_MAX_LENGTH:
                raise ValidationError("too long")
            validate_email(row.email)
        except ValidationError:
            codes.append("invalid_email")
            params["email"] = row.email
    return codes, params


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


def _invitation_email(invitation: Invitation, base_url: str) -> None:
    """Enqueue the invitation's email (outbox, in the import's transaction: sent after commit).
    The company's language is unknown: one email, Chinese first, then English (the template)."""
    mail_enqueue(
        to=invitation.email,
        template="emails/invitation.txt",
        context={"invitation": invitation, "link": base_url + invitation.get_absolute_url()},
        kind="supplier_invitation",
        dedupe_key=f"supplier-invitation:{invitation.pk}",
    )


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

    with transaction.atomic():
        for row in rows:
            codes, params = _row_field_problems(row)
            email = row.email.lower()
            if not codes:
                if email in seen:
                    codes, params = ["duplicate_in_file"], {"line": seen[email]}
                else:
                    seen[email] = row.line
                    if email in invited:
                        codes = ["already_invited"]
                    elif email in refused:
                        codes = [refused[email]]  # existing_member or platform_account
            if not codes:
                try:
                    # A savepoint per row: a concurrent import of the same address fails this row only.
                    with transaction.atomic():
                        invitation = Invitation.objects.create(
                            belt=belt, company_name=row.company, contact_name=row.contact, email=email, invited_by=actor
                        )
                except IntegrityError:
                    codes = ["already_invited"]
                else:
                    report.created.append(invitation)
                    _invitation_email(invitation, base_url)
                    continue
            report.problems.append(
                RowProblem(line=row.line, company=row.company, email=row.email, codes=tuple(codes), params=params)
            )
    return report
