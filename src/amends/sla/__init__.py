"""Service levels and regulatory clocks: business calendars and deadline arithmetic."""
