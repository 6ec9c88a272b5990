"""The built-in gate catalogs, shipped as package data."""
