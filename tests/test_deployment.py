"""Production settings and the compose file, checked without a Docker engine."""

import os
import subprocess
import sys
from pathlib import Path

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


def test_compose_runs_two_web_nodes_behind_a_proxy_sharing_database_cache_and_storage():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert services["web"]["deploy"]["replicas"] == 2
    assert "/readyz" in str(services["web"]["healthcheck"]["test"])
    proxy_conf = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "server web:8000" in proxy_conf
    assert any(v.endswith("/etc/nginx/conf.d/default.conf:ro") for v in services["proxy"]["volumes"])
    # Migrations run once, before any node serves.
    assert services["web"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    for name in ("web", "worker", "beat", "migrate"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["CELERY_BROKER_URL"].startswith("redis://redis")
        assert env["CACHE_URL"].startswith("redis://redis")
        assert env["AWS_S3_ENDPOINT_URL"].endswith("objects:9000}")
        assert env["DEBUG"] == "false"
        assert "MEDIA_ROOT" not in env  # no node keeps uploads on its own disk
    assert services["beat"].get("deploy", {}).get("replicas", 1) == 1
