"""Other registers' standards: each entry, and the whole register, written in the shape
another register publishes, so that a body reporting to several registers types its facts
once.

A `Shape` is one standard (the Dutch algorithm register's, the UK's ATRS, the EU database's,
the US federal inventory's); each has one or more `Writing`s, a file format it is offered in.
A shape's module (one per standard, in this package) builds its files from the register's own
records (`opendata.records.load_records`), reading the fields' crosswalks in the schema for its
field names, and says where a field of the standard has no source in the record rather than
inventing a value. `SHAPES` (in `every.py`) lists them all, in the order pages show them.
"""

from .every import SHAPES, shape_named
from .shape import Shape, Writing

__all__ = ["SHAPES", "Shape", "Writing", "shape_named"]
