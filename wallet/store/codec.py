"""The records' plaintext: model objects as JSON, in exactly the form of ``wallet.model.to_dict``.

Why a decoder of our own: ``wallet.model.from_dict`` inspects types on every call (about 100 µs
per index entry), and listing 10,000 credentials must take well under a second after unlock
(store.md §8).  Here each model class is compiled once into a plain function per field, from the
same type hints and the same JSON conventions (``$dt``, ``$b64``, ``$map`` and plain JSON through
``model._decode_plain``); the tests check that both decoders agree on rich objects.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import json
import types
import typing
from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from wallet.model import _decode_plain, to_dict

T = TypeVar("T")
Decoder = Callable[[Any], Any]
_SCALARS = (str, int, float, bool)


def encode(obj: Any) -> bytes:
    """Compact UTF-8 JSON of ``to_dict(obj)``."""
    return json.dumps(to_dict(obj), separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def decode(cls: type[T], plaintext: bytes) -> T:
    """Inverse of :func:`encode` for a model class (or ``dict`` for plain JSON with tags)."""
    result: T = compile_decoder(typing.cast(Any, cls))(json.loads(plaintext))
    return result


def _plain(data: Any) -> Any:
    if data is None or type(data) in _SCALARS:
        return data
    return _decode_plain(data)


@functools.cache
def compile_decoder(tp: Any) -> Decoder:
    """A function turning the JSON form of ``tp`` back into a value, built once per type."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return compile_decoder(args[0]) if len(args) == 1 else _plain
    if origin is tuple:
        inner = compile_decoder(typing.get_args(tp)[0])
        return lambda data: None if data is None else tuple(inner(v) for v in data)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _dataclass_decoder(tp)
    if isinstance(tp, type) and issubclass(tp, StrEnum):
        return lambda data: None if data is None else tp(data)
    if tp is datetime:
        return lambda data: None if data is None else datetime.fromisoformat(data["$dt"])
    if tp is bytes:
        return lambda data: None if data is None else base64.b64decode(data["$b64"])
    return _plain


def _dataclass_decoder(cls: type[Any]) -> Decoder:
    hints = typing.get_type_hints(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    plan: tuple[tuple[str, Decoder], ...] | None = None

    def decode_one(data: Any) -> Any:
        nonlocal plan
        if data is None:
            return None
        if plan is None:  # resolved lazily: a class may contain itself (Credential.children)
            plan = tuple((name, compile_decoder(hints[name])) for name in names)
        return cls(**{name: fn(data[name]) for name, fn in plan if name in data})

    return decode_one
