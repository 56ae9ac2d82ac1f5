"""Django's SQLite backend, with writers taking turns inside the process (see ``base``)."""
