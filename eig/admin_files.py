"""Private files in the admin: links to a download view that checks permission first.

Django's admin links a file to its storage's URL; a private file has none (see
`eig.files.PrivateStorage`), and every change page holding one answered 500.
"""

from django.contrib.admin.utils import unquote
from django.db import models
from django.forms import ClearableFileInput
from django.http import Http404
from django.urls import path, reverse
from django.utils.html import format_html

from eig.files import PrivateStorage, attachment_response


class _LinkedFile:
    """What the admin's file widget shows of a file: its name, and where to get it."""

    def __init__(self, field_file, url):
        self.field_file, self.url = field_file, url

    def __str__(self):
        return str(self.field_file)


class PrivateFileInput(ClearableFileInput):
    def __init__(self, url_of, attrs=None):
        super().__init__(attrs)
        self.url_of = url_of

    def is_initial(self, value):
        # Django's asks the file for its URL, which a private file does not have.
        return bool(value and getattr(value, "name", None))

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if context["widget"]["is_initial"]:
            context["widget"]["value"] = _LinkedFile(value, self.url_of(value.instance))
        return context


class PrivateFilesAdminMixin:
    """For a ModelAdmin whose model has private files: each is shown (editable or read
    only) as a link to this admin's download view, open to whoever may view the object."""

    def private_file_fields(self):
        return [
            field.name
            for field in self.opts.get_fields()
            if isinstance(field, models.FileField) and isinstance(field.storage, PrivateStorage)
        ]

    def private_file_url(self, obj, field_name):
        info = self.opts.app_label, self.opts.model_name
        return reverse(
            "admin:{}_{}_private_file".format(*info),
            args=[obj.pk, field_name],
            current_app=self.admin_site.name,
        )

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        download = path(
            "<path:object_id>/fichier/<str:field_name>/",
            self.admin_site.admin_view(self.private_file_view),
            name="{}_{}_private_file".format(*info),
        )
        return [download, *super().get_urls()]

    def private_file_view(self, request, object_id, field_name):
        obj = self.get_object(request, unquote(object_id))
        if (
            obj is None
            or field_name not in self.private_file_fields()
            or not self.has_view_permission(request, obj)
            or not getattr(obj, field_name)
        ):
            raise Http404
        try:
            return attachment_response(
                getattr(obj, field_name), f"{self.opts.model_name}-{obj.pk}-{field_name}"
            )
        except FileNotFoundError as missing:
            raise Http404 from missing

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.private_file_fields():
            kwargs["widget"] = PrivateFileInput(
                url_of=lambda obj, name=db_field.name: self.private_file_url(obj, name)
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return [self._readonly_link(name) for name in super().get_readonly_fields(request, obj)]

    def get_exclude(self, request, obj=None):
        """The form leaves out the read-only private files shown as links instead."""
        shown_as_links = self._private_readonly(request, obj)
        return [*(super().get_exclude(request, obj) or ()), *shown_as_links] or None

    def get_fieldsets(self, request, obj=None):
        shown_as_links = self._private_readonly(request, obj)
        return [
            (
                title,
                {
                    **options,
                    "fields": [
                        self._readonly_link(name) if name in shown_as_links else name
                        for name in options["fields"]
                    ],
                },
            )
            for title, options in super().get_fieldsets(request, obj)
        ]

    def _private_readonly(self, request, obj):
        private = self.private_file_fields()
        return [name for name in super().get_readonly_fields(request, obj) if name in private]

    def _readonly_link(self, name):
        """A private file shown read only: the link, under the field's own name."""
        if name not in self.private_file_fields():
            return name
        link_name = f"{name}_link"
        if not hasattr(self, link_name):

            def link(obj, name=name):
                field_file = getattr(obj, name)
                if not field_file:
                    return "-"
                return format_html(
                    '<a href="{}">{}</a>', self.private_file_url(obj, name), field_file.name
                )

            link.short_description = self.opts.get_field(name).verbose_name
            setattr(self, link_name, link)
        return link_name
