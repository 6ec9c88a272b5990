"""The project's migrations run in a process of their own: ``python -m pytest_agentgates.migration_runner``.

Upgrade, downgrade, upgrade again on the database the plugin names, then compare the models with the
migrations; one JSON document on standard output. A separate process because the project's settings
and modules must not leak into the pytest process (Django settings can be configured once per process).
"""

# The database named with --agent-gates-database travels in the environment, not on a command line.
DATABASE_VARIABLE = "AGENT_GATES_RUNNER_DATABASE"
# The test session's sys.path (os.pathsep-joined): the runner imports what the session can import.
PATH_VARIABLE = "AGENT_GATES_RUNNER_PATH"
