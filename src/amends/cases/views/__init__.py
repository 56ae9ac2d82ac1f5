"""HTML pages of the agent workspace for cases: queues, logging a case, the case page."""
