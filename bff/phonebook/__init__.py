"""The phonebook: who is in which meeting, looked up by authorised callers (docs/interfaces.md)."""
