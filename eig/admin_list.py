"""A change list's rows and filters drawn as the admin draws them, for less.

The admin's `items_for_result` settles each cell's field, classes, empty value, link and
choices again on every row, and builds each cell through `format_html`: on a list of 50
rows and 8 columns, a third of the page's time. `rows` gives the same
cells (same tags, classes, links and values, through the admin's own display helpers)
from columns settled once. Lists with editable fields keep the admin's rendering.

Each filter, likewise, is a template of its own, rendered for each of its choices (a
call's forty challenges); `list_filter` writes the same markup as `admin/filter.html`.
"""

import datetime
import html
from operator import attrgetter

from django.contrib.admin.templatetags.admin_list import _coerce_field_name, admin_list_filter
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import (
    FieldIsAForeignKeyColumnName,
    _get_non_gfk_field,
    display_for_field,
    display_for_value,
    lookup_field,
)
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.urls import NoReverseMatch
from django.utils.encoding import iri_to_uri
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

# The fields whose cells the admin keeps on one line.
NOWRAP_FIELDS = (models.DateField, models.TimeField, models.ForeignKey)


def _is_boolean(attr):
    """Whether a column shows a yes/no icon: said on the method, or on a property's getter."""
    if isinstance(attr, property) and hasattr(attr, "fget"):
        return getattr(attr.fget, "boolean", False)
    return getattr(attr, "boolean", False)


class _Column:
    """One column of `list_display`: how its cells read their value and look.

    `cell(obj)` gives a cell's classes and content as `items_for_result` does; what
    the admin decides on every row from the column alone is decided here, once."""

    def __init__(self, cl, index, name, link):
        self.cl, self.name, self.link = cl, name, link
        self.empty = cl.model_admin.get_empty_value_display()
        self.classes = f"field-{_coerce_field_name(name, index)}"
        field, attr, self.read = self._resolve(cl, name)
        self.field = field
        if self.read is None:
            self.cell = self._looked_up
        elif field is None or field.auto_created:
            self._value_column(name, attr)
        else:
            self._field_column(field)

    @staticmethod
    def _resolve(cl, name):
        """The field, the attribute and how to read a row's value, as `lookup_field`
        finds them; `read` is None where only `lookup_field` itself knows (a model's
        property or method, `__str__`, a lookup through relations)."""
        try:
            field = _get_non_gfk_field(cl.lookup_opts, name)
        except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
            if callable(name):
                return None, name, name
            if hasattr(cl.model_admin, name) and name != "__str__":
                attr = getattr(cl.model_admin, name)
                return None, attr, attr
            return None, None, None
        return field, None, attrgetter(name)

    def _value_column(self, name, attr):
        """A method of the admin (or a callable): shown by `display_for_value`."""
        self.own_empty = getattr(attr, "empty_value_display", self.empty)
        self.boolean = _is_boolean(attr)
        self.value_classes = "action-checkbox" if name == "action_checkbox" else self.classes
        self.cell = self._value

    def _field_column(self, field):
        nowrap = isinstance(field, NOWRAP_FIELDS)
        self.value_classes = self.classes + " nowrap" if nowrap else self.classes
        self.choices = self._choices(field)
        if isinstance(field.remote_field, models.ManyToOneRel):
            self.cell = self._related
        elif self.choices is not None:
            self.cell = self._chosen
        else:
            self.cell = self._field_value

    @staticmethod
    def _choices(field):
        if not getattr(field, "flatchoices", None):
            return None
        try:
            return dict(field.flatchoices)
        except TypeError:
            return None  # list-like choices: `display_for_field` makes them hashable

    def _read(self, obj):
        value = self.read(obj)
        if isinstance(value, str) and value.strip() == "":
            return ""
        return value

    def _value(self, obj):
        try:
            value = self._read(obj)
        except ObjectDoesNotExist:
            return self.classes, self.empty
        shown = display_for_value(value, self.own_empty, self.boolean)
        if isinstance(value, (datetime.date, datetime.time)):
            return self.value_classes + " nowrap", shown
        return self.value_classes, shown

    def _related(self, obj):
        try:
            related = self.read(obj)
        except ObjectDoesNotExist:
            return self.classes, self.empty
        return self.value_classes, self.empty if related is None else related

    def _chosen(self, obj):
        try:
            value = self._read(obj)
        except ObjectDoesNotExist:
            return self.classes, self.empty
        return self.value_classes, self.choices.get(value, self.empty)

    def _field_value(self, obj):
        try:
            value = self._read(obj)
        except ObjectDoesNotExist:
            return self.classes, self.empty
        return self.value_classes, display_for_field(
            value, self.field, self.empty, avoid_link=self.link
        )

    def _looked_up(self, obj):
        """A column only `lookup_field` can read: the admin's own steps, on every row."""
        try:
            field, attr, value = lookup_field(self.name, obj, self.cl.model_admin)
        except ObjectDoesNotExist:
            return self.classes, self.empty
        empty = getattr(attr, "empty_value_display", self.empty)
        if isinstance(value, str) and value.strip() == "":
            value = ""
        classes = [self.classes]
        if field is None or field.auto_created:
            shown = display_for_value(value, empty, _is_boolean(attr))
            if isinstance(value, (datetime.date, datetime.time)):
                classes.append("nowrap")
        else:
            if isinstance(field.remote_field, models.ManyToOneRel):
                related = getattr(obj, field.name)
                shown = empty if related is None else related
            else:
                shown = display_for_field(value, field, empty, avoid_link=self.link)
            if isinstance(field, NOWRAP_FIELDS):
                classes.append("nowrap")
        return " ".join(classes), shown


