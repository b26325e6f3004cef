"""factory_boy factories for every model the tests build."""

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import factory
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.models import User
from belts.models import Belt, Category
from buyers.models import BuyerCompany, BuyerInvitation, BuyerMember, CompanyAddress, InquiryMessage
from buyers.services.addresses import address_save
from buyers.services.inquiries import inquiry_start, supplier_save
from buyers.services.team import buyer_member_invite
from catalog.models import Listing, ListingImage, ListingImport, PriceTier, SearchSynonym
from catalog.services import listing_image_add
from marketplace.health.services import worker_heartbeat_record
from orders.models import CartLine, Order, Purchase, Quote, Rfq
from suppliers.models import (
    BeltOperator,
    Certification,
    CertificationLevel,
    Invitation,
    InvitationImport,
    ProductionSite,
    Supplier,
    SupplierDocument,
    SupplierMember,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    full_name = factory.Faker("name")
    role = User.Role.BUYER
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class BeltFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Belt
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"belt-{n}")
    name_en = factory.Sequence(lambda n: f"Test Belt {n}")
    name_zh = factory.Sequence(lambda n: f"测试产业带{n}")
    brand_en = "Hubei laser"
    brand_zh = "湖北激光"
    province = "CN-HB"
    city_en = "Wuhan"
    city_zh = "武汉"
    industry_en = "Laser equipment"
    industry_zh = "激光设备"
    story_en = "A cluster of laser makers."
    story_zh = "激光企业集群。"


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    slug = factory.Sequence(lambda n: f"category-{n}")
    name_en = factory.Sequence(lambda n: f"Category {n}")
    name_zh = factory.Sequence(lambda n: f"类目{n}")


class SupplierFactory(factory.django.DjangoModelFactory):
    """A certified manufacturer unless told otherwise."""

    class Meta:
        model = Supplier

    slug = factory.Sequence(lambda n: f"supplier-{n}")
    name_en = factory.Sequence(lambda n: f"Supplier {n} Co., Ltd.")
    name_zh = factory.Sequence(lambda n: f"供应商{n}有限公司")
    belt = factory.SubFactory(BeltFactory)
    province = "CN-HB"
    city_en = "Wuhan"
    city_zh = "武汉"
    status = Supplier.Status.CERTIFIED
    certification_level = CertificationLevel.VERIFIED
    certified_at = factory.LazyFunction(timezone.now)
    certified_until = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=365))


class ApplicantSupplierFactory(SupplierFactory):
    status = Supplier.Status.UNDER_VERIFICATION
    certification_level = CertificationLevel.NONE
    certified_at = None
    certified_until = None


class SupplierMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupplierMember

    supplier = factory.SubFactory(SupplierFactory)
    user = factory.SubFactory(UserFactory, role=User.Role.SUPPLIER)


class BeltOperatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BeltOperator

    belt = factory.SubFactory(BeltFactory)
    user = factory.SubFactory(UserFactory, role=User.Role.OPERATOR)
    organisation = "Hubei Laser Industry Association"


class BuyerCompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BuyerCompany

    name = factory.Sequence(lambda n: f"Buyer {n} B.V.")
    country = "NL"


class BuyerMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BuyerMember

    company = factory.SubFactory(BuyerCompanyFactory)
    user = factory.SubFactory(UserFactory, role=User.Role.BUYER)


class ListingFactory(factory.django.DjangoModelFactory):
    """A published listing with two price tiers."""

    class Meta:
        model = Listing
        skip_postgeneration_save = True

    supplier = factory.SubFactory(SupplierFactory)
    category = factory.SubFactory(CategoryFactory)
    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    title_en = factory.Sequence(lambda n: f"Fiber laser cutting machine model {n}")
    title_zh = factory.Sequence(lambda n: f"光纤激光切割机 {n}型")
    description_en = "3 kW source, 3015 bed."
    description_zh = "3千瓦光源，3015床身。"
    status = Listing.Status.PUBLISHED
    moq = 10
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def tiers(obj, create, extracted, **kwargs):
        if not create:
            return
        for quantity, price in extracted or [(10, Decimal("100.00")), (100, Decimal("90.00"))]:
            PriceTier.objects.create(listing=obj, min_quantity=quantity, unit_price=price)


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (64, 48), color: str = "navy", **save_kwargs) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format=fmt, **save_kwargs)
    return out.getvalue()


