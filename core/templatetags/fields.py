"""Template filters for form fields: a widget tied to its help and error texts."""

from django import template

register = template.Library()


@register.filter
def described(field):
    """The field's widget, its aria-describedby naming the help and error texts that
    core/_field.html renders (ids `<id>_helptext` and `<id>_error`)."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    attrs = {"aria-describedby": " ".join(ids)} if ids else {}
    return field.as_widget(attrs=attrs)
