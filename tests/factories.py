"""factory_boy factories for every model the tests build."""

import datetime
import io
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.models import User
from belts.models import Belt, Category
from buyers.models import BuyerCompany, BuyerMember
from catalog.models import Listing, PriceTier
from suppliers.models import BeltOperator, CertificationLevel, Supplier, SupplierMember


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
