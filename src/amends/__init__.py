"""Amends: complaint and customer-problem resolution."""

__version__ = "0.1.0"
