"""The Hazards tab's screens: the list, one hazard, its action forms."""
