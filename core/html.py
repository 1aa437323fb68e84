"""Escaping for HTML written in Python (the case list's rows, select boxes, the
suggestions section): Django's conditional_escape, without the lazy-text check its
decorator makes on every call (a few hundred values a page: a twentieth of the case list's
CPU). Tests of those writers compare their output with the templates'."""

import html


def escaped(value) -> str:
    """`value` as {{ value }} writes it: what declares itself HTML (safe strings) as it is,
    anything else as text, escaped."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))
