"""Uploads in S3-compatible object storage: a private bucket, files read back only through
the permission-checked views, replaced and deleted with their rows."""

import boto3
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from eig.files import PrivateStorage
from tests import s3
from tests.applications.test_candidate_screens import PDF, complete, form_data, pdf_upload, start
from tests.factories import UserFactory, call_for_applications
from tests.mentoring.scenario import log_in

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="session")
def s3_server():
    process, endpoint = s3.start_server()
    yield endpoint
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture
def bucket(s3_server, settings):
    """A new private bucket, where every upload of the test goes."""
    name = f"eig-{id(settings)}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="us-east-1",
        aws_access_key_id=s3.ACCESS_KEY,
        aws_secret_access_key=s3.SECRET_KEY,
    )
    client.create_bucket(Bucket=name)
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": s3.bucket_options(s3_server, name, "private"),
        },
    }
    client.bucket = name
    return client


def keys_in(bucket):
    listing = bucket.list_objects_v2(Bucket=bucket.bucket)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def test_a_cv_uploaded_through_the_form_lands_in_the_private_bucket(client, bucket):
    call = call_for_applications(challenges=2)
    candidate = UserFactory()
    application = start(call, candidate)
    log_in(client, candidate)
    client.post(reverse("applications:application_edit"), form_data(call, cv=pdf_upload()))
    application.refresh_from_db()
    assert keys_in(bucket) == [f"private/{application.cv.name}"]
    body = bucket.get_object(Bucket=bucket.bucket, Key=f"private/{application.cv.name}")["Body"]
    assert body.read() == PDF
    grants = bucket.get_object_acl(Bucket=bucket.bucket, Key=f"private/{application.cv.name}")
    assert not [g for g in grants["Grants"] if "AllUsers" in str(g.get("Grantee", {}))]


def test_the_owner_downloads_their_cv_from_the_bucket_and_nobody_else_does(client, bucket):
    call = call_for_applications(challenges=2)
    owner = UserFactory()
    complete(start(call, owner))
    log_in(client, owner)
    response = client.get(reverse("applications:cv_download"))
    assert b"".join(response.streaming_content) == PDF
    assert response["Cache-Control"] == "private, no-store"
    log_in(client, UserFactory())
    assert client.get(reverse("applications:cv_download")).status_code == 404


def test_a_replaced_cv_leaves_the_bucket_and_a_deleted_row_takes_its_file(
    client, bucket, django_capture_on_commit_callbacks
):
    call = call_for_applications(challenges=2)
    candidate = UserFactory()
    application = complete(start(call, candidate))
    first = f"private/{application.cv.name}"
    log_in(client, candidate)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("applications:application_edit"), form_data(call, cv=pdf_upload(PDF + b"%v2\n"))
        )
    application.refresh_from_db()
    assert keys_in(bucket) == [f"private/{application.cv.name}"] != [first]
    with django_capture_on_commit_callbacks(execute=True):
        application.delete()
    assert keys_in(bucket) == []


def test_the_model_fields_storage_follows_the_settings(bucket):
    name = PrivateStorage().save("cvs/essai.pdf", ContentFile(PDF))
    assert keys_in(bucket) == [f"private/{name}"]
