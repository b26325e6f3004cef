"""Factories and uploads for the application wizard's tests."""

import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from stdnum.cn import uscc as stdnum_uscc

from accounts.models import User
from suppliers.models import CertificationLevel, Invitation, Supplier, SupplierMember
from tests import factories as f


def uscc_for(n: int) -> str:
    """A well-formed USCC with the right GB 32100-2015 check character, different for each n."""
    body = f"913501007{n:08d}"
    return body + stdnum_uscc.calc_check_digit(body)


def uscc_with_wrong_check_character(n: int) -> str:
    good = uscc_for(n)
    return good[:-1] + ("1" if good[-1] != "1" else "2")


class DraftSupplierFactory(f.SupplierFactory):
    """A draft application with nothing filled in beyond its names."""

    belt = None
    status = Supplier.Status.DRAFT
    certification_level = CertificationLevel.NONE
    certified_at = None
    certified_until = None
    province = ""
    city_en = ""
    city_zh = ""


class CompleteDraftFactory(DraftSupplierFactory):
    """A draft with every field submission needs; add a licence and a site to make it submittable."""

    belt = factory.SubFactory(f.BeltFactory)
    province = "CN-FJ"
    city_en = "Quanzhou"
    city_zh = "泉州"
    uscc = factory.Sequence(uscc_for)
    legal_representative = "Chen Jie"
    registered_address = "8 Baogai Road, Shishi"
    contact_name = "Lin Mei"
    contact_email = factory.Sequence(lambda n: f"lin{n}@shishi-textiles.test")
    contact_phone = "+86 595 8888 0000"


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    belt = factory.SubFactory(f.BeltFactory)
    company_name = "Shishi Seaside Garments Co., Ltd."
    contact_name = "Huang Li"
    email = factory.Sequence(lambda n: f"huang{n}@seaside-garments.test")
    invited_by = factory.SubFactory(f.UserFactory, role=User.Role.OPERATOR)


def applicant(supplier: Supplier) -> User:
    """A supplier-role user who acts for `supplier`."""
    return SupplierMember.objects.create(supplier=supplier, user=f.UserFactory(role=User.Role.SUPPLIER)).user


def png_bytes(size: tuple[int, int] = (400, 300), mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "white" if mode == "RGB" else 0).save(out, format="PNG")
    return out.getvalue()


def png_upload(name: str = "licence.png", size: tuple[int, int] = (400, 300)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(size), content_type="image/png")


def text_upload(name: str = "licence.png") -> SimpleUploadedFile:
    """A text file wearing an image's name and content type: refused by its content."""
    return SimpleUploadedFile(name, b"this is not a picture of a licence\n" * 20, content_type="image/png")


def bomb_upload(name: str = "bomb.png") -> SimpleUploadedFile:
    """20000 x 20000 one-bit pixels: a few dozen KB on the wire, 400 megapixels to decode."""
    out = io.BytesIO()
    Image.new("1", (20000, 20000)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def pdf_upload(name: str = "certificate.pdf") -> SimpleUploadedFile:
    content = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n" + b"x" * 4000 + b"\ntrailer\n%%EOF\n"
    return SimpleUploadedFile(name, content, content_type="application/pdf")
