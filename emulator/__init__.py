"""Development stand-in for Pexip Infinity (Client REST API v2) and VDX-API."""
