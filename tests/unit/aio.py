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