def image_upload(name: str = "photo.jpg", fmt: str = "JPEG", **kwargs) -> SimpleUploadedFile:
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}[fmt]
    return SimpleUploadedFile(name, image_bytes(fmt, **kwargs), content_type=content_type)


def valid_uscc(n: int) -> str:
    """A well-formed USCC with a correct GB 32100-2015 check character, different for each n."""
    from stdnum.cn import uscc

    body = f"914201007{n:08d}"  # 17 characters: registration authority, type, division, serial
    return body + uscc.calc_check_digit(body)


class DraftApplicationFactory(SupplierFactory):
    """A complete application, still a draft: every field the submission needs except documents."""

    status = Supplier.Status.DRAFT
    certification_level = CertificationLevel.NONE
    certified_at = None
    certified_until = None
    uscc = factory.Sequence(valid_uscc)
    legal_representative = "Zhang Wei"
    registered_address = "88 Guanggu Avenue, Donghu High-tech Zone"
    contact_name = "Li Na"
    contact_email = factory.Sequence(lambda n: f"contact{n}@factory.test")
    contact_phone = factory.Sequence(lambda n: f"+86 27 8{n:07d}")
    phone = factory.Sequence(lambda n: f"+86 27 6{n:07d}")


class ProductionSiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "suppliers.ProductionSite"

    supplier = factory.SubFactory(DraftApplicationFactory)
    name = "Main plant"
    address = "1 Optics Valley Road"
    province = "CN-HB"
    city = "Wuhan"
    products = "Fibre laser cutting machines"


def licence_upload(size: tuple[int, int] = (900, 650)) -> SimpleUploadedFile:
    """A licence scan: a noisy PNG, large enough in bytes and pixels to pass the licence check."""
    out = io.BytesIO()
    Image.effect_noise(size, 60).convert("RGB").save(out, format="PNG")
    return SimpleUploadedFile("licence.png", out.getvalue(), content_type="image/png")


def pdf_upload(body: bytes = b"") -> SimpleUploadedFile:
    """A one-page PDF that parses, with `body` and 12 KB of padding as the bytes of a stream."""
    from tests.marketplace.pdf_corpus import pdf

    data = body + b"\n" + b"x" * 12000
    content = pdf(objects={4: (b"<< /Length %d >>" % len(data), data)})
    return SimpleUploadedFile("licence.pdf", content, content_type="application/pdf")


# What staff copy from a licence's business scope when they confirm a manufacturer (the origin
# levels need it, with a production site inside the belt's region: `origin_ready`).
MANUFACTURING_SCOPE = "Manufacture and sale of laser cutting equipment"
ORIGIN = {"manufacturing_scope": MANUFACTURING_SCOPE}


def origin_ready(supplier: Supplier) -> Supplier:
    """Give `supplier` a production site inside its belt's region, as the origin levels need."""
    ProductionSiteFactory(supplier=supplier, province=supplier.belt.province)
    return supplier


# --- the world of the access matrix (tests/test_access_matrix.py) ---------------------------------
# The world of the access matrix (tests/test_access_matrix.py): one of every object a route can name,
# owned by one side of each pair, so every route can be asked for by its owner and by everyone else.
#
# - `buyer` buys for company A (with a colleague), `other_buyer` for company B (which has an RFQ too);
# - `supplier` is a member of supplier A, certified at the audited-factory level the way real ones are
#   (application, documents, checks, decision with an audit report); `other_supplier` of supplier B,
#   certified too, in another belt;
# - `operator` operates supplier A's belt only; `staff` is platform staff (a superuser); `clerk` is
#   staff without a single model permission (the admin's own rules, tested apart from the matrix);
# - between buyer A and supplier A: a placed order, a cart line, a routed RFQ with a quote, an inquiry
#   with an attachment, a saved supplier; supplier A has a draft listing, a picture and an import job.