def _columns(cl):
    columns, first = [], True
    links = cl.list_display_links
    for index, name in enumerate(cl.list_display):
        # The admin links the first column when no link is set, the named ones otherwise.
        link = links is not None and ((first and not links) or name in links)
        if link:
            first = False
        columns.append(_Column(cl, index, name, link))
    return columns


def _escaped(value):
    """`conditional_escape`, without its lazy-string wrapper on each of the page's
    400 cells."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _link(cl, obj, shown):
    try:
        url = cl.url_for_result(obj)
    except NoReverseMatch:
        return _escaped(shown)
    if cl.preserved_filters:
        # Without filters to add, the admin's step only writes the same query again.
        url = add_preserved_filters(
            {"preserved_filters": cl.preserved_filters, "opts": cl.opts}, url
        )
    popup = ""
    if cl.is_popup:
        key = str(cl.to_field) if cl.to_field else cl.lookup_opts.pk.attname
        popup = format_html(' data-popup-opener="{}"', obj.serializable_value(key))
    return f'<a href="{_escaped(url)}"{popup}>{_escaped(shown)}</a>'


def _row(cl, columns, obj):
    cells = []
    head = True
    for column in columns:
        classes, shown = column.cell(obj)
        if column.link:
            tag = "th" if head else "td"
            head = False
            cells.append(f'<{tag} class="{classes}">{_link(cl, obj, shown)}</{tag}>')
        else:
            cells.append(f'<td class="{classes}">{_escaped(shown)}</td>')
    # Every value went through _escaped; classes come from field names.
    return mark_safe(f"<tr>{''.join(cells)}</tr>")  # noqa: S308


def rows(cl):
    """Each result of the page as its table row, or None for a list with editable
    fields (the admin's own rendering then draws their forms)."""
    if getattr(cl, "formset", None):
        return None
    columns = _columns(cl)
    return [_row(cl, columns, obj) for obj in cl.result_list]


def list_filter(cl, spec):
    """A filter and its choices, as `admin/filter.html` draws them; a filter with a
    template of its own is rendered by the admin."""
    if spec.template != "admin/filter.html":
        return admin_list_filter(cl, spec)
    title = _escaped(spec.title)
    items = []
    for choice in spec.choices(cl):
        selected = ' class="selected"' if choice["selected"] else ""
        url = _escaped(iri_to_uri(choice["query_string"]))
        items.append(
            f'\n    <li{selected}>\n    <a href="{url}">{_escaped(choice["display"])}</a></li>\n  '
        )
    summary = gettext(" By %(filter_title)s ") % {"filter_title": title}
    # The title and the choices went through _escaped; the words are the admin's own.
    return mark_safe(  # noqa: S308
        f'<details data-filter-title="{title}" open>\n  <summary>\n    {summary}\n  </summary>\n'
        f"  <ul>\n  {''.join(items)}\n  </ul>\n</details>\n"
    )
