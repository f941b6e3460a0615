"""MIDI: Standard MIDI File export of a piece's note events."""
