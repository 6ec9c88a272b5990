"""pytest-agentgates: the promises in AI-agent definitions, checked as pytest items."""

__version__ = "0.1.0"
