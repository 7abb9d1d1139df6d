"""The admin's change list table and filters, drawn by `eig.admin_list`."""

from django import template
from django.contrib.admin.templatetags.admin_list import result_headers, result_list

from eig import admin_list

register = template.Library()


@register.inclusion_tag("admin/eig/change_list_rows.html")
def lean_result_list(cl):
    """What the admin's `result_list` gives its template, each row already drawn."""
    rows = admin_list.rows(cl)
    if rows is None:
        return {**result_list(cl), "rows": None}
    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "rows": rows,
    }


@register.simple_tag
def lean_list_filter(cl, spec):
    """The admin's `admin_list_filter`, without a template per filter."""
    return admin_list.list_filter(cl, spec)
