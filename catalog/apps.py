from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("Catalog")

    def ready(self) -> None:
        from marketplace.filecheck.services import CheckedKind, register
        from marketplace.uploads import DOCUMENTS, IMAGES
        from suppliers.hooks import badges_audited, belt_listing_count, certification_changed

        from . import panels
        from .certificates import listing_certificate_checked
        from .figures import belt_figures_refresh_after_certification
        from .lots.services import lot_certificate_checked
        from .models import ListingCertificate, ListingImage, LotCertificate
        from .pictures import listing_image_checked
        from .search.audit import listing_badges_audit
        from .selectors.public import belt_listing_count_in_categories

        certification_changed.connect(belt_figures_refresh_after_certification)
        badges_audited.connect(listing_badges_audit)
        belt_listing_count.provide(belt_listing_count_in_categories)
        panels.register()
        register(
            CheckedKind(
                name="listing_image", model=ListingImage, field="image", accept=IMAGES, on_checked=listing_image_checked
            )
        )
        register(
            CheckedKind(
                name="catalog.lot_certificate",
                model=LotCertificate,
                field="file",
                accept=DOCUMENTS,
                on_checked=lot_certificate_checked,
            )
        )
        register(
            CheckedKind(
                name="listing_certificate",
                model=ListingCertificate,
                field="document",
                accept=DOCUMENTS,
                on_checked=listing_certificate_checked,
            )
        )
