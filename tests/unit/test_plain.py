from app.ingest.plain import normalize, paragraphs_from_text


def test_blank_lines_split_paragraphs_and_lines_join():
    paras = paragraphs_from_text("One line\ncontinues here.\n\nSecond   paragraph.\n")
    assert [p.text for p in paras] == ["One line continues here.", "Second paragraph."]


def test_markdown_headings_start_chapters_and_markup_is_dropped():
    text = "# Title\n\nIntro *very* [calm](x).\n\n## Next\n\nMore **text**."
    paras = paragraphs_from_text(text, markdown=True)
    assert [(p.kind, p.chapter, p.text) for p in paras] == [
        ("heading", 0, "Title"),
        ("text", 0, "Intro very calm."),
        ("heading", 1, "Next"),
        ("text", 1, "More text."),
    ]


def test_normalize_drops_soft_hyphens_and_controls_but_keeps_accents_and_cjk():
    assert normalize("caf\u0065\u0301 re\u00adad\x07 \u3002漢字\r\n") == "café read 。漢字\n"
