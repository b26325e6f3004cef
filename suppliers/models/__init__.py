"""Supplier onboarding and certification: one module per part, all importable from here."""

from ..levels import LEVEL_RANK, CertificationLevel
from .badges import BadgeAudit, BadgeDrift
from .certification import AuditChecklist, AuditChecklistPoint, AuditPointResult, Certification, EvidenceItem
from .company import (
    BeltOperator,
    Supplier,
    SupplierEvent,
    SupplierMember,
)
from .documents import ProductionSite, SupplierDocument
from .figures import SupplierFigures
from .licences import BrandLicence, BrandLicenceEvent
from .onboarding import Invitation, InvitationImport
from .verification import VerificationCheck, VerificationRun

__all__ = [
    "LEVEL_RANK",
    "AuditChecklist",
    "AuditChecklistPoint",
    "AuditPointResult",
    "BadgeAudit",
    "BadgeDrift",
    "BeltOperator",
    "BrandLicence",
    "BrandLicenceEvent",
    "Certification",
    "CertificationLevel",
    "EvidenceItem",
    "Invitation",
    "InvitationImport",
    "ProductionSite",
    "Supplier",
    "SupplierDocument",
    "SupplierEvent",
    "SupplierFigures",
    "SupplierMember",
    "VerificationCheck",
    "VerificationRun",
]
