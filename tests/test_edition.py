from peerpress.edition import facilitator_text, find_blocks, participant_text


def split(text):
    blocks, problems = find_blocks(text, "p.md")
    assert problems == []
    return participant_text(text, blocks), facilitator_text(text, blocks)


def test_block_on_own_lines_is_removed_whole():
    participant, facilitator = split("Before\n\n{% facilitator %}\nSECRET line\n{% endfacilitator %}\n\nAfter\n")
    assert participant == "Before\n\n\nAfter\n"
    assert '!!! facilitator "For the facilitator"' in facilitator
    assert "    SECRET line" in facilitator


def test_inline_block_removed_from_paragraph():
    participant, facilitator = split("One {% facilitator %}SECRET{% endfacilitator %} two.\n")
    assert participant == "One  two.\n"
    assert '<span class="facilitator-inline"' in facilitator and "SECRET" in facilitator


def test_block_inside_list_item_keeps_list_indentation():
    text = "- item\n    {% facilitator %}\n    SECRET\n    {% endfacilitator %}\n- next\n"
    participant, facilitator = split(text)
    assert participant == "- item\n- next\n"
    assert facilitator.startswith('- item\n\n    !!! facilitator "For the facilitator"\n\n        SECRET\n')


def test_whitespace_control_tags_are_recognised():
    participant, _ = split("A\n{%- facilitator -%}\nSECRET\n{%- endfacilitator -%}\nB\n")
    assert "SECRET" not in participant


def test_unbalanced_and_nested_tags_are_reported_with_lines():
    text = "{% endfacilitator %}\n{% facilitator %}\n{% facilitator %}\nx\n"
    _, problems = find_blocks(text, "p.md")
    assert [str(p) for p in problems] == [
        "p.md:1: {% endfacilitator %} without an opening tag — add {% facilitator %} where the "
        "facilitator-only part starts, or remove this tag",
        "p.md:3: facilitator block opened inside another one — close the block opened on line 2 "
        "with {% endfacilitator %} first; blocks do not nest",
        "p.md:2: facilitator block is never closed — add {% endfacilitator %} where the "
        "facilitator-only part ends",
    ]
