"""Composers: the instant composer (a section in milliseconds) and the drift (endless mode)."""
