"""`generate_catalog`, by concern: `vocabulary` (the word lists of demo/data/generator/), `plans`
(supplier states and quantity helpers), `suppliers` and `listings` (the rows), `pgcopy` (COPY from
memory) and `loading` (indexes, triggers, the two-thread listing load, statistics)."""
