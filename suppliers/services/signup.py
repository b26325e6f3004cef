"""A company's first member signs up in the browser: an inactive account plus a draft application."""

from django.contrib.auth.hashers import make_password
from django.db import transaction

from accounts.models import User
from accounts.services import user_send_activation, user_send_already_registered

from ..models import Invitation
from .application import supplier_application_start, supplier_application_update


@transaction.atomic
def supplier_sign_up(
    *,
    email: str,
    password: str,
    full_name: str,
    company_name: str,
    base_url: str,
    invitation: Invitation | None = None,
) -> User | None:
    """Create an inactive supplier account with a draft application and email a confirmation link.

    For an address that already has an account nothing is created and its owner is told by email
    instead; the caller answers both cases the same way, so sign-up reveals no accounts.
    """
    if User.objects.filter(email__iexact=email).exists():
        # Hash anyway, so the answer takes as long as creating an account would (no timing oracle).
        make_password(password)
        user_send_already_registered(email=email, base_url=base_url)
        return None
    user = User.objects.create_user(
        email=email, password=password, full_name=full_name, role=User.Role.SUPPLIER, is_active=False
    )
    supplier = supplier_application_start(user=user, invitation=invitation)
    if company_name and company_name != supplier.name_en:
        # The draft is named after the person (or the invitation); the company typed its own name.
        supplier_application_update(supplier=supplier, data={"name_en": company_name})
    user_send_activation(user=user, base_url=base_url)
    return user
