"""The Web SDK connection methods the interop tests drive, and where each is driven.

`SDK_METHODS` is the driver's table: every SDK method (of `new WebIM.connection(...)`) some interop
test calls, through `SdkConnection.call` / `try_call` or one of its wrappers (`WRAPPERS`). A method
counts only when a test calls it and then checks something (an assert or an awaited event after
the call, in the same test): `driven_by()` finds those calls in the test sources, and
selftest/interop/test_sdk_methods.py holds the table to them. `python -m im_e2e.interop methods`
prints the count, each method with a test that drives it, and calls the table does not list yet.
"""
from __future__ import annotations

import ast
from pathlib import Path

# method -> the area of the SDK it belongs to
SDK_METHODS: dict[str, str] = {
    # session
    "open": "session", "close": "session", "renewToken": "session", "setLoginInfoCustomExt": "session",
    # messages
    "send": "message", "modifyMessage": "message", "recallMessage": "message", "getHistoryMessages": "message",
    "removeHistoryMessages": "message",
    # reactions
    "addReaction": "reaction", "deleteReaction": "reaction", "getReactionlist": "reaction",
    # contacts and block list
    "addContact": "contact", "deleteContact": "contact", "acceptContactInvite": "contact",
    "declineContactInvite": "contact", "getContacts": "contact", "getAllContacts": "contact",
    "getContactsWithCursor": "contact", "setContactRemark": "contact", "addUsersToBlocklist": "contact",
    "removeUserFromBlocklist": "contact", "getBlocklist": "contact",
    # user info, presence
    "updateUserInfo": "userinfo", "fetchUserInfoById": "userinfo", "publishPresence": "presence",
    "subscribePresence": "presence", "unsubscribePresence": "presence", "getSubscribedPresenceList": "presence",
    "getPresenceStatus": "presence",
    # chat rooms
    "joinChatRoom": "chatroom", "leaveChatRoom": "chatroom", "isInChatRoomAllowlist": "chatroom",
    "isInChatRoomMutelist": "chatroom",
    # groups
    "createGroup": "group", "getGroupInfo": "group", "modifyGroup": "group", "destroyGroup": "group",
    "changeGroupOwner": "group", "inviteUsersToGroup": "group", "joinGroup": "group", "leaveGroup": "group",
    "listGroupMembers": "group", "removeGroupMember": "group", "setGroupAdmin": "group",
    "removeGroupAdmin": "group", "getGroupAdmin": "group", "muteGroupMember": "group",
    "unmuteGroupMember": "group", "getGroupMuteList": "group", "disableSendGroupMsg": "group",
    "enableSendGroupMsg": "group", "addUsersToGroupAllowlist": "group", "removeGroupAllowlistMember": "group",
    "getGroupAllowlist": "group", "isInGroupAllowlist": "group", "blockGroupMember": "group",
    "unblockGroupMember": "group", "getGroupBlocklist": "group", "updateGroupAnnouncement": "group",
    "fetchGroupAnnouncement": "group", "getPublicGroups": "group", "getJoinedGroups": "group",
    "getJoinedGroupsCount": "group", "blockGroupMessage": "group", "unblockGroupMessage": "group",
    "setGroupMemberAttributes": "group", "getGroupMemberAttributes": "group",
    "getGroupMembersAttributes": "group",
    # threads
    "createChatThread": "thread", "joinChatThread": "thread", "leaveChatThread": "thread",
    "destroyChatThread": "thread", "changeChatThreadName": "thread", "getChatThreads": "thread",
    "getJoinedChatThreads": "thread", "getChatThreadDetail": "thread", "getChatThreadMembers": "thread",
    "removeChatThreadMember": "thread", "getChatThreadLastMessage": "thread",
}

# SdkConnection methods that call one SDK method without naming it
WRAPPERS: dict[str, str] = {
    "open": "open", "try_open": "open", "close": "close",
    "send": "send", "must_send": "send", "send_text": "send", "must_send_text": "send",
    "must_send_command": "send", "must_send_custom": "send", "must_send_read_ack": "send",
    "must_send_delivery_ack": "send",
    "modify_text": "modifyMessage", "must_modify_text": "modifyMessage",
}
_NAMED = ("call", "try_call")
_CHECKS = ("wait_for", "wait_for_all", "received")

