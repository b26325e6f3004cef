"""Readiness: what the site depends on (database, cache, broker, a working worker), checked in a second."""
