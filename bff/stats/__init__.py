"""Usage statistics from the conference nodes' event sink (issue 9).

The node POSTs Pexip event-sink events to `/eventsink/{node}`; they are kept per conference
as small points in Redis (no names, addresses or IPs), counted when the conference has
settled, and read by `GET /api/v1/stats` and the page `/{party}/admin/stats`.
"""
