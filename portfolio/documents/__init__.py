"""The board's documents: plain Structs in, DOCX or PDF bytes out; no database, no web."""
