"""Writes for buyers."""

from django.contrib.auth.hashers import make_password
from django.db import transaction

from accounts.models import User
from accounts.services import user_send_activation, user_send_already_registered

from .models import BuyerCompany, BuyerMember


@transaction.atomic
def buyer_sign_up(
    *, email: str, password: str, full_name: str, company_name: str, country: str, business_type: str, base_url: str
) -> User | None:
    """Create an inactive buyer account with its buying company and email a confirmation link.

    For an address that already has an account, nothing is created and its owner is told by
    email instead; the caller answers both cases the same way, so sign-up reveals no accounts.
    """
    if User.objects.filter(email__iexact=email).exists():
        # Hash anyway, so the answer takes as long as creating an account would (no timing oracle).
        make_password(password)
        user_send_already_registered(email=email, base_url=base_url)
        return None
    user = User.objects.create_user(
        email=email, password=password, full_name=full_name, role=User.Role.BUYER, is_active=False
    )
    company = BuyerCompany.objects.create(name=company_name, country=country, business_type=business_type)
    BuyerMember.objects.create(company=company, user=user)
    user_send_activation(user=user, base_url=base_url)
    return user
