"""docker-compose.yml, Dockerfile and .env.example describe a stack that works.

No Docker engine runs here, so these tests read the files: the services
exist, run the right commands, talk to each other by service name, take
their secrets from the environment, and every setting is documented.
"""

import re
import shlex
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ["web", "worker", "beat"]
SERVICES = ["postgres", "redis", "web", "worker", "beat", "mailpit"]
# Compose interpolation such as ${SECRET_KEY:?must be set} or ${GUNICORN_WORKERS:-3}.
INTERPOLATION = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}")
# env("NAME", ...), env.bool("NAME", ...), env.db("NAME") ... in the settings.
ENV_CALL = re.compile(r"""\benv(?:\.\w+)?\(\s*["']([A-Z][A-Z0-9_]*)["']""")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def command_of(service: dict) -> str:
    command = service.get("command", "")
    return command if isinstance(command, str) else shlex.join(command)


def environment_of(service: dict) -> dict[str, str]:
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    return {key: str(value) for key, value in environment.items()}


def url_host(value: str) -> tuple[str, str | None]:
    """Scheme and host of a URL that may contain ${...} interpolations."""
    parts = urlsplit(INTERPOLATION.sub("placeholder", value))
    return parts.scheme, parts.hostname


def names_in_env_example() -> set[str]:
    text = (ROOT / ".env.example").read_text()
    # Documented lines are `NAME=value`, most of them commented out.
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))


def names_read_by_settings() -> set[str]:
    names = set()
    for path in (ROOT / "miglobe" / "settings").glob("*.py"):
        names |= set(ENV_CALL.findall(path.read_text()))
    return names


def test_all_six_services_exist(services):
    assert set(SERVICES) <= set(services)


def test_backing_services_use_the_agreed_images(services):
    assert services["postgres"]["image"] == "postgres:15"
    assert services["redis"]["image"].startswith("redis:7")
    assert services["mailpit"]["image"].startswith("axllent/mailpit")


def test_app_services_are_built_from_the_repository_dockerfile(services):
    for name in APP_SERVICES:
        build = services[name]["build"]
        context = build if isinstance(build, str) else build.get("context", ".")
        dockerfile = (
            "Dockerfile" if isinstance(build, str) else build.get("dockerfile", "Dockerfile")
        )
        assert (ROOT / context / dockerfile).is_file(), name


def test_web_migrates_then_runs_gunicorn_on_all_interfaces(services):
    command = command_of(services["web"])
    assert "manage.py migrate" in command
    assert "gunicorn miglobe.wsgi:application" in command
    assert command.index("migrate") < command.index("gunicorn")
    assert "0.0.0.0:8000" in command
    assert "--workers" in command


def test_worker_runs_celery_worker_with_concurrency_and_loglevel(services):
    command = command_of(services["worker"])
    assert "celery -A miglobe worker" in command
    assert "--concurrency" in command
    assert "--loglevel" in command


def test_beat_runs_celery_beat(services):
    command = command_of(services["beat"])
    assert "celery -A miglobe beat" in command
    assert "--scheduler=django_celery_beat.schedulers:DatabaseScheduler" in command


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_uses_production_settings_and_the_stack_services(services, name):
    environment = environment_of(services[name])

    assert environment["DJANGO_SETTINGS_MODULE"] == "miglobe.settings.production"
    assert url_host(environment["DATABASE_URL"]) == ("postgres", "postgres")
    assert url_host(environment["REDIS_URL"]) == ("redis", "redis")
    assert url_host(environment["EMAIL_URL"]) == ("smtp", "mailpit")
    assert urlsplit(environment["EMAIL_URL"]).port == 1025
    for setting in [
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
        "SITE_URL",
        "DEFAULT_FROM_EMAIL",
        "SKEW_REPORT_EMAIL",
        "SECURE_SSL_REDIRECT",
    ]:
        assert environment.get(setting), f"{name} does not set {setting}"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_takes_secret_key_from_the_environment(services, name):
    value = environment_of(services[name])["SECRET_KEY"]
    # Only an interpolation that Compose refuses to leave empty; never a literal.
    assert re.fullmatch(r"\$\{SECRET_KEY:\?[^}]*\}", value), value


def test_no_password_is_written_into_the_compose_file(services):
    password = environment_of(services["postgres"])["POSTGRES_PASSWORD"]
    assert re.fullmatch(r"\$\{POSTGRES_PASSWORD:\?[^}]*\}", password), password
    for name in APP_SERVICES:
        database_url = environment_of(services[name])["DATABASE_URL"]
        assert urlsplit(INTERPOLATION.sub("INTERPOLATED", database_url)).password == (
            "INTERPOLATED"
        ), database_url


@pytest.mark.parametrize("name", ["postgres", "redis", "web"])
def test_service_has_a_healthcheck(services, name):
    assert services[name]["healthcheck"]["test"]


def test_web_healthcheck_asks_the_health_view(services):
    test = services["web"]["healthcheck"]["test"]
    assert "/health/" in (test if isinstance(test, str) else " ".join(test))


def test_web_waits_for_healthy_database_and_redis(services):
    depends_on = services["web"]["depends_on"]
    assert depends_on["postgres"]["condition"] == "service_healthy"
    assert depends_on["redis"]["condition"] == "service_healthy"


@pytest.mark.parametrize("name", ["worker", "beat"])
def test_celery_waits_for_redis_and_migrated_database(services, name):
    depends_on = services[name]["depends_on"]
    assert depends_on["redis"]["condition"] == "service_healthy"
    # web runs the migrations; it is healthy only once they are applied.
    assert depends_on["web"]["condition"] == "service_healthy"


def test_postgres_data_survives_a_restart(compose, services):
    volumes = services["postgres"]["volumes"]
    assert any(v.endswith(":/var/lib/postgresql/data") for v in volumes)
    assert volumes[0].split(":")[0] in compose["volumes"]


def test_every_setting_read_from_the_environment_is_in_env_example():
    read = names_read_by_settings()
    # Guard against a regex that silently matches nothing.
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "SECURE_SSL_REDIRECT"} <= read
    missing = read - names_in_env_example()
    assert not missing, f"not documented in .env.example: {sorted(missing)}"


def test_every_variable_compose_interpolates_is_in_env_example():
    used = set(INTERPOLATION.findall((ROOT / "docker-compose.yml").read_text()))
    missing = used - names_in_env_example()
    assert not missing, f"not documented in .env.example: {sorted(missing)}"


def test_env_example_sets_nothing_by_default():
    # Django reads .env too: a copied example must not change `make run`.
    active = [
        line
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert active == []


def test_dockerfile_runs_as_non_root_and_bakes_in_no_secret():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim\b", dockerfile, flags=re.MULTILINE)
    users = re.findall(r"^USER\s+(\S+)", dockerfile, flags=re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}
    env_lines = re.findall(r"^(?:ENV|ARG)\s.*(?:\\\n.*)*", dockerfile, flags=re.MULTILINE)
    assert not any("SECRET_KEY" in line for line in env_lines)
    assert "pip install -c requirements.lock ." in dockerfile
    assert "compile_translations" in dockerfile
    assert "collectstatic" in dockerfile
    assert re.search(r"^EXPOSE\s+8000\b", dockerfile, flags=re.MULTILINE)


def test_dockerignore_keeps_local_secrets_and_state_out_of_the_image():
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in [".env", ".git", ".venv", "db.sqlite3", "media"]:
        assert entry in ignored
