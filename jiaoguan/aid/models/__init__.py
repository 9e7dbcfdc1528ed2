"""Aid models, one module per sub-domain (NetBox style)."""
from .hardship import DifficultyRecord, ListKind, RecognitionLevel, SchoolRecognition
from .lists import Decision, Entitlement, EntitlementList, ListStatus, Origin, PaymentStatus
from .loans import LoanApplication, LoanStatus
from .payments import BankAccount, Batch, BatchStatus, Payment, PaymentResult
from .terms import Season, Term

__all__ = [
    "BankAccount", "Batch", "BatchStatus", "Decision", "DifficultyRecord", "Entitlement", "EntitlementList", "ListKind",
    "ListStatus", "LoanApplication", "LoanStatus", "Origin", "Payment", "PaymentResult", "PaymentStatus",
    "RecognitionLevel", "SchoolRecognition", "Season", "Term",
]
