"""Unknown and out-of-range app setting values, as one table over every declared setting
(src/im_wire/settings.py, the sandbox's app_config endpoint, rule `sandbox-admin-endpoints`): a
value of the wrong type or out of range is refused with 400 illegal_argument and changes nothing,
not even the valid settings of the same call; an unknown setting name likewise; `null` restores
the declared default, and a setting never set reads as its default. Range edges are probed at
N−1 and N (0 accepted, −1 refused for the non-negative integers)."""
import pytest

from im_wire.settings import SETTINGS

pytestmark = [pytest.mark.chat, pytest.mark.owner("caixiangyue")]

# setting type -> (a valid value other than any default, values that must be refused)
BAD = {
    bool: (True, ["yes", 1, 0, [], {}]),
    int: (7, ["5", True, 1.5, [], {}]),
    list: (["fine"], ["word", [""], [1], {}]),
    dict: (None, ["x", [], {}]),  # the budget's own cases are below
}
BUDGET_OK = {"window_ms": 1000, "low": 1, "normal": 2, "high": 3}
BUDGET_BAD = [
    {"window_ms": 1000, "low": 1, "normal": 2},  # a key missing
    {**BUDGET_OK, "urgent": 4},  # an unknown key
    {**BUDGET_OK, "low": 3, "normal": 2},  # low above normal
    {**BUDGET_OK, "window_ms": -1},
    {**BUDGET_OK, "high": "3"},
    {**BUDGET_OK, "high": True},
]
NON_NEGATIVE = [n for n, s in SETTINGS.items() if s.type is int and not s.check(-1)]


def _value_for(name):
    setting = SETTINGS[name]
    if setting.type is dict:
        return BUDGET_OK
    if setting.type is bool:
        return not setting.default
    return BAD[setting.type][0]


def _bad_cases():
    for name, setting in SETTINGS.items():
        values = list(BAD[setting.type][1]) + (BUDGET_BAD if setting.type is dict else [])
        if name in NON_NEGATIVE:
            values.append(-1)
        for i, value in enumerate(values):
            yield pytest.param(name, value, id=f"{name}-{i}")


@pytest.mark.parametrize("name, value", list(_bad_cases()))
@pytest.mark.rule("sandbox-admin-endpoints")
def test_a_bad_value_is_refused_and_changes_nothing(app_config, admin, name, value):
    good = _value_for(name)
    other = "recall_time_limit" if name != "recall_time_limit" else "max_message_size"
    app_config.set(**{name: good})
    before = admin.must_app_config()
    resp = admin.set_app_config(**{name: value, other: 33})
    body = resp.json()
    assert (resp.status_code, body.get("error")) == (400, "illegal_argument"), resp.text
    assert name in body["error_description"]
    assert admin.must_app_config() == before  # neither the bad value nor the good one of the same call


@pytest.mark.parametrize("name", NON_NEGATIVE)
def test_zero_is_accepted_where_minus_one_is_not(app_config, admin, name):
    app_config.set(**{name: 5})
    assert admin.must_set_app_config(**{name: 0}) == {name: 0}
    assert admin.must_app_config()[name] == 0


@pytest.mark.rule("sandbox-admin-endpoints")
def test_an_unknown_setting_is_refused_and_changes_nothing(app_config, admin):
    app_config.set(recall_time_limit=9)
    before = admin.must_app_config()
    resp = admin.set_app_config(no_such_setting=1, recall_time_limit=10)
    assert (resp.status_code, resp.json().get("error")) == (400, "illegal_argument"), resp.text
    assert "no_such_setting" in resp.json()["error_description"]
    assert admin.must_app_config() == before


@pytest.mark.parametrize("name", list(SETTINGS))
@pytest.mark.rule("sandbox-admin-endpoints")
def test_null_restores_the_declared_default(app_config, admin, name):
    app_config.set(**{name: _value_for(name)})
    assert admin.must_set_app_config(**{name: None}) == {name: SETTINGS[name].default}
    assert admin.must_app_config()[name] == SETTINGS[name].default


@pytest.mark.rule("sandbox-admin-endpoints")
def test_settings_never_set_read_as_their_defaults(app_config, admin):
    app_config.set(recall_time_limit=None)  # a private app of the test's own; reset it whole
    resp = admin.request("DELETE", "/app_config")
    assert resp.ok, resp.text
    assert admin.must_app_config() == {name: s.default for name, s in SETTINGS.items()}
