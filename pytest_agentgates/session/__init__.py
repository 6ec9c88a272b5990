"""The pytest layer: options and settings, the early reading of promises, gate items and their
collection, the session that evaluates them, coverage measurement, the terminal summary, and the
writing of outputs at session end.

May import every other layer; nothing below imports it (``plugin`` is its only entry).
"""
