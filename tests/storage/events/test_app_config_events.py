"""Changing app settings is logged, and the marker's restore is logged too."""
import pytest

pytestmark = pytest.mark.selftest


@pytest.mark.app_config(recall_time_limit=7)
def test_marker_settings_are_logged(storage, event_backend):
    changed = storage.wait_for_event(kind="app_config.changed")
    assert changed["settings"] == {"recall_time_limit": 7}


def test_imperative_change_is_logged_and_applies_at_once(app_config, storage, event_backend):
    app_config.set(max_message_size=1000, sensitive_words=["bad"])
    changed = storage.wait_for_event(kind="app_config.changed")
    assert changed["settings"] == {"max_message_size": 1000, "sensitive_words": ["bad"]}
    assert app_config.get("max_message_size") == 1000
