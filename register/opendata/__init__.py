"""Open data: the register's published entries as CSV, JSON and a validated data package.

Everything here is derived from the record definition in `register.schema`:
`columns.py` names and types the columns of each table, `records.py` reads published
versions as plain records in batches, `writers.py` streams them as CSV or JSON, and
`package.py` builds the Frictionless Data Package. Views stream what these produce.
"""
