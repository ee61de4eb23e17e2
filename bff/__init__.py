"""Borgervideo backend-for-frontend."""
