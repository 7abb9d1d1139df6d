"""Identical POSTs released together against a live server, as a double click does."""

import threading
import urllib.error
import urllib.parse
import urllib.request

# Django compares an unmasked 32-character token with the cookie's secret.
CSRF_SECRET = "doubleclic" * 3 + "ok"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def post_together(url, data, *, times=2, session_id=None):
    """POST `data` to `url` from `times` threads released at once; [(status, location, body)]."""
    cookies = [f"csrftoken={CSRF_SECRET}"] + ([f"sessionid={session_id}"] if session_id else [])
    body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": CSRF_SECRET}, doseq=True)
    start = threading.Barrier(times)
    answers = [None] * times

    def post(index):
        request = urllib.request.Request(
            url, body.encode(), {"Cookie": "; ".join(cookies), "Referer": url}
        )
        opener = urllib.request.build_opener(_NoRedirect)
        start.wait()
        try:
            with opener.open(request, timeout=120) as response:
                answers[index] = (response.status, response.headers.get("Location"), "")
        except urllib.error.HTTPError as error:
            answers[index] = (error.code, error.headers.get("Location"), error.read().decode())

    threads = [threading.Thread(target=post, args=(n,)) for n in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def session_of(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client.cookies["sessionid"].value
