"""Inspect: start an inspection, walk it item by item, sign and submit it on the summary."""
