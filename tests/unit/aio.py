"""Run a coroutine that never truly suspends (fakes answer at once), with no event loop.

asyncio.run cannot be used here: Playwright's sync API keeps a loop running in this thread
during the browser tests, and Pyodide has its own loop.
"""


def run(coro):
    try:
        coro.send(None)
    except StopIteration as done:
        return done.value
    coro.close()
    raise RuntimeError("coroutine suspended: a fake port awaited something real")


def run_in_loop(coro):
    """Run a coroutine that really suspends (tasks, futures, sleeps) on a fresh event loop, in a
    thread of its own so a loop already running here does not matter. CPython only: Pyodide has
    no threads (its tests of this kind are skipped there)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()
