from accounts.models import User

from .models import BuyerCompany


def buyer_company_for_user(*, user: User) -> BuyerCompany | None:
    """The buying company `user` buys for, or None."""
    return BuyerCompany.objects.filter(members__user=user).first()
