"""The purchase order of a confirmed order as a PDF, in the buyer's language (Order.language).

Drawn with ReportLab. Chinese uses ReportLab's built-in CID font STSong-Light (Adobe's Song face,
which every PDF reader provides), so no font file is shipped; English text uses Helvetica, and any
run of Chinese inside an English document (a supplier's address, a product name) switches to the
CID font for that paragraph.
"""

import io
import re
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.utils import formats, translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from marketplace.i18n import country_name
from suppliers.certificates import certificate_current, certificate_verify_url, qr_matrix
from suppliers.models import Supplier

from .models import NET_DAYS, PAID_BEFORE_SHIPPING, Order, PaymentTerms
from .services.protection import protection_of

CJK_FONT = "STSong-Light"
LATIN_FONT = "Helvetica"
LATIN_BOLD = "Helvetica-Bold"
# Statuses in which the purchase order stands: confirmed by the supplier and not cancelled.
PO_STATUSES = (
    Order.Status.CONFIRMED,
    Order.Status.DEPOSIT_PAID,
    Order.Status.PAID,
    Order.Status.SHIPPED,
    Order.Status.DELIVERED,
    Order.Status.COMPLETED,
)
# Chinese, Japanese and Korean characters and their punctuation and full-width forms: Helvetica has
# no glyphs for them.
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")
_registered = False


def purchase_order_available(order: Order) -> bool:
    """Whether `order` has a purchase order to download (confirmed or later, not cancelled)."""
    return order.status in PO_STATUSES


def _register_fonts() -> None:
    global _registered
    if not _registered:
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
        _registered = True


class _Styles:
    def __init__(self, chinese: bool) -> None:
        self.chinese = chinese
        base = CJK_FONT if chinese else LATIN_FONT
        bold = CJK_FONT if chinese else LATIN_BOLD
        wrap = "CJK" if chinese else None
        self.body = ParagraphStyle("body", fontName=base, fontSize=9, leading=12, wordWrap=wrap)
        self.small = ParagraphStyle("small", parent=self.body, fontSize=8, leading=10, textColor=colors.grey)
        self.label = ParagraphStyle("label", parent=self.body, fontName=bold, fontSize=8, textColor=colors.grey)
        self.title = ParagraphStyle("title", parent=self.body, fontName=bold, fontSize=16, leading=20)
        self.right = ParagraphStyle("right", parent=self.body, alignment=TA_RIGHT)
        self.right_bold = ParagraphStyle("right_bold", parent=self.right, fontName=bold)

    def p(self, text: object, style: ParagraphStyle | None = None) -> Paragraph:
        """A paragraph of plain text (escaped; line breaks kept), in a font that has its glyphs."""
        style = style or self.body
        text = str(text or "")
        if not self.chinese and _CJK.search(text):
            style = ParagraphStyle(f"{style.name}-cjk", parent=style, fontName=CJK_FONT, wordWrap="CJK")
        return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"  # the way both languages write trade amounts: 12,500.00


def _date(value: date | None) -> str:
    return formats.date_format(value, "Y-m-d") if value else "—"


def _qr_drawing(url: str, size: float) -> Drawing:
    """A QR code of `url`, `size` points wide, drawn as vector squares (one per run of dark modules)."""
    matrix = qr_matrix(url)
    module = size / len(matrix)
    drawing = Drawing(size, size)
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            run = x
            while run < len(row) and row[run]:
                run += 1
            top = size - (y + 1) * module
            drawing.add(Rect(x * module, top, (run - x) * module, module, fillColor=colors.black, strokeWidth=0))
            x = run
    return drawing


def _certificate_block(order: Order, s: "_Styles", width: float) -> list:
    """The supplier's certificate in force: its QR code and where to check it, or nothing."""
    certification = certificate_current(order.supplier)
    if certification is None:
        return []
    url = certificate_verify_url(certification)
    text = [
        s.p(_("Supplier's certificate"), s.label),
        s.p(
            _("%(level)s, valid until %(until)s, code %(code)s.")
            % {
                # The badge the facts support today (suppliers.badges), which may be below the
                # level decided: a certificate never claims more than the badge.
                "level": order.supplier.level_label,
                "until": _date(certification.valid_until),
                "code": certification.code_display,
            }
        ),
        s.p(_("Scan the code or open %(url)s to check it.") % {"url": url}, s.small),
    ]
    size = 26 * mm
    block = Table([[_qr_drawing(url, size), text]], colWidths=[size + 4 * mm, width - size - 4 * mm])
    block.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (0, 0), 0)]))
    return [block, Spacer(1, 4 * mm)]


