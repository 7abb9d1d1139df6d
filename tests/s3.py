"""A real S3-compatible server for the tests: moto's standalone server, on a free
loopback port, started once per test session by the `s3_server` fixture."""

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

ACCESS_KEY = SECRET_KEY = "eig-tests"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server():
    """Starts moto's server and waits (as long as the machine needs) until it answers."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    for _ in range(600):
        if process.poll() is not None:
            raise RuntimeError("moto's S3 server stopped at start-up")
        try:
            urllib.request.urlopen(endpoint, timeout=1)  # noqa: S310 — loopback only
        except urllib.error.HTTPError:
            pass  # an answer, even a refusal, is a server that runs
        except OSError:
            time.sleep(0.1)
            continue
        return process, endpoint
    process.kill()
    raise RuntimeError("moto's S3 server did not answer")


def bucket_options(endpoint, bucket, location):
    return {
        "bucket_name": bucket,
        "endpoint_url": endpoint,
        "region_name": "us-east-1",
        "access_key": ACCESS_KEY,
        "secret_key": SECRET_KEY,
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": 300,
        "file_overwrite": False,
        "location": location,
    }
