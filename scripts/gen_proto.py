"""Regenerate src/im_wire/msync_pb2.py from msync.proto.

Usage: python scripts/gen_proto.py [--check]
--check compiles the schema into a descriptor set and exits 1 if the committed module was built
from a different schema. It compares descriptors, not text, so a newer protoc that formats the
module differently does not count as a mismatch.
"""
from __future__ import annotations

import argparse
import pathlib
import sys
import tempfile

PROTO_DIR = pathlib.Path(__file__).resolve().parent.parent / "src" / "im_wire"
PROTO = PROTO_DIR / "msync.proto"
MODULE = PROTO_DIR / "msync_pb2.py"


def compile_to(out_dir: pathlib.Path) -> pathlib.Path:
    from grpc_tools import protoc

    rc = protoc.main(["protoc", f"-I{PROTO_DIR}", f"--python_out={out_dir}", str(PROTO)])
    if rc != 0:
        raise SystemExit(f"protoc failed with exit code {rc}")
    return out_dir / "msync_pb2.py"


def schema_matches_module() -> bool:
    from google.protobuf import descriptor_pb2
    from grpc_tools import protoc

    with tempfile.TemporaryDirectory() as tmp:
        out = pathlib.Path(tmp) / "msync.desc"
        rc = protoc.main(["protoc", f"-I{PROTO_DIR}", f"--descriptor_set_out={out}", str(PROTO)])
        if rc != 0:
            raise SystemExit(f"protoc failed with exit code {rc}")
        fresh = descriptor_pb2.FileDescriptorSet.FromString(out.read_bytes()).file[0]
    from im_wire import msync_pb2

    committed = descriptor_pb2.FileDescriptorProto.FromString(msync_pb2.DESCRIPTOR.serialized_pb)
    return _without_json_names(fresh) == _without_json_names(committed)


def _without_json_names(file_proto):
    """protoc fills json_name in descriptor sets but not in generated modules; it is derived anyway."""
    copy = type(file_proto)()
    copy.CopyFrom(file_proto)
    stack = list(copy.message_type)
    while stack:
        message = stack.pop()
        for fld in list(message.field) + list(message.extension):
            fld.ClearField("json_name")
        stack.extend(message.nested_type)
    return copy


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="only compare, do not write")
    args = parser.parse_args()
    if not args.check:
        compile_to(PROTO_DIR)
        print(f"wrote {MODULE}")
        return 0
    if not schema_matches_module():
        print(f"{MODULE} is stale: run python scripts/gen_proto.py", file=sys.stderr)
        return 1
    print("msync_pb2.py matches msync.proto")
    return 0


if __name__ == "__main__":
    sys.exit(main())