ROLES = ("anonymous", "buyer", "other_buyer", "supplier", "other_supplier", "operator", "staff")


@dataclass
class World:
    users: dict[str, User]  # role (and "clerk") -> user; no entry for anonymous
    belt: Belt
    other_belt: Belt
    company: BuyerCompany
    colleague: BuyerMember
    invitation: BuyerInvitation
    address: CompanyAddress
    supplier: Supplier
    other_supplier: Supplier
    certification: Certification
    document: SupplierDocument
    site: ProductionSite
    supplier_invitation: Invitation
    invitation_import: InvitationImport
    synonym: SearchSynonym
    listing: Listing
    draft: Listing
    image: ListingImage
    certificate: Any  # catalog.models.ListingCertificate, on the public listing
    draft_certificate: Any  # on the draft
    import_job: ListingImport
    order: Order
    purchase: Purchase
    cart_line: CartLine
    rfq: Rfq
    other_rfq: Rfq
    quote: Quote
    inquiry_pk: int
    attachment: InquiryMessage
    rfq_file: Any  # orders.models.RfqAttachment
    webhook: Any = None  # orders.models.WebhookEndpoint of `supplier`, with one delivery
    webhook_delivery: Any = None
    api_token: Any = None  # accounts.models.ApiToken of the buyer
    brand_licence: Any = None  # suppliers.models.BrandLicence: the supplier's, granted by the operator
    lot: Any = None  # catalog.models.Lot of `listing`
    lot_certificate: Any = None  # its clean certificate


