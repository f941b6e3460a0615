"""From a section's text to Strudel code: mood, styles, composition, validation."""
