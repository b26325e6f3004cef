#!/bin/sh
# The postgres-replica service: on its first start (an empty data folder) it copies the primary
# with pg_basebackup, which writes standby.signal and primary_conninfo (-R) and creates the
# replication slot that keeps the WAL the replica still needs (-C -S). Later starts resume
# streaming from where the replica stopped. Then the image's own entrypoint runs PostgreSQL, which
# starts read-only, as a hot standby.
set -eu
: "${POSTGRES_REPLICATION_PASSWORD:?set POSTGRES_REPLICATION_PASSWORD}"
PGDATA="${PGDATA:-/var/lib/postgresql/18/docker}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA"
  chown postgres:postgres "$PGDATA"
  chmod 700 "$PGDATA"
  until pg_isready -h "${PRIMARY_HOST:-postgres}" -U replicator -d postgres >/dev/null 2>&1; do sleep 2; done
  gosu postgres env PGPASSWORD="$POSTGRES_REPLICATION_PASSWORD" pg_basebackup \
    -h "${PRIMARY_HOST:-postgres}" -U replicator -D "$PGDATA" \
    -R -X stream -C -S "${REPLICATION_SLOT:-replica_1}" --checkpoint=fast
fi
exec docker-entrypoint.sh postgres -c hot_standby=on
