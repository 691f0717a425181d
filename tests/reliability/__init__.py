"""The register as it is deployed: gunicorn processes on loopback, a database of their own,
and many clients at once. These tests start, kill and restart real servers."""
