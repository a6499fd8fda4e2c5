"""The committed msync_pb2.py was generated from the committed msync.proto."""
import importlib.util
import pathlib

import pytest

pytestmark = pytest.mark.selftest
ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_generated_module_matches_schema():
    pytest.importorskip("grpc_tools", reason="grpcio-tools (the dev extra) compiles the schema")
    spec = importlib.util.spec_from_file_location("gen_proto", ROOT / "scripts" / "gen_proto.py")
    gen_proto = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen_proto)
    assert gen_proto.schema_matches_module(), "run: python scripts/gen_proto.py"
