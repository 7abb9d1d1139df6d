"""One address per account (ACCOUNT_MAX_EMAIL_ADDRESSES = 1): the unverified second
addresses added before free the addresses they held, for their owners to sign up."""

from django.db import migrations


def free_unverified_second_addresses(apps, schema_editor):
    EmailAddress = apps.get_model("account", "EmailAddress")
    EmailAddress.objects.filter(verified=False, primary=False).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("eig", "0002_role_grant_constraints"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [
        migrations.RunPython(free_unverified_second_addresses, migrations.RunPython.noop),
    ]
