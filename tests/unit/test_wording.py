from app.wording import count


def test_count_says_one_thing_and_many_things():
    assert [count(n, "section") for n in (0, 1, 2)] == ["0 sections", "1 section", "2 sections"]
    assert count(1, "token") == "1 token" and count(8, "token") == "8 tokens"
    assert count(3, "child", "children") == "3 children"
