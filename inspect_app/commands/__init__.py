"""Sub-commands of ``inspect-app``; each module exposes ``register(subparsers)``."""
