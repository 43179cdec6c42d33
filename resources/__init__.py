"""Data files shipped with Deskapp (icons, styles, templates, starter data).

Read them with ``importlib.resources.files("deskapp.resources")`` so the same code works from a
checkout, a wheel and the frozen app.
"""