INTEROP_TESTS = Path(__file__).resolve().parents[3] / "tests" / "interop"


def _sdk_connections(fn: ast.FunctionDef) -> set[str]:
    """Names bound to SDK connections in a test: parameters and variables assigned from `sdk_login(...)`
    or `websdk.connection(...)` (wrapper names like `close` or `open` mean the SDK only on those)."""
    names: set[str] = set()
    for node in ast.walk(fn):
        if isinstance(node, ast.Assign) and isinstance(node.value, (ast.Call, ast.Tuple)):
            calls = node.value.elts if isinstance(node.value, ast.Tuple) else [node.value]
            targets = node.targets[0].elts if isinstance(node.targets[0], ast.Tuple) else node.targets
            for target, call in zip(targets, calls):
                func = getattr(call, "func", None)
                called = getattr(func, "id", None) or getattr(func, "attr", None)
                if called in ("sdk_login", "connection") and isinstance(target, ast.Name):
                    names.add(target.id)
    return names


def _method_of(call: ast.Call, sdk_names: set[str]) -> str | None:
    func = call.func
    if not isinstance(func, ast.Attribute):
        return None
    if func.attr in _NAMED and call.args and isinstance(call.args[0], ast.Constant) \
            and isinstance(call.args[0].value, str):
        return call.args[0].value
    if func.attr in WRAPPERS and _is_sdk_connection(func.value, sdk_names):
        return WRAPPERS[func.attr]
    return None


def _is_sdk_connection(node: ast.AST, sdk_names: set[str]) -> bool:
    if isinstance(node, ast.Name):
        return node.id in sdk_names
    func = getattr(node, "func", None) if isinstance(node, ast.Call) else None
    return (getattr(func, "id", None) or getattr(func, "attr", None)) in ("sdk_login", "connection")


def _checks_after(fn: ast.FunctionDef, line: int) -> bool:
    """An assert, or an awaited / looked-up event, at or after `line` in the test."""
    for node in ast.walk(fn):
        if getattr(node, "lineno", 0) < line:
            continue
        if isinstance(node, ast.Assert):
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _CHECKS:
            return True
    return False


def driven_by(tests_dir: Path = INTEROP_TESTS) -> dict[str, list[str]]:
    """SDK method -> the tests (`file::function`) that call it and check something after the call."""
    found: dict[str, list[str]] = {}
    for path in sorted(tests_dir.glob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        helpers = [n for n in tree.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("test_")]
        for fn in (n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")):
            sdk_names = _sdk_connections(fn)
            own = [(n, n.lineno) for n in ast.walk(fn) if isinstance(n, ast.Call)]
            calls = list(own)
            # module helpers (e.g. `_thread(tab, …)`) called by the test count as the test's calls, made
            # where the test calls the helper; their parameters may be SDK connections
            for call, line in own:
                helper = next((h for h in helpers if isinstance(call.func, ast.Name) and call.func.id == h.name), None)
                if helper is not None:
                    sdk_names |= {a.arg for a in helper.args.args}
                    calls += [(n, line) for n in ast.walk(helper) if isinstance(n, ast.Call)]
            for call, line in calls:
                method = _method_of(call, sdk_names)
                if method is None:
                    continue
                if _checks_after(fn, line):
                    found.setdefault(method, [])
                    test = f"{path.name}::{fn.name}"
                    if test not in found[method]:
                        found[method].append(test)
    return found


def report(tests_dir: Path = INTEROP_TESTS) -> str:
    driven = driven_by(tests_dir)
    counted = [m for m in SDK_METHODS if m in driven]
    lines = [f"{len(counted)} SDK methods driven by interop tests (table: {len(SDK_METHODS)})"]
    lines += [f"  {m:28} {SDK_METHODS[m]:9} {driven[m][0]}" for m in counted]
    missing = [m for m in SDK_METHODS if m not in driven]
    if missing:
        lines.append(f"in the table but driven by no test: {', '.join(missing)}")
    extra = sorted(set(driven) - set(SDK_METHODS))
    if extra:
        lines.append(f"driven but not in the table (not counted): {', '.join(extra)}")
    return "\n".join(lines)
