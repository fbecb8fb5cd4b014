"""Sample letters of the project: editable sources with labels, and the generator that renders them
into born-digital PDFs and scans (see samples/README.md and `python -m samples.generate --help`)."""
