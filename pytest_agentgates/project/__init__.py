"""What the plugin learns about the project under test: its layout and sources (parsed once),
routes, stack, deployment and CI files, git changes, coverage data, tool runs, agent-gates.yaml, and
the ``CheckContext`` that hands all of it, memoised per session, to the checks.

Imports only ``model``: nothing of pytest, of agent definitions, or of the checks.
"""
