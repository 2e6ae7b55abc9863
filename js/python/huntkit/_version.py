"""The package version: written by js/python/wheel.py (the npm package's version)."""

__version__ = "0+unbuilt"
