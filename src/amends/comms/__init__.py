"""Communication: reply templates on LAST/LEAP, required letters, acknowledgements, email out,
and the reply coach."""