def _supplier_address(supplier: Supplier) -> str:
    """The supplier's registered address (or its city and province when none is on file), in China."""
    lines = [supplier.registered_address.strip()] if supplier.registered_address.strip() else []
    if not lines:
        place = ", ".join(part for part in (supplier.city, supplier.province_name) if part)
        lines = [place] if place else []
    return "\n".join([*lines, country_name("CN")])


def _payment_terms_text(order: Order) -> str:
    """The payment terms with what they come to: the deposit and balance, or when payment is due."""
    text = str(order.payment_terms_label)
    deposit = order.deposit_amount
    if deposit is not None:
        text += "\n" + _("Deposit %(percent)s %%: %(currency)s %(deposit)s; balance %(currency)s %(balance)s") % {
            "percent": order.deposit_percent,
            "currency": order.currency,
            "deposit": _money(deposit),
            "balance": _money(order.total - deposit),
        }
    if order.payment_terms in NET_DAYS:
        due = order.payment_due_at
        text += "\n" + (
            _("Due %(date)s") % {"date": _date(due)}
            if due
            else _("Due %(days)d days after shipping") % {"days": NET_DAYS[order.payment_terms]}
        )
    return text


def _payment_instructions(order: Order, s: "_Styles") -> list:
    """How the buyer pays: into the platform's protection account when the order is protected
    (quoting the order number), else as the payment terms say."""
    protection = protection_of(order)
    story: list = [s.p(_("Payment instructions"), s.label)]
    if order.paid_at is not None:
        story.append(s.p(_("Paid in full on %(date)s.") % {"date": _date(order.paid_at)}))
    elif protection is not None and protection.status != protection.Status.AWAITING_PAYMENT:
        story.append(s.p(_("Paid into the platform's payment protection account.")))
    elif protection is not None:
        account = settings.PAYMENT_PROTECTION_ACCOUNT
        story.append(
            s.p(
                _(
                    "Pay by bank transfer into the platform's payment protection account, quoting the reference. "
                    "The platform holds the payment until the buyer confirms the delivery."
                )
            )
        )
        rows = [
            (_("Bank"), account["bank_name"]),
            (_("Account name"), account["account_name"]),
            (_("Account number"), account["account_number"]),
            (_("SWIFT / BIC"), account["swift"]),
            (_("Reference"), order.number),
        ]
        table = Table([[s.p(label, s.label), s.p(value)] for label, value in rows], colWidths=[32 * mm, None])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 1)]))
        story.append(table)
    elif order.payment_terms in PAID_BEFORE_SHIPPING:
        text = (
            _("Pay the supplier by bank transfer, quoting %(number)s: the deposit once the order is confirmed, "
              "the balance before the goods ship.")
            if order.deposit_amount is not None
            else _("Pay the supplier by bank transfer, quoting %(number)s, in full before the goods ship.")
        )  # fmt: skip
        story.append(s.p(text % {"number": order.number}))
    elif order.payment_terms in NET_DAYS:
        story.append(
            s.p(
                _("Pay the supplier by bank transfer, quoting %(number)s, within %(days)d days after shipping.")
                % {"number": order.number, "days": NET_DAYS[order.payment_terms]}
            )
        )
    elif order.payment_terms == PaymentTerms.LC:
        story.append(
            s.p(
                _(
                    "By irrevocable letter of credit in the supplier's favour for %(currency)s %(total)s, payable "
                    "against the shipping documents (bill of lading, commercial invoice, packing list)."
                )
                % {"currency": order.currency, "total": _money(order.total)}
            )
        )
    return [*story, Spacer(1, 4 * mm)]


def purchase_order_pdf(order: Order) -> bytes:
    """The purchase order of `order` (lines and the supplier's current certification loaded) as PDF
    bytes, in the order's language, with the QR code of the supplier's certificate in force."""
    _register_fonts()
    language = order.language if order.language in ("en", "zh-hans") else "en"
    with translation.override(language):
        return _draw(order, _Styles(chinese=language == "zh-hans"))


