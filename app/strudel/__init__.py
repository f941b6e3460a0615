"""The Strudel subset we allow: its whitelist, grammar, completion, validator and scanner."""
