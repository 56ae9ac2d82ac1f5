"""Channels for other systems: the intake endpoint and signed outbound webhooks."""
