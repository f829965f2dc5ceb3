"""A content file that read without a problem is given back from the user's cache folder while
its bytes stay the same: the same data and lines, no YAML parser run; an edit, a damaged or
foreign entry, or other reading code is a miss; a file with a mistake is never stored."""

from __future__ import annotations

import pytest

from deckbuilder import cache
from deckbuilder.content import yamlcache, yamlload
from deckbuilder.errors import UserError

TEXT = """\
stories:
  - id: s1
    title: "Résumé: 13:00 ✅"
    primary: [Ownership]
    year: 2021
    ratio: 0.5
    done: yes
    sections: {situation: a, task: b}
"""


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV, str(tmp_path / "cache"))
    return tmp_path / "cache" / yamlcache.KIND


def _parser_forbidden(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("parsed, not read from the cache")
    monkeypatch.setattr(yamlload, "_loader", refuse)


def test_an_unchanged_file_is_read_from_the_cache_and_an_edited_one_again(tmp_path, store, monkeypatch):
    path = tmp_path / "stories.yaml"
    path.write_text(TEXT, "utf-8")
    parsed = yamlload.load_yaml(path, "content/stories.yaml")
    assert parsed[0]["stories"][0]["title"] == "Résumé: 13:00 ✅" and parsed[0]["stories"][0]["done"] is True
    (entry,) = store.iterdir()
    with monkeypatch.context() as patch:
        _parser_forbidden(patch)
        again = yamlload.load_yaml(path, "content/stories.yaml")
    assert again == parsed
    assert [type(v) for v in again[0]["stories"][0].values()] == [type(v) for v in parsed[0]["stories"][0].values()]
    assert all(type(key) is tuple for key in again[1])
    path.write_text(TEXT.replace("year: 2021", "year: 2022"), "utf-8")
    edited = yamlload.load_yaml(path, "content/stories.yaml")
    assert edited[0]["stories"][0]["year"] == 2022
    assert [p.name for p in store.iterdir()] == [entry.name]  # the entry replaced, not one more per edit


@pytest.mark.parametrize("damage", ["a flipped bit", "truncated", "another file's entry", "other reading code"])
def test_a_damaged_or_foreign_entry_is_a_miss_and_is_written_again(tmp_path, store, monkeypatch, damage):
    path, other = tmp_path / "stories.yaml", tmp_path / "other.yaml"
    path.write_text(TEXT, "utf-8")
    other.write_text(TEXT.replace("s1", "s2"), "utf-8")
    parsed = yamlload.load_yaml(path)
    entry = store / yamlcache._key(path)
    good = entry.read_bytes()
    if damage == "other reading code":
        monkeypatch.setattr(yamlcache, "_fingerprint", lambda: b"a changed yamlload.py")
    elif damage == "another file's entry":
        yamlload.load_yaml(other)
        entry.write_bytes((store / yamlcache._key(other)).read_bytes())
    else:
        at = good.index(b"Ownership")
        entry.write_bytes({"a flipped bit": good[:at] + b"Ownershiq" + good[at + 9:],
                           "truncated": good[: len(good) // 2]}[damage])
    calls = []
    loader = yamlload._loader
    monkeypatch.setattr(yamlload, "_loader", lambda: calls.append(1) or loader())
    assert yamlload.load_yaml(path) == parsed
    assert calls  # parsed again
    if damage != "other reading code":
        assert entry.read_bytes() == good


def test_a_file_with_a_mistake_is_never_stored_and_caching_off_stores_nothing(tmp_path, store, monkeypatch):
    path = tmp_path / "stories.yaml"
    path.write_text(TEXT + "stories: []\n", "utf-8")  # a duplicate key
    for _ in range(2):
        with pytest.raises(UserError, match="duplicate key 'stories'"):
            yamlload.load_yaml(path)
    assert not store.exists()
    monkeypatch.setenv(cache.OFF_ENV, "1")
    path.write_text(TEXT, "utf-8")
    yamlload.load_yaml(path)
    assert not store.exists()


def test_the_shipped_principle_sets_read_as_content_files_are_what_pyyaml_reads():
    """``builtin_set`` reads them with ``load_yaml`` (so from the cache), no longer ``yaml.load``."""
    from importlib import resources

    import yaml

    folder = resources.files("deckbuilder.content").joinpath("principles")
    shipped = [item for item in folder.iterdir() if item.name.endswith(".yaml")]
    assert shipped
    for item in shipped:
        assert yamlload.load_yaml(item)[0] == yaml.safe_load(item.read_text("utf-8"))


def test_data_json_cannot_write_is_not_stored(tmp_path, store):
    """An int longer than Python turns into text (``sys.get_int_max_str_digits``; yamlload
    refuses such a number, this is the store's own guard): storing it must not fail the run
    (json.dumps raised ValueError: status 1, 'internal error'); nothing is stored."""
    path = tmp_path / "stories.yaml"
    path.write_text(TEXT, "utf-8")
    yamlcache.write(path, b"raw", {"big": int("f" * 4000, 16)}, {("big",): 1})
    assert not store.exists() or not any(store.iterdir())
    assert yamlcache.read(path, b"raw") is None
