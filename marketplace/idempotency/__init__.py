"""Idempotency keys of the API's creates: one request runs once per (user, key).

`api.idempotent` decorates an APIView's POST; `services.idempotent_request_claim` inserts the key's
row first in the request's transaction (the insert-first pattern of orders.services.placing)."""
