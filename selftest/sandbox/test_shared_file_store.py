"""store/files.py delete_shared: a destroyed group's (or room's) shared files leave SQLite and the disk,
and nothing else does (rule shared-files-end-with-their-holder)."""
import pytest

from im_sandbox.store import Store
from im_sandbox.store.files import FileRecord, shared_key

pytestmark = pytest.mark.selftest


def _put(store: Store, uuid: str, shared: str, thumbnail: bool = False) -> None:
    record = FileRecord(uuid, "alice", "secret", False, f"{uuid}.bin", "application/octet-stream", 3,
                        2 if thumbnail else 0, shared, 1)
    store.files.put(record, b"abc", b"th" if thumbnail else None)


def test_delete_shared_removes_rows_and_bytes_of_that_holder_only(tmp_path):
    store = Store(tmp_path)
    _put(store, "g1", shared_key("group", "7"), thumbnail=True)
    _put(store, "g2", shared_key("group", "7"))
    _put(store, "other", shared_key("group", "8"))
    _put(store, "room", shared_key("room", "7"))
    _put(store, "attachment", "")
    assert sorted(store.files.delete_shared(shared_key("group", "7"))) == ["g1", "g2"]
    for uuid in ("g1", "g2"):
        assert store.files.get(uuid) is None
        assert not store.files.path(uuid).exists() and not store.files.path(uuid, thumbnail=True).exists()
    for uuid in ("other", "room", "attachment"):
        assert store.files.get(uuid) is not None and store.files.path(uuid).read_bytes() == b"abc"
    assert store.files.delete_shared(shared_key("group", "7")) == []
