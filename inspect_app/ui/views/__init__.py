"""Flet views: thin controls over services and view-models."""
