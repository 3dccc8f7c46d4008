import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# What a receipt may be, decided by the file's content, never by its name.
RECEIPT_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def receipt_type(upload) -> str | None:
    """The MIME type found in the file's first bytes, if it is one we accept."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    try:
        found = puremagic.from_string(head, mime=True)
    except puremagic.PureError:
        return None
    return found if found in RECEIPT_TYPES else None


def validate_receipt(upload) -> None:
    limit = settings.MIGLOBE_RECEIPT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("Die Datei ist %(size)s groß; erlaubt sind höchstens %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    if receipt_type(upload) is None:
        raise ValidationError(
            _("Diese Datei ist kein PDF, JPEG oder PNG. Bitte laden Sie den Beleg so hoch."),
            code="wrong_type",
        )


def validate_country_codes(value) -> None:
    """A list of ISO 3166 country codes ("MA", "GH"), as the matching reads them."""
    if not isinstance(value, list) or not all(
        isinstance(code, str) and len(code) == 2 and code.isalpha() and code.isupper()
        for code in value
    ):
        raise ValidationError(
            _('Bitte eine Liste von Ländercodes angeben, zum Beispiel ["MA", "GH", "TR"].')
        )
