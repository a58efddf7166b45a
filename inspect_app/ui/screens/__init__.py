"""The app's screens, one module (or package) per route: thin controls over view-models."""
