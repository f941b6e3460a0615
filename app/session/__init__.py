"""The reading session and what surrounds it: ports, memory, the book arriving, listening modes."""
