"""The ``agent-gates`` command: an agent tool's stop hook runs the agent's gates before it may stop.

Imports ``model``, ``definitions`` and ``reports`` only; it runs pytest as a child process with the
project's own interpreter, never in its own process.
"""
