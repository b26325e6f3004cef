"""The load bench behind `make bench`: the app under gunicorn as in production, measured with wrk over
the catalog's pages and API beside a bare Django view (see bench.run and docs/performance.md)."""
