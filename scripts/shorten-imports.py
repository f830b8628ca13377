#!/usr/bin/env python3
"""Gives the wasm's imports from wasm-bindgen's glue short names, in both files.

    python3 scripts/shorten-imports.py MODULE.wasm GLUE.js

wasm-bindgen names each import after its Rust path plus a 16-digit hash
(`__wbg_instanceof_SubtleCrypto_72dd685a107b4b5f`); the names are written twice, in the
wasm's import section and as keys of the glue's import object, and brotli cannot shrink
the hashes. scripts/dist.sh runs this after wasm-opt: the widget is about 3 KB brotli
smaller. Only the glue's own module ("./<name>_bg.js") is renamed, and each of its names
must appear exactly once in the glue as an object key, or nothing is written: a name the
glue does not define the way this script expects would fail to link in the browser.
"""
import re
import sys

ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def read_leb(data, at):
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, at


def leb(value):
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def short_name(index):
    name = ""
    while True:
        name = ALPHABET[index % len(ALPHABET)] + name
        index //= len(ALPHABET)
        if not index:
            return "_" + name


def skip_import_desc(body, at):
    """The offset after one import's description (func, table, memory or global)."""
    kind = body[at]
    at += 1
    if kind == 0:  # function: a type index
        return read_leb(body, at)[1]
    if kind == 1:  # table: a reference type, then limits
        at += 1
    if kind in (1, 2):  # limits: flags, minimum, maximum if flagged
        flags = body[at]
        at = read_leb(body, at + 1)[1]
        return read_leb(body, at)[1] if flags & 1 else at
    if kind == 3:  # global: a value type and mutability
        return at + 2
    sys.exit(f"shorten-imports: unknown import kind {kind}")


def rename_imports(wasm, glue_module):
    """The wasm with the glue module's imports renamed, and {old name: new name}."""
    out, at, renamed = bytearray(wasm[:8]), 8, {}
    while at < len(wasm):
        section = wasm[at]
        size, start = read_leb(wasm, at + 1)
        body = wasm[start : start + size]
        if section == 2:
            count, pos = read_leb(body, 0)
            new_body = bytearray(leb(count))
            for _ in range(count):
                length, pos = read_leb(body, pos)
                module = body[pos : pos + length]
                pos += length
                length, pos = read_leb(body, pos)
                name = body[pos : pos + length].decode()
                pos += length
                desc_start, pos = pos, skip_import_desc(body, pos)
                if module == glue_module:
                    name = renamed.setdefault(name, short_name(len(renamed)))
                new_body += leb(len(module)) + module + leb(len(name)) + name.encode()
                new_body += body[desc_start:pos]
            body = bytes(new_body)
        out += bytes([section]) + leb(len(body)) + body
        at = start + size
    return bytes(out), renamed


def main():
    wasm_path, glue_path = sys.argv[1:3]
    stem = re.sub(r"\.js$", "", glue_path.rsplit("/", 1)[-1])
    wasm, renamed = rename_imports(open(wasm_path, "rb").read(), f"./{stem}_bg.js".encode())
    glue = open(glue_path).read()
    for old, new in renamed.items():
        if len(re.findall(rf"\b{old}:", glue)) != 1:
            sys.exit(f"shorten-imports: {old} is not one key of {glue_path}; nothing written")
        glue = re.sub(rf"\b{old}\b", new, glue)
    if not renamed:
        sys.exit(f"shorten-imports: {wasm_path} imports nothing from ./{stem}_bg.js")
    open(wasm_path, "wb").write(wasm)
    open(glue_path, "w").write(glue)


if __name__ == "__main__":
    main()
