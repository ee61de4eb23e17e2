"""Shared plumbing of every domain: settings, the Redis store, sealing, security, errors and
their JSON mapping, HTTP helpers, the rate counter, the conference-node client, text rules.
Imports no domain (import-linter checks it: `make lint`)."""
