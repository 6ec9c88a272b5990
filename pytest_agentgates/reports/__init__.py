"""The outputs built from verdicts: JSON, the Implementation Report, SARIF, GitHub annotations and
step summary, JUnit properties.

Imports ``model``, ``definitions``, ``project`` (facts already gathered) and ``checks`` (verdicts);
never pytest, and never runs a check or a tool of its own.
"""
