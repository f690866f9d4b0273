"""Bulk import of a BeatPass relational export (CSV files) into the graph (issue 12 §7).

`bulk.stage` reads and checks every source file and writes the graph's rows, derived
state included, as staging CSVs; `bulk.admin` loads those into an empty store with
`neo4j-admin database import full`, `bulk.online` into a running database with batched
UNWIND writes. Nothing is written to a database until every row has passed.
"""
