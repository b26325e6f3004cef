"""The world of the access matrix (tests/test_access_matrix.py): one of every object a route can name,
owned by one side of each pair, so every route can be asked for by its owner and by everyone else.

- `buyer` buys for company A (with a colleague), `other_buyer` for company B (which has an RFQ too);
- `supplier` is a member of supplier A, certified at the audited-factory level the way real ones are
  (application, documents, checks, decision with an audit report); `other_supplier` of supplier B,
  certified too, in another belt;
- `operator` operates supplier A's belt only; `staff` is platform staff (a superuser); `clerk` is
  staff without a single model permission (the admin's own rules, tested apart from the matrix);
- between buyer A and supplier A: a placed order, a cart line, a routed RFQ with a quote, an inquiry
  with an attachment, a saved supplier; supplier A has a draft listing, a picture and an import job.
"""

from dataclasses import dataclass

from accounts.models import User
from belts.models import Belt
from buyers.models import BuyerCompany, BuyerInvitation, BuyerMember, InquiryMessage
from buyers.services.inquiries import inquiry_start, supplier_save
from buyers.services.team import buyer_member_invite
from catalog.models import Listing, ListingImage, ListingImport
from catalog.services import listing_image_add
from orders.models import CartLine, Order, Purchase, Quote, Rfq
from suppliers.models import Certification, CertificationLevel, Invitation, ProductionSite, Supplier, SupplierDocument
from tests import factories as f
from tests.orders import factories as of
from tests.suppliers import factories as sf

ROLES = ("anonymous", "buyer", "other_buyer", "supplier", "other_supplier", "operator", "staff")


@dataclass
class World:
    users: dict[str, User]  # role (and "clerk") -> user; no entry for anonymous
    belt: Belt
    other_belt: Belt
    company: BuyerCompany
    colleague: BuyerMember
    invitation: BuyerInvitation
    supplier: Supplier
    other_supplier: Supplier
    certification: Certification
    document: SupplierDocument
    site: ProductionSite
    supplier_invitation: Invitation
    listing: Listing
    draft: Listing
    image: ListingImage
    import_job: ListingImport
    order: Order
    purchase: Purchase
    cart_line: CartLine
    rfq: Rfq
    other_rfq: Rfq
    quote: Quote
    inquiry_pk: int
    attachment: InquiryMessage


def build_world() -> World:
    belt = f.BeltFactory(slug="matrix-belt", province="CN-HB")
    category = f.CategoryFactory()
    staff = User.objects.create_superuser(email="staff@matrix.test", password="correct-horse-battery")
    clerk = f.UserFactory(role=User.Role.STAFF, is_staff=True)
    operator = f.BeltOperatorFactory(belt=belt).user

    supplier, member = sf.application(belt)
    supplier = sf.certify(supplier, staff, CertificationLevel.AUDITED_FACTORY)
    other_belt = f.BeltFactory(slug="matrix-other-belt", province="CN-FJ")
    other_supplier = f.SupplierFactory(belt=other_belt)
    other_member = f.SupplierMemberFactory(supplier=other_supplier).user

    buyer_member = f.BuyerMemberFactory()
    buyer, company = buyer_member.user, buyer_member.company
    colleague = f.BuyerMemberFactory(company=company)
    other_buyer = f.BuyerMemberFactory().user

    listing = of.listing_with(supplier, category)
    draft = f.ListingFactory(supplier=supplier, category=category, status=Listing.Status.DRAFT, published_at=None)
    of.listing_with(other_supplier, category)
    image = listing_image_add(listing=draft, actor=member, upload=f.image_upload())
    import_job = ListingImport.objects.create(
        supplier=supplier, created_by=member, original_name="listings.csv", format=ListingImport.Format.CSV
    )

    order = of.OrderFactory(purchase__placed_by=buyer, supplier=supplier)
    cart_line = of.CartLineFactory(user=buyer, listing=listing)
    rfq = of.make_rfq(buyer, category=category, routed_to=[supplier])
    quote = of.quote_for(rfq, member)
    other_rfq = of.make_rfq(other_buyer, category=category, routed_to=[other_supplier])
    inquiry = inquiry_start(
        buyer=company, actor=buyer, supplier=supplier, listing=listing, subject="Fibre laser, 20 units",
        body="Price for 20 units?", attachment=f.image_upload(name="drawing.png", fmt="PNG"),
    )  # fmt: skip
    supplier_save(buyer=company, actor=buyer, supplier=supplier)
    invitation = buyer_member_invite(company=company, actor=buyer, email="newcomer@matrix.test")

    certification = supplier.current_certification
    assert certification is not None and certification.audit_report
    return World(
        users={
            "buyer": buyer,
            "other_buyer": other_buyer,
            "supplier": member,
            "other_supplier": other_member,
            "operator": operator,
            "staff": staff,
            "clerk": clerk,
        },
        belt=belt,
        other_belt=other_belt,
        company=company,
        colleague=colleague,
        invitation=invitation,
        supplier=supplier,
        other_supplier=other_supplier,
        certification=certification,
        document=supplier.documents.order_by("pk").first(),
        site=supplier.sites.order_by("pk").first(),
        supplier_invitation=sf.InvitationFactory(belt=belt, invited_by=operator),
        listing=listing,
        draft=draft,
        image=image,
        import_job=import_job,
        order=order,
        purchase=order.purchase,
        cart_line=cart_line,
        rfq=rfq,
        other_rfq=other_rfq,
        quote=quote,
        inquiry_pk=inquiry.pk,
        attachment=inquiry.messages.exclude(attachment="").get(),
    )
