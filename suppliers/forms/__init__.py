"""Forms of suppliers: the application wizard (`application`), belt operators (`operator`)."""

from .application import (
    MAX_PHOTOS_PER_UPLOAD,
    ApplicationStepForm,
    BeltForm,
    CertificateForm,
    CompanyForm,
    ContactForm,
    LicenceForm,
    LocationForm,
    MultipleFileField,
    MultipleFileInput,
    PhotosForm,
    ProductionSiteForm,
    SupplierSignUpForm,
)

__all__ = [
    "MAX_PHOTOS_PER_UPLOAD",
    "ApplicationStepForm",
    "BeltForm",
    "CertificateForm",
    "CompanyForm",
    "ContactForm",
    "LicenceForm",
    "LocationForm",
    "MultipleFileField",
    "MultipleFileInput",
    "PhotosForm",
    "ProductionSiteForm",
    "SupplierSignUpForm",
]
