"""Production settings and the compose file, checked without a Docker engine."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "x7#k2!q9-production-like-secret-key-with-enough-entropy-0f3a8c1d5e",
    "ALLOWED_HOSTS": "eig.numerique.gouv.fr",
    "DATABASE_URL": "sqlite:////tmp/eig-deploy-check.sqlite3",
    "DJANGO_SETTINGS_MODULE": "eig.settings",
}


def manage(*args, env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


# What an operator puts in the .env file beside the compose file.
OPERATOR_ENV = {
    "SECRET_KEY": PRODUCTION_ENV["SECRET_KEY"],
    "POSTGRES_PASSWORD": "un-mot-de-passe-de-base",
    "ALLOWED_HOSTS": "eig.numerique.gouv.fr",
    "SITE_URL": "https://eig.numerique.gouv.fr",
    "CSRF_TRUSTED_ORIGINS": "https://eig.numerique.gouv.fr",
    "AWS_ACCESS_KEY_ID": "cle-du-stockage-objet",
    "AWS_SECRET_ACCESS_KEY": "secret-du-stockage-objet",
}
APP_SERVICES = ("web", "worker", "beat", "migrate")


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]


def interpolated(value, env):
    """Compose's ${NAME:-default} and ${NAME:?message}, as `docker compose` reads them."""

    def one(match):
        name, operator, rest = match.group(1), match.group(2), match.group(3)
        if name in env:
            return env[name]
        if operator == ":-":
            return rest
        raise AssertionError(f"{name} must be set: {rest}")

    return re.sub(r"\$\{(\w+)(?:(:-|:\?)([^}]*))?\}", one, str(value))


def service_env(name):
    """The service's environment in its container, where manage.py's default settings apply."""
    environment = compose()[name]["environment"]
    return {
        "DJANGO_SETTINGS_MODULE": "eig.settings",
        **{key: interpolated(value, OPERATOR_ENV) for key, value in environment.items()},
    }


def test_the_app_services_start_production_settings_that_pass_the_deploy_check():
    for name in APP_SERVICES:
        result = manage("check", "--deploy", "--fail-level", "WARNING", env=service_env(name))
        assert result.returncode == 0, f"{name}: {result.stdout}{result.stderr}"


def test_the_compose_file_refuses_to_start_without_its_secrets():
    environment = compose()["web"]["environment"]
    for secret in ("SECRET_KEY", "POSTGRES_PASSWORD", "AWS_SECRET_ACCESS_KEY"):
        without = {k: v for k, v in OPERATOR_ENV.items() if k != secret}
        with pytest.raises(AssertionError, match=secret):
            [interpolated(value, without) for value in environment.values()]


def test_what_each_app_service_runs_exists_in_the_code():
    """The WSGI application, the Celery app and the beat scheduler the commands name import."""
    services = compose()
    web = re.search(r"gunicorn (\S+):(\w+)", services["web"]["command"])
    celery_app = {
        re.search(r"celery -A (\S+)", services[n]["command"]).group(1) for n in ("worker", "beat")
    }
    scheduler = re.search(r"--scheduler (\S+):(\w+)", services["beat"]["command"])
    probe = (
        "import importlib, django; django.setup(); "
        f"assert callable(getattr(importlib.import_module({web.group(1)!r}), {web.group(2)!r})); "
        + "".join(
            f"assert importlib.import_module({app!r}).celery_app.main; " for app in celery_app
        )
        + f"getattr(importlib.import_module({scheduler.group(1)!r}), {scheduler.group(2)!r})"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env={**os.environ, **service_env("web")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_the_app_services_wait_for_healthy_services_and_the_nodes_for_the_migrations():
    services = compose()
    for name in ("worker", "beat", "migrate"):
        for needed, condition in services[name]["depends_on"].items():
            assert condition == {"condition": "service_healthy"}
            assert services[needed]["healthcheck"]["test"], needed
    # Migrations run once, before any web node serves.
    assert services["web"]["depends_on"] == {
        "migrate": {"condition": "service_completed_successfully"}
    }


def test_two_web_nodes_sit_behind_the_proxy_and_share_database_cache_and_storage():
    services = compose()
    assert services["web"]["deploy"]["replicas"] == 2
    assert "/readyz" in str(services["web"]["healthcheck"]["test"])
    assert "server web:8000" in (ROOT / "deploy" / "nginx.conf").read_text()
    assert any(
        v.endswith("/etc/nginx/conf.d/default.conf:ro") for v in services["proxy"]["volumes"]
    )
    for name in APP_SERVICES:
        env = service_env(name)
        assert env["CACHE_URL"].startswith("redis://redis")
        assert env["AWS_S3_ENDPOINT_URL"] == "http://objects:9000"
        assert "MEDIA_ROOT" not in env  # no node keeps uploads on its own disk
    assert services["beat"].get("deploy", {}).get("replicas", 1) == 1
    assert services["beat"].get("deploy", {}).get("replicas", 1) == 1
