from app.pace import PaceTracker


def test_pace_follows_a_steady_reader_and_ignores_jumps_and_breaks():
    pace = PaceTracker(wpm=230)
    t = 0.0
    for index in range(8):  # 200-word sections read in 40 s each: 300 wpm
        assert pace.observe(index, 200, t) in (None, 300.0)
        t += 40
    assert 290 < pace.wpm < 305 and pace.samples == 7
    before = pace.wpm
    pace.observe(20, 200, t)  # a jump: no sample
    pace.observe(21, 200, t + 3600)  # an hour on one section: the reader left
    pace.observe(22, 200, t + 3601)  # one second: skimming
    assert pace.wpm == before and pace.samples == 7


def test_pause_discards_the_running_section():
    pace = PaceTracker()
    pace.observe(0, 200, 0)
    pace.pause()
    assert pace.observe(1, 200, 50) is None and pace.samples == 0
