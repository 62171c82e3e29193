"""Readers for files from outside: they parse and check, services store."""
