"""Email in: the SMTP/LMTP listener, IMAP polling, parsing, threading onto cases."""