def _draw(order: Order, s: _Styles) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=_("Purchase order %(number)s") % {"number": order.number},
        author=str(order.buyer.name),
        subject=_("Purchase order"),
    )
    width = doc.width
    story: list = [s.p(_("Purchase order"), s.title), s.p(order.number, s.body), Spacer(1, 5 * mm)]

    facts = [
        (_("PO number"), order.number),
        (_("Order date"), _date(order.created_at)),
        (_("Confirmed on"), _date(order.confirmed_at)),
        (_("Currency"), order.currency),
        (_("Incoterm"), f"{order.incoterm_label} {order.incoterm_place}".strip()),
        (_("Payment terms"), _payment_terms_text(order)),
    ]
    if order.lead_time_days:
        facts.append((_("Lead time"), _("%(days)d days") % {"days": order.lead_time_days}))
    fact_table = Table(
        [[s.p(label, s.label), s.p(value)] for label, value in facts], colWidths=[32 * mm, width - 32 * mm]
    )
    fact_table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [fact_table, Spacer(1, 5 * mm)]

    # Who sells, who pays and where the goods go, side by side as on a paper order.
    supplier = f"{order.supplier.name}\n{_supplier_address(order.supplier)}\n{order.supplier.level_label}"
    bill_to = order.bill_to
    ship_to = f"{order.ship_to}\n{order.ship_to_country_name}"
    third = width / 3
    parties = Table(
        [
            [s.p(_("Supplier"), s.label), s.p(_("Bill to"), s.label), s.p(_("Ship to"), s.label)],
            [s.p(supplier), s.p(bill_to), s.p(ship_to)],
        ],
        colWidths=[third, third, third],
    )
    parties.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEABOVE", (0, 0), (-1, 0), 0.8, colors.black),
            ]
        )
    )
    story += [parties, Spacer(1, 6 * mm)]

    rows = [
        [
            s.p("#", s.label),
            s.p(_("Item"), s.label),
            s.p(_("SKU"), s.label),
            s.p(_("Quantity"), s.label),
            s.p(_("Unit"), s.label),
            s.p(_("Unit price"), s.label),
            s.p(_("Line total"), s.label),
        ]
    ]
    for n, line in enumerate(order.lines.all(), start=1):
        item = line.title + (f"\n{line.variant_label}" if line.variant_label else "")
        if line.from_stock:
            item += "\n" + _("from spot stock")
        if line.listing is not None and line.listing.certified_origin:
            item += "\n" + _("Certified origin")
        shipped = ", ".join(f"{x.lot.code} ({x.quantity:,})" for x in line.lots.all())
        if shipped:
            item += "\n" + _("Lots: %(lots)s") % {"lots": shipped}
        rows.append(
            [
                s.p(n),
                s.p(item),
                s.p(line.sku, s.small),
                s.p(f"{line.quantity:,}", s.right),
                s.p(str(line.unit_label)),
                s.p(_money(line.unit_price), s.right),
                s.p(_money(line.line_total), s.right),
            ]
        )
    totals = [(_("Subtotal"), order.subtotal, False)]
    if order.sample_credit:
        totals.append((_("Sample fee credited"), -order.sample_credit, False))
    if order.freight is not None:
        totals.append((_("Freight"), order.freight, False))
    if order.insurance is not None:
        totals.append((_("Insurance"), order.insurance, False))
    totals.append((_("Total (%(currency)s)") % {"currency": order.currency}, order.total, True))
    first_total_row = len(rows)
    for label, value, bold in totals:
        style = s.right_bold if bold else s.right
        rows.append(["", s.p(label, style), "", "", "", "", s.p(_money(value), style)])
    widths = [8 * mm, None, 24 * mm, 20 * mm, 16 * mm, 24 * mm, 28 * mm]
    widths[1] = width - sum(w for w in widths if w)
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEBELOW", (0, 1), (-1, first_total_row - 1), 0.25, colors.lightgrey),
                ("LINEABOVE", (0, first_total_row), (-1, first_total_row), 0.8, colors.black),
                *[("SPAN", (1, r), (5, r)) for r in range(first_total_row, len(rows))],
            ]
        )
    )
    story += [table, Spacer(1, 8 * mm)]
    if order.note:
        story += [s.p(_("Note"), s.label), s.p(order.note), Spacer(1, 4 * mm)]
    story += _payment_instructions(order, s)
    story += _certificate_block(order, s, width)
    story.append(
        s.p(
            _(
                "Placed on Belt Marketplace and confirmed by the supplier. Prices are in %(currency)s "
                "under %(incoterm)s (Incoterms 2020)."
            )
            % {"currency": order.currency, "incoterm": order.incoterm},
            s.small,
        )
    )
    doc.build(story)
    return out.getvalue()
