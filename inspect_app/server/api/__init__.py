"""The HQ JSON API (docs/sync-protocol.md): one router per concern."""
