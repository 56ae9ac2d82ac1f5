"""Resolution: root causes, problem records, solution options, statutory remedies, redress."""
