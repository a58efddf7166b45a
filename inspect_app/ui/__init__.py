"""Flet user interface: shell, views, and the plain-Python view-models they draw."""