def build_world() -> World:
    # Imported here: those modules import this one.
    from tests.orders import factories as of
    from tests.suppliers import factories as sf

    belt = BeltFactory(slug="matrix-belt", province="CN-HB")
    category = CategoryFactory()
    staff = User.objects.create_superuser(email="staff@matrix.test", password="correct-horse-battery")
    clerk = UserFactory(role=User.Role.STAFF, is_staff=True)
    operator = BeltOperatorFactory(belt=belt).user

    supplier, member = sf.application(belt)
    supplier = sf.certify(supplier, staff, CertificationLevel.AUDITED_FACTORY)
    other_belt = BeltFactory(slug="matrix-other-belt", province="CN-FJ")
    other_supplier = SupplierFactory(belt=other_belt)
    other_member = SupplierMemberFactory(supplier=other_supplier).user

    buyer_member = BuyerMemberFactory()
    buyer, company = buyer_member.user, buyer_member.company
    colleague = BuyerMemberFactory(company=company)
    other_buyer = BuyerMemberFactory().user

    listing = of.listing_with(supplier, category)
    draft = ListingFactory(supplier=supplier, category=category, status=Listing.Status.DRAFT, published_at=None)
    of.listing_with(other_supplier, category)
    image = listing_image_add(listing=draft, actor=member, upload=image_upload())
    from catalog.certificates import listing_certificate_add

    certificates = [
        listing_certificate_add(
            listing=on,
            actor=member,
            kind="ce",
            number="CE-1",
            issuer="TÜV SÜD",
            valid_until=timezone.localdate() + datetime.timedelta(days=90),
            upload=pdf_upload(),
        )
        for on in (listing, draft)
    ]
    import_job = ListingImport.objects.create(
        supplier=supplier, created_by=member, original_name="listings.csv", format=ListingImport.Format.CSV
    )

    order = of.OrderFactory(purchase__placed_by=buyer, supplier=supplier)
    cart_line = of.CartLineFactory(user=buyer, listing=listing)
    rfq = of.make_rfq(buyer, category=category, routed_to=[supplier])
    quote = of.quote_for(rfq, member)
    other_rfq = of.make_rfq(other_buyer, category=category, routed_to=[other_supplier])
    from orders.services.rfq_attachments import rfq_attachments_receive

    (rfq_file,) = rfq_attachments_receive(rfq=rfq, actor=buyer, uploads=[pdf_upload()])
    inquiry = inquiry_start(
        buyer=company, actor=buyer, supplier=supplier, listing=listing, subject="Fibre laser, 20 units",
        body="Price for 20 units?", attachment=image_upload(name="drawing.png", fmt="PNG"),
    )  # fmt: skip
    supplier_save(buyer=company, actor=buyer, supplier=supplier)
    invitation = buyer_member_invite(company=company, actor=buyer, email="newcomer@matrix.test")
    address = address_save(
        company=company, actor=buyer, data={"label": "Rotterdam warehouse", "address": "Maasvlakte 1", "country": "NL"}
    )

    from accounts.services import api_token_create
    from orders.models import WebhookDelivery
    from orders.services.webhooks import webhook_endpoint_create

    webhook, _secret = webhook_endpoint_create(
        actor=member, supplier=supplier, url="http://127.0.0.1:9/hook", events=["order.placed"]
    )
    webhook_delivery = WebhookDelivery.objects.create(endpoint=webhook, event_type="order.placed", payload={})
    from suppliers.services import brand_licence_grant, brand_licence_scope_choices

    brand_licence = brand_licence_grant(
        supplier=supplier, actor=operator, categories=brand_licence_scope_choices(belt_id=belt.pk)[:1],
        valid_until=timezone.localdate() + datetime.timedelta(days=365), document=pdf_upload(),
    )  # fmt: skip

    from catalog.lots.services import lot_certificate_add, lot_create

    lot = lot_create(
        supplier=supplier, actor=member, listings=[listing],
        data={"code": "MATRIX-LOT-1", "site_name": "Plant 1", "site_address": "1 Laser Road", "site_region": "CN-HB",
              "produced_on": datetime.date(2026, 9, 1), "quantity": 500, "unit": listing.unit},
    )  # fmt: skip
    lot_certificate = lot_certificate_add(lot=lot, actor=member, upload=pdf_upload(), kind="inspection")

    certification = supplier.current_certification
    assert certification is not None and certification.audit_report
    for queue in settings.CELERY_TASK_QUEUES:  # /readyz: a worker of each queue is alive
        worker_heartbeat_record(worker="celery@access-matrix", queue=queue.name)
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
        address=address,
        supplier=supplier,
        other_supplier=other_supplier,
        certification=certification,
        document=supplier.documents.order_by("pk").first(),
        site=supplier.sites.order_by("pk").first(),
        supplier_invitation=sf.InvitationFactory(belt=belt, invited_by=operator),
        invitation_import=InvitationImport.objects.create(
            belt=belt, created_by=operator, original_name="members.csv", file="invitation-imports/matrix.csv"
        ),
        synonym=SearchSynonym.objects.create(belt=belt, terms=["激光打标机", "激光刻字机"]),
        listing=listing,
        draft=draft,
        image=image,
        certificate=certificates[0],
        draft_certificate=certificates[1],
        import_job=import_job,
        order=order,
        purchase=order.purchase,
        cart_line=cart_line,
        rfq=rfq,
        other_rfq=other_rfq,
        quote=quote,
        inquiry_pk=inquiry.pk,
        attachment=inquiry.messages.exclude(attachment="").get(),
        rfq_file=rfq_file,
        webhook=webhook,
        webhook_delivery=webhook_delivery,
        api_token=api_token_create(user=buyer, name="Matrix").token,
        brand_licence=brand_licence,
        lot=lot,
        lot_certificate=lot_certificate,
    )
