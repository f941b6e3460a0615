"""BookMusic's Python: book ingestion, segmentation, mood, composition and scheduling.

Pure Python: runs in Pyodide in the page and in CPython for tests. Browser glue lives in
`main.py` at the repo root, which hands the controller its ports (UI and player).
"""
