"""Uploaded files are real files in the sandbox's data dir, counted by /_sandbox/info, and survive a restart
with their share-secret and thumbnail; a refused upload stores nothing."""
from pathlib import Path

import pytest
import requests

from im_client import match
from im_client.media import content_of, received_url

from fixtures.media import blob, jpeg, size_of

pytestmark = [pytest.mark.chat, pytest.mark.owner("caixiangyue"), pytest.mark.rule("chatfile-upload-answer")]


@pytest.fixture
def target(restartable_sandbox):
    return restartable_sandbox.target


def _info(target) -> dict:
    return requests.get(f"{target.rest_url}/_sandbox/info", timeout=10).json()


def test_uploads_are_files_in_the_data_dir_and_counted(restartable_sandbox, admin):
    """The bytes sit under <data dir>/chatfiles/<uuid>, the thumbnail beside them; info counts both."""
    before = _info(restartable_sandbox.target)
    data = jpeg(500, 500)
    f = admin.must_upload_chatfile(data, "p.jpg", "image/jpeg")
    stored = Path(restartable_sandbox.config.data_dir) / "chatfiles"
    thumb = (stored / f"{f.uuid}.thumb").read_bytes()
    assert (stored / f.uuid).read_bytes() == data and size_of(thumb) == (170, 170)
    after = _info(restartable_sandbox.target)
    assert after["chatfiles"] == before["chatfiles"] + 1
    assert after["chatfile_bytes"] == before["chatfile_bytes"] + len(data) + len(thumb)


@pytest.mark.rule("chatfile-size-limit")
@pytest.mark.app_config(chatfile_max_size=100)
def test_a_refused_upload_leaves_nothing(restartable_sandbox, admin):
    """A 413 upload adds no file to the data dir and nothing to the count."""
    stored = Path(restartable_sandbox.config.data_dir) / "chatfiles"
    before, files = _info(restartable_sandbox.target), set(stored.iterdir())
    assert admin.upload_chatfile(blob(101), "big.bin").status_code == 413
    assert set(stored.iterdir()) == files and _info(restartable_sandbox.target)["chatfiles"] == before["chatfiles"]


def test_a_media_message_and_its_file_survive_a_restart(make_user, restartable_sandbox, transport):
    """An image sent to an offline peer is delivered after a restart, and its URL still gives image and thumbnail."""
    alice, bob = make_user("alice"), make_user("bob")
    data = jpeg(340, 170)
    sent, _ = alice.login(transport).must_send_image(bob.name, data, "k.jpg", width=340, height=170,
                                                     content_type="image/jpeg")
    restartable_sandbox.restart()
    device = bob.login(transport)
    content = content_of(device.wait_for(match.of(sent)))
    rest = device.files_rest()
    assert rest.fetch_url(received_url(content)).content == data
    assert size_of(rest.fetch_url(received_url(content, thumbnail=True)).content) == (170, 85)
    assert rest.fetch_url(content.remotePath).status_code == 403  # the secret is still asked for
