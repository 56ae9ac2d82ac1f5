"""Policy packs: regulators' and the organisation's complaint-handling rules, as YAML data."""
