"""View-models: UI state and actions in plain Python, unit-tested without Flet."""
