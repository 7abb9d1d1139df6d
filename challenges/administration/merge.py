"""Staff merge two administrations that are one body written two ways: the challenges,
contacts and jury memberships of the one move to the other, and the merge is kept."""

from django.db import transaction

from challenges.models import (
    AdministrationContact,
    AdministrationMerge,
    Challenge,
    JuryMember,
)


class MergeError(Exception):
    pass


@transaction.atomic
def merge_administrations(*, kept, merged, by):
    """Move everything of `merged` to `kept`, record it, delete `merged`."""
    if kept.pk == merged.pk:
        raise MergeError("Une administration ne peut pas être fusionnée avec elle-même.")
    challenges = list(Challenge.objects.filter(administration=merged).values_list("pk", "title"))
    Challenge.objects.filter(administration=merged).update(administration=kept)
    contacts = _move_contacts(kept, merged)
    JuryMember.objects.filter(administration=merged).update(administration=kept)
    kept.partners.add(*merged.partners.exclude(pk=kept.pk))
    if not kept.website and merged.website:
        kept.website = merged.website
        kept.save(update_fields=["website"])
    record = AdministrationMerge.objects.create(
        kept=kept,
        merged_name=merged.name,
        merged_slug=merged.slug,
        merged_website=merged.website,
        challenges=[{"id": pk, "titre": title} for pk, title in challenges],
        contacts=contacts,
        by=by,
    )
    merged.delete()
    return record


def _move_contacts(kept, merged):
    """A person contact of both stays once, active if either was."""
    moved = []
    already = {c.user_id: c for c in kept.contacts.all()}
    for contact in merged.contacts.select_related("user"):
        moved.append({"utilisateur": contact.user.email, "statut": contact.status})
        twin = already.get(contact.user_id)
        if twin is None:
            contact.administration = kept
            contact.save(update_fields=["administration"])
            continue
        if contact.status == AdministrationContact.Status.ACTIVE:
            twin.status = AdministrationContact.Status.ACTIVE
            twin.save(update_fields=["status"])
        contact.delete()
    return moved


def merged_names():
    """{name or slug of a merged administration: the kept one}, for the importer."""
    found = {}
    for merge in AdministrationMerge.objects.select_related("kept"):
        found.setdefault(merge.merged_name, merge.kept)
        found.setdefault(merge.merged_slug, merge.kept)
    return found
