from app.models import Paragraph, count_words
from app.segment import make_sections, section_id


def paras(*specs):
    return [Paragraph(" ".join(["word"] * n), kind, ch) for n, kind, ch in specs]


def test_sections_are_about_a_minute_and_cover_every_paragraph():
    ps = paras(*[(60, "text", 0)] * 20)
    sections = make_sections(ps, wpm=230)
    assert [s.first for s in sections] == [0] + [s.last + 1 for s in sections[:-1]]
    assert sections[-1].last == len(ps) - 1
    assert all(170 <= s.words <= 290 for s in sections[:-1])


def test_sections_do_not_cross_chapters_and_headings_stay_with_their_text():
    ps = paras((3, "heading", 0), (2, "heading", 1), (50, "text", 1), (4, "heading", 2), (50, "text", 2))
    sections = make_sections(ps, wpm=230)
    assert [(s.first, s.last) for s in sections] == [(0, 2), (3, 4)]


def test_ids_are_stable_content_hashes():
    ps = paras((100, "text", 0))
    assert make_sections(ps)[0].id == make_sections(list(ps))[0].id == section_id(ps[0].text)
    assert section_id("a b") == section_id("a  b") != section_id("a c")


def test_count_words_counts_cjk_characters():
    assert count_words("one two three") == 3
    assert count_words("吾輩は猫である") == 4
