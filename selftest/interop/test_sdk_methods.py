"""The interop breadth: the driver's table of SDK methods, each driven and checked by an interop test."""
from __future__ import annotations

import textwrap

import pytest

from im_e2e.interop.sdk_methods import SDK_METHODS, driven_by, report

pytestmark = [pytest.mark.selftest]

AT_LEAST = 60  # the interop breadth the project promises (issue 16, item 8)


def test_every_method_of_the_table_is_driven_by_an_interop_test():
    driven = driven_by()
    assert [m for m in SDK_METHODS if m not in driven] == [], report()


def test_the_interop_tests_drive_at_least_sixty_sdk_methods():
    driven = driven_by()
    assert len([m for m in SDK_METHODS if m in driven]) >= AT_LEAST, report()


def test_a_call_counts_only_with_a_check_after_it(tmp_path):
    """A call the test never checks, and a wrapper on something that is not an SDK connection, count nothing."""
    (tmp_path / "test_sample.py").write_text(textwrap.dedent('''
        def _start(tab):
            return tab.call("createChatThread", {})

        def test_checked(sdk_login, login):
            tab = sdk_login("alice")
            device = login("bob")
            value = tab.call("getGroupInfo", {"groupId": "1"})
            _start(tab)
            device.must_send_text("x", "y")
            assert value

        def test_unchecked(sdk_login):
            assert True
            sdk_login("alice").call("leaveGroup", {"groupId": "1"})
    '''))
    assert driven_by(tmp_path) == {"getGroupInfo": ["test_sample.py::test_checked"],
                                   "createChatThread": ["test_sample.py::test_checked"]}
