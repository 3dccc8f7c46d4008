"""Production settings pass Django's deploy checks, and the build steps work
on a machine with nothing but Python."""

import gettext
import os
import secrets
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]

PO_FILE = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: en\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

msgid "Beratungseinsatz"
msgstr "Advisory engagement"

msgctxt "meeting"
msgid "Sitzung"
msgstr "Session"

#, fuzzy
msgid "Kommune"
msgstr "Municipality (unchecked)"

msgid "{n} Anfrage"
msgid_plural "{n} Anfragen"
msgstr[0] "{n} request"
msgstr[1] "{n} requests"

msgid "Noch nicht übersetzt"
msgstr ""
"""


# --- Deploy checks of the production settings ----------------------------------


def production_env(tmp_path, **overrides) -> dict[str, str]:
    env = dict(os.environ)
    # Whatever the developer's shell has set must not decide the outcome.
    for name in [
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_PRELOAD",
        "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests in this process
    ]:
        env.pop(name, None)
    env.update(
        DJANGO_SETTINGS_MODULE="miglobe.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="miglobe.example.org",
        SITE_URL="https://miglobe.example.org",
        # Only named here: `check --deploy` does not connect to the broker.
        REDIS_URL="redis://127.0.0.1:6379/9",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy-check.sqlite3'}",
    )
    env.update(overrides)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_settings_pass_the_deploy_checks_without_warnings(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        production_env(tmp_path),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    output = result.stdout + result.stderr
    assert "System check identified no issues" in output
    assert "WARNING" not in output


def test_production_settings_refuse_to_start_without_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["SECRET_KEY"]

    result = run(["manage.py", "check", "--deploy"], env)

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_settings_refuse_to_start_with_debug_on(tmp_path):
    result = run(["manage.py", "check"], production_env(tmp_path, DEBUG="True"))

    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_production_settings_have_debug_off_when_debug_is_unset(tmp_path):
    env = production_env(tmp_path)
    assert "DEBUG" not in env

    result = run(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.DEBUG, settings.SESSION_COOKIE_SECURE, settings.SECURE_SSL_REDIRECT)",
        ],
        env,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True"]


# --- compile_translations ----------------------------------------------------------


@pytest.fixture
def locale_dir(tmp_path) -> Path:
    po_path = tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po"
    po_path.parent.mkdir(parents=True)
    po_path.write_text(PO_FILE, encoding="utf-8")
    return tmp_path / "locale"


def compile_translations(*args: str) -> str:
    out = StringIO()
    call_command("compile_translations", *args, stdout=out)
    return out.getvalue()


def read_mo(locale_dir: Path) -> gettext.GNUTranslations:
    with (locale_dir / "en" / "LC_MESSAGES" / "django.mo").open("rb") as mo:
        return gettext.GNUTranslations(mo)


def test_compile_translations_writes_a_mo_file_gettext_can_read(settings, locale_dir):
    settings.LOCALE_PATHS = [locale_dir]

    output = compile_translations()

    assert "Compiled 1 translation file(s)" in output
    translations = read_mo(locale_dir)
    assert translations.gettext("Beratungseinsatz") == "Advisory engagement"
    assert translations.pgettext("meeting", "Sitzung") == "Session"
    assert translations.ngettext("{n} Anfrage", "{n} Anfragen", 1) == "{n} request"
    assert translations.ngettext("{n} Anfrage", "{n} Anfragen", 3) == "{n} requests"
    assert translations.gettext("Noch nicht übersetzt") == "Noch nicht übersetzt"


def test_compile_translations_leaves_out_fuzzy_entries_like_msgfmt(settings, locale_dir):
    settings.LOCALE_PATHS = [locale_dir]

    compile_translations()

    assert read_mo(locale_dir).gettext("Kommune") == "Kommune"


def test_compile_translations_skips_mo_files_newer_than_their_po(settings, locale_dir):
    settings.LOCALE_PATHS = [locale_dir]
    po_path = locale_dir / "en" / "LC_MESSAGES" / "django.po"
    compile_translations()

    assert "Compiled 0 translation file(s); 1 already up to date" in compile_translations()

    po_path.write_text(PO_FILE.replace("Advisory engagement", "Consultancy"), encoding="utf-8")
    mo_mtime = (locale_dir / "en" / "LC_MESSAGES" / "django.mo").stat().st_mtime
    os.utime(po_path, (mo_mtime + 10, mo_mtime + 10))

    assert "Compiled 1 translation file(s)" in compile_translations()
    assert read_mo(locale_dir).gettext("Beratungseinsatz") == "Consultancy"


def test_compile_translations_takes_a_locale_path_option(settings, locale_dir, tmp_path):
    settings.LOCALE_PATHS = [tmp_path / "elsewhere"]

    output = compile_translations("--locale-path", str(locale_dir))

    assert "Compiled 1 translation file(s)" in output
    assert read_mo(locale_dir).gettext("Beratungseinsatz") == "Advisory engagement"


def test_compile_translations_without_locale_dir_compiles_nothing(settings, tmp_path):
    settings.LOCALE_PATHS = [tmp_path / "no-such-locale"]

    assert "Compiled 0 translation file(s)" in compile_translations()


@pytest.mark.parametrize("missing", ["REDIS_URL", "SITE_URL"])
def test_production_refuses_to_start_without_broker_or_site_url(tmp_path, missing):
    env = production_env(tmp_path)
    del env[missing]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert f"{missing} is not set" in result.stderr
