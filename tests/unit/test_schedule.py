from app.llm.schedule import next_job, reading_starts, should_cancel, simulate, window


def test_window_is_the_next_sections_after_the_one_being_read():
    assert window(0, 10, 2) == [1, 2]
    assert window(8, 10, 2) == [9]
    assert window(9, 10, 2) == []
    assert window(3, 10, 0) == []


def test_next_job_is_the_nearest_unsettled_section_ahead():
    assert next_job(0, 10, 2, set()) == 1
    assert next_job(0, 10, 2, {1}) == 2
    assert next_job(0, 10, 2, {1, 2}) is None
    assert next_job(4, 10, 1, {1, 2}) == 5


def test_a_generation_is_cancelled_once_the_reader_reaches_or_skips_its_section():
    assert not should_cancel(None, 0, 10, 2)
    assert not should_cancel(2, 0, 10, 2)
    assert should_cancel(2, 2, 10, 2)  # reader got there first
    assert should_cancel(2, 5, 10, 2)  # reader skipped past it
    assert should_cancel(7, 1, 10, 2)  # reader jumped back far


def test_reading_starts_follow_the_pace():
    assert reading_starts([250, 250, 125], 250) == [0.0, 60.0, 120.0]


def test_fast_engine_is_ready_for_every_section_after_the_first():
    sim = simulate([250] * 6, 250, 2, 10.0)
    assert sim.ready == [False, True, True, True, True, True]
    assert sim.share_after_first == 1.0
    assert sim.cancelled == []


def test_engine_slower_than_reading_misses_and_cancels():
    # 90 s per section, 60 s of reading each: the engine can never keep up.
    sim = simulate([250] * 6, 250, 1, 90.0)
    assert sim.share_after_first == 0.0
    assert sim.cancelled  # each attempt is dropped when the reader arrives


def test_deeper_prefetch_absorbs_a_slow_start():
    # Load takes 50 s; sections take 40 s to write and 60 s to read.
    words = [250] * 8
    shallow = simulate(words, 250, 1, 40.0, load_seconds=50.0)
    deep = simulate(words, 250, 2, 40.0, load_seconds=50.0)
    assert deep.share_after_first >= shallow.share_after_first
    assert deep.ready[-1]


def test_per_section_times_are_used():
    sim = simulate([100, 100, 100], 100, 1, [1.0, 1.0, 500.0])
    assert sim.ready == [False, True, False]
    assert sim.share_all == 1 / 3
