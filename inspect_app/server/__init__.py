"""The HQ server: sync endpoint, accounts, devices, HQ pages; SQLite/PostgreSQL, disk/S3."""
