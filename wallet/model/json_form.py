"""The stable JSON form of the model types, for the store (which keeps a format version).

``to_dict`` tags what JSON cannot hold (datetimes, bytes) and wraps any object that merely looks
like a tag; ``from_dict`` rebuilds the frozen types from their annotations.  No I/O.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import types
import typing
from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from wallet.model import Json

T = TypeVar("T")


def to_dict(obj: Any) -> Json:
    """Serialise a model object (recursively) into JSON-compatible data with type tags for bytes."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_dict(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, StrEnum):
        return obj.value
    if isinstance(obj, datetime):
        return {"$dt": obj.isoformat()}
    if isinstance(obj, bytes):
        return {"$b64": base64.b64encode(obj).decode("ascii")}
    if isinstance(obj, tuple | list):
        return [to_dict(v) for v in obj]
    if isinstance(obj, Mapping):
        plain = {str(k): to_dict(v) for k, v in obj.items()}
        # A JSON object that looks like one of our tags ({"$b64": …} in a hostile credential)
        # is wrapped, so it comes back as the same object and not as bytes or a datetime.
        return {"$map": plain} if set(plain) in TAG_KEYS else plain
    return obj


TAG_KEYS = ({"$dt"}, {"$b64"}, {"$map"})


def decode_plain(data: Json) -> Json:
    """Plain JSON data back from its tagged form (no model class to follow)."""
    if isinstance(data, dict):
        if set(data) == {"$dt"}:
            return datetime.fromisoformat(data["$dt"])
        if set(data) == {"$b64"}:
            return base64.b64decode(data["$b64"])
        if set(data) == {"$map"}:
            return {k: decode_plain(v) for k, v in data["$map"].items()}
        return {k: decode_plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [decode_plain(v) for v in data]
    return data


@functools.cache
def _type_hints(tp: type) -> dict[str, Any]:
    """Resolved field types of a model class, cached: resolving them is most of the cost of
    decoding (listing 10,000 index entries must stay well under a second)."""
    return typing.get_type_hints(tp)


def _build(tp: Any, data: Json) -> Any:
    if data is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _build(args[0], data) if len(args) == 1 else decode_plain(data)
    if origin is tuple:
        (inner, *_rest) = typing.get_args(tp)
        return tuple(_build(inner, v) for v in data)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = _type_hints(tp)
        kwargs = {
            f.name: _build(hints[f.name], data[f.name])
            for f in dataclasses.fields(tp)
            if f.name in data
        }
        return tp(**kwargs)
    if isinstance(tp, type) and issubclass(tp, StrEnum):
        return tp(data)
    if tp is datetime:
        return datetime.fromisoformat(data["$dt"])
    if tp is bytes:
        return base64.b64decode(data["$b64"])
    return decode_plain(data)


def from_dict(cls: type[T], data: Json) -> T:
    """Inverse of :func:`to_dict` for a model class."""
    result: T = _build(cls, data)
    return result
