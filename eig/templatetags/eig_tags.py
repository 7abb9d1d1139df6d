from django import template
from django.utils.safestring import mark_safe
from dsfr.utils import dsfr_input_class_attr

from eig.text import render_markdown

register = template.Library()


@register.filter
def markdown(text):
    """Markdown rendered to HTML, sanitised: safe to show whatever its source."""
    return mark_safe(render_markdown(text))  # noqa: S308 — the HTML went through nh3.


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (filters, pages)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()


@register.filter
def requirement(field):
    """What a field's label says of it: "to_send", "optional" or nothing.

    A draft may leave empty what sending needs (RGAA 11.10): such a form lists those
    fields in `required_to_send`, and they are not called optional. A single checkbox
    (a consent, a confirmation) says what it does in its own label.
    """
    if field.field.required or field.widget_type == "checkbox":
        return ""
    form = field.form
    if field.name in getattr(form, "required_to_send", ()):
        return "to_send"
    if field.name in getattr(form, "required_if_filled", ()):
        return ""
    return "optional"


@register.filter
def error_anchor(field):
    """The id an error summary links to: the input itself, or a group's first choice."""
    if field.widget_type in ("radioselect", "checkboxselectmultiple"):
        return f"{field.auto_id}_0" if len(field.subwidgets) else f"{field.auto_id}-group"
    return field.id_for_label


@register.filter
def accessible_widget(field):
    """The field's input in DSFR's classes, pointing to its hint and its error message.

    django-dsfr's own filter points an invalid field to "<id>-desc-error" only, and
    drops the hint: the ids here are the ones _partials/field.html writes.
    """
    dsfr_input_class_attr(field)
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_helptext")
    attrs = {}
    if field.errors:
        described.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.filter
def page_range(page_obj):
    """The page numbers a pagination offers: the ends and the neighbours, None for a gap."""
    paginator = page_obj.paginator
    return [
        None if number == paginator.ELLIPSIS else number
        for number in paginator.get_elided_page_range(page_obj.number, on_each_side=1, on_ends=1)
    ]


@register.inclusion_tag("admin/eig/_available_for_jury.html")
def available_for_jury():
    """The people later stages say are available for a jury (`eig.jury_pool`)."""
    from eig.jury_pool import available_for_jury as available

    return {"people": available()}
