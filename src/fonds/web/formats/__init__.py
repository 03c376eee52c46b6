"""Date formats of the interface languages where Django's own do not suit an archive (FORMAT_MODULE_PATH)."""
