"""The one mail path: a transactional outbox (rows written with the change, sent after commit)."""
