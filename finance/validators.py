"""Checks on uploaded documents (tranche conditions)."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

# Extension -> how such a file begins, so that a renamed executable is not accepted as a pdf.
SIGNATURES = {
    ".pdf": b"%PDF",
    ".docx": b"PK\x03\x04",
    ".xlsx": b"PK\x03\x04",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
    ".png": b"\x89PNG",
}
ALLOWED_EXTENSIONS = set(SIGNATURES)


def validate_document(upload) -> None:
    """A pdf, docx, xlsx, jpg or png of at most settings.UPLOAD_MAX_BYTES."""
    extension = Path(upload.name).suffix.lower()
    if extension not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            f"Bestand '{upload.name}' heeft een niet toegestaan type; kies een pdf, docx, xlsx, jpg of png."
        )
    if upload.size > settings.UPLOAD_MAX_BYTES:
        limit_mb = settings.UPLOAD_MAX_BYTES / (1024 * 1024)
        raise ValidationError(f"Bestand '{upload.name}' is groter dan {limit_mb:.0f} MB.")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(SIGNATURES[extension]):
        raise ValidationError(f"Bestand '{upload.name}' is geen geldig {extension[1:]}-bestand.")
