# The two commands from the README. Each sets up whatever is missing first.
.PHONY: serve test setup lint bench

serve:  ## set up, build and serve the app on http://127.0.0.1:8000/
	@./scripts/setup.sh
	@.venv/bin/python scripts/serve.py --dir dist --port $${PORT:-8000} --mount /models/=build/models

test:  ## set up and run the whole suite: CPython unit, the same tests in Pyodide, e2e in Chromium
	@./scripts/setup.sh --tests
	@.venv/bin/mypy
	@.venv/bin/ruff check .
	@npx --no-install eslint .
	@node --test tests/js/
	@.venv/bin/python -m pytest

setup:
	@./scripts/setup.sh --tests

lint:
	@.venv/bin/mypy
	@.venv/bin/ruff check .
	@npx --no-install eslint .

bench:
	@./scripts/setup.sh --tests
	@.venv/bin/python bench/startup.py
