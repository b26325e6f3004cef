"""Observability of every process: request ids on log lines and jobs (`requestid`), log formats
(`logs`), Prometheus metrics of requests, queries, cache calls and jobs (`metrics`), and how they
are served and guarded (`exposition`). docs/observability.md lists the metrics."""
