"""Fixtures of the interop tests: the official Web SDK in a Node process, and SDK users.

The driver's npm packages are installed on first use when npm is here (once per run, also under
xdist: im_e2e.interop.install). Without Node (>= 20), or when that install fails, every interop
test reports "not possible on this target" with the reason and the command that fixes it.
"""
from __future__ import annotations

from typing import Callable, Iterator

import pytest

from fixtures.accounts import User
from fixtures.outcomes import not_possible
from im_client import Target
from im_e2e.interop.install import ensure_driver
from im_e2e.interop.sdk_driver import SdkConnection, WebSdk


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """A failed interop test shows what the SDK fired and logged."""
    report = yield
    sdk = getattr(item, "funcargs", {}).get("websdk")
    if report.failed and isinstance(sdk, WebSdk):
        report.sections.append(("Web SDK events", sdk.event_summary()))
        report.sections.append(("Web SDK log (tail)", sdk.log_tail()))
    return report


@pytest.fixture(scope="session")
def websdk_problem(request: pytest.FixtureRequest) -> str | None:
    """None when the driver can run here (its packages installed now if they were not), else why not."""
    return ensure_driver(run_id=getattr(request.config, "workerinput", {}).get("testrunuid"))


@pytest.fixture(scope="session")
def websdk_process(shared_target: Target) -> Iterator[Callable[[], WebSdk]]:
    """This worker's Node process of the Web SDK, started at its first interop test and started
    again if a test ended it."""
    sdk: WebSdk | None = None

    def running() -> WebSdk:
        nonlocal sdk
        if sdk is None or not sdk.running:
            sdk = WebSdk(shared_target, log_path=None).start()
        return sdk

    yield running
    if sdk is not None:
        sdk.close()


@pytest.fixture
def websdk(target: Target, make_user, websdk_problem: str | None, websdk_process, tmp_path) -> WebSdk:
    """The Web SDK for this test: the worker's driver process, with this test's own connections,
    events and log (websdk.log in the test's tmp dir); whatever the test opened is closed after it."""
    if websdk_problem:
        not_possible(websdk_problem)
    sdk = websdk_process()
    sdk.begin_test(target, tmp_path / "websdk.log")
    yield sdk
    try:
        sdk.end_test()
    except Exception:
        sdk.close()  # a driver that cannot reset is not trusted with the next test


@pytest.fixture
def sdk_login(websdk: WebSdk, make_user) -> Callable[..., SdkConnection]:
    """`sdk_login()` / `sdk_login("alice")` / `sdk_login(user)`: an SDK connection, logged in with
    the user's token (`password=True`: with the password, as `conn.open({user, pwd})`)."""

    def _login(user: User | str | None = None, *, password: bool = False, device: str | None = None,
               **options) -> SdkConnection:
        if not isinstance(user, User):
            user = make_user(user)
        conn = websdk.connection(user.name, device=device, **options)
        conn.user = user
        if password:
            conn.open(password=user.password)
        else:
            conn.open(token=user.token())
        return conn

    return _login
