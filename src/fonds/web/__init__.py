"""The reading room: server-rendered pages over the catalog."""
