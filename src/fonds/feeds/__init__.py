"""Atom feeds, the sitemap and downloadable dumps of the published archive."""
