"""Stages 1-2, ingest: input files and DataFrames -> ``QueryBatch``; text cleanup and dedupe.

Contract: :func:`~analyzer.ingest.load.load_queries` is the only function in the package that
reads input files. Every usable row keeps its id and all its other columns; a row that cannot
become a query is skipped and listed (file, line, reason) in ``QueryBatch.skipped``, never
dropped silently. :mod:`~analyzer.ingest.normalize` is pure: NFC and whitespace for embedding,
exact-duplicate collapse with counts; the original text stays for display and detectors.
"""
