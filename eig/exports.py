"""Exports that a spreadsheet opens as data, never as formulas."""

from import_export import resources

# A cell starting with one of these is run as a formula by spreadsheet programs.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


class SafeResource(resources.ModelResource):
    """Text from users reaches CSV and XLSX as text, whatever it starts with."""

    def export_field(self, field, instance, **kwargs):
        # Native numbers and dates: "3 962" is a French display, not data.
        kwargs["force_native_type"] = True
        return neutralise(super().export_field(field, instance, **kwargs))
