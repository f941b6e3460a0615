"""The language model side: catalog of models, prompts, and what to compose next."""
