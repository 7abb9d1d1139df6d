"""Several web nodes behind a local reverse proxy, for the rush across nodes.

Each node is a gunicorn of its own on its own loopback port; nginx (Debian's) balances
between them on another loopback port, as a load balancer would. The nodes share only
what production nodes share: PostgreSQL, Redis, and the file storage the settings name
(a bucket of an S3-compatible server when AWS_STORAGE_BUCKET_NAME is set).
"""

import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

NGINX_CONF = """
worker_processes 1;
error_log {root}/error.log warn;
pid {root}/nginx.pid;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {root}/body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi;
    uwsgi_temp_path {root}/uwsgi;
    scgi_temp_path {root}/scgi;
    client_max_body_size 10m;
    upstream platform {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://platform;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_read_timeout 120s;
        }}
    }}
}}
"""


def start_proxy(port, node_ports):
    """nginx on `port`, round-robin over the nodes; returns (process, its folder)."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    root = Path(tempfile.mkdtemp(prefix="eig-proxy-"))
    servers = "\n".join(f"        server 127.0.0.1:{p};" for p in node_ports)
    (root / "nginx.conf").write_text(NGINX_CONF.format(root=root, servers=servers, port=port))
    process = subprocess.Popen(
        [nginx, "-p", str(root), "-c", str(root / "nginx.conf"), "-g", "daemon off;"],
        start_new_session=True,
    )
    wait_for(f"http://127.0.0.1:{port}/healthz", process)
    return process, root


def wait_for(url, process):
    """Until the URL answers, as long as the process lives (no time budget: a busy
    machine starts slowly, a dead process says so at once)."""
    while True:
        if process.poll() is not None:
            raise SystemExit(f"{url}: the process stopped with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=5)  # noqa: S310 — loopback only
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)


def stop(process):
    os.killpg(process.pid, signal.SIGTERM)
    process.wait()
