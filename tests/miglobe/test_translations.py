"""English is complete: every German source string has an English translation."""

from pathlib import Path

import polib
import pytest
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_english_catalogue_has_no_untranslated_or_fuzzy_entries():
    po = polib.pofile(str(CATALOGUE))
    assert len(po) > 400
    missing = [e.msgid for e in po if e.obsolete is False and not e.translated()]
    fuzzy = [e.msgid for e in po if "fuzzy" in e.flags]
    assert not missing, f"untranslated: {missing[:10]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:10]}"


@pytest.mark.django_db
def test_request_pages_speak_english_when_chosen(client):
    from tests.engagements.factories import MunicipalOfficerFactory

    officer = MunicipalOfficerFactory()
    client.force_login(officer.user)
    client.post("/i18n/setlang/", {"language": "en"})
    response = client.get("/requests/new/")
    assert "Save as draft" in response.text
    assert "Als Entwurf speichern" not in response.text
