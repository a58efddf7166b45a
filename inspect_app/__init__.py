"""inspect_app: offline-first plant safety inspections, hazards driven to closure, synced to HQ."""

__version__ = "0.1.0"
