"""The package version, in one place (the cache key and run.json record it)."""

__version__ = "0.1.0"
