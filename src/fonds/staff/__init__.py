"""The staff side (Django's admin): curated values, the editorial workflow, history and restore.

An interface like the reading room: it changes records only through `fonds.archive.changes`.
"""
