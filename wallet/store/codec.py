"""The records' plaintext: model objects as JSON, in exactly the form of ``wallet.model.json_form.to_dict``.

Why a decoder of our own: ``wallet.model.json_form.from_dict`` inspects types on every call (about 100 µs
per index entry), and listing 10,000 credentials must take well under a second after unlock
(store.md §8), with the terminal's first screen (KDF included) under 1.5 s.  Here each model class
is compiled once, from the same type hints and the same JSON conventions (``$dt``, ``$b64``,
``$map`` and plain JSON through ``json_form.decode_plain``), into the source of one Python function
that decodes every field inline (as :mod:`dataclasses` builds ``__init__``): a per-field function
call and a dict comprehension per record cost more than the rest of the decoding.  The tests check
that both decoders agree on rich objects.  The records are UTF-8 (we write them), so the JSON is
parsed from ``str`` by one shared decoder, skipping ``json.loads``' encoding detection.
(Parsing 10,000 records as one JSON array was measured slower: all the dicts stay alive at once.)
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

from wallet.model.json_form import decode_plain, to_dict

T = TypeVar("T")
Decoder = Callable[[Any], Any]
_SCALARS = (str, int, float, bool)
_SCALAR_SET = frozenset(_SCALARS)
_JSON = json.JSONDecoder()


def encode(obj: Any) -> bytes:
    """Compact UTF-8 JSON of ``to_dict(obj)``."""
    return json.dumps(to_dict(obj), separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def decode(cls: type[T], plaintext: bytes) -> T:
    """Inverse of :func:`encode` for a model class (or ``dict`` for plain JSON with tags)."""
    result: T = compile_decoder(typing.cast(Any, cls))(_JSON.decode(plaintext.decode("utf-8")))
    return result


def _plain(data: Any) -> Any:
    if data is None or type(data) in _SCALARS:
        return data
    return decode_plain(data)


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
    real: Decoder | None = None

    def decode_one(data: Any) -> Any:
        nonlocal real
        if real is None:  # built lazily: a class may contain itself (Credential.children)
            real = _generate(cls)
        return real(data)

    return decode_one


def _generate(cls: type[Any]) -> Decoder:
    """The source of one function decoding ``cls`` field by field (fields absent from the JSON
    keep their defaults), compiled once; same results as calling each field's compiled decoder."""
    hints = typing.get_type_hints(cls)
    env: dict[str, Any] = {
        "_cls": cls,
        "_scalars": _SCALAR_SET,
        "_plain": decode_plain,
        "_datetime": datetime.fromisoformat,
        "_b64": base64.b64decode,
    }
    lines = ["def decode(data):", "    if data is None:", "        return None", "    kw = {}"]
    for n, field in enumerate(dataclasses.fields(cls)):
        lines.append(f"    if {field.name!r} in data:")
        lines.append(f"        v = data[{field.name!r}]")
        lines.extend("        " + line for line in _field_source(hints[field.name], n, env))
        lines.append(f"        kw[{field.name!r}] = v")
    lines.append("    return _cls(**kw)")
    exec("\n".join(lines), env)  # noqa: S102 - source built above from the model's type hints
    result: Decoder = env["decode"]
    return result


def _field_source(tp: Any, n: int, env: dict[str, Any]) -> list[str]:
    """Statements turning ``v`` (JSON) into the value of a field of type ``tp``, in place."""
    fn = compile_decoder(tp)
    if fn is _plain:
        return ["if v is not None and type(v) not in _scalars:", "    v = _plain(v)"]
    base = tp
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        base = next(a for a in typing.get_args(tp) if a is not type(None))
    if base is datetime:
        return ["if v is not None:", '    v = _datetime(v["$dt"])']
    if base is bytes:
        return ["if v is not None:", '    v = _b64(v["$b64"])']
    if isinstance(base, type) and issubclass(base, StrEnum):
        env[f"_enum{n}"], env[f"_members{n}"] = base, base._value2member_map_
        return [
            "if v is not None:",
            f"    m = _members{n}.get(v) if type(v) is str else None",
            f"    v = _enum{n}(v) if m is None else m",
        ]
    if typing.get_origin(base) is tuple and compile_decoder(typing.get_args(base)[0]) is _plain:
        return [
            "if v is not None:",
            "    v = tuple([x if x is None or type(x) in _scalars else _plain(x) for x in v])",
        ]
    env[f"_fn{n}"] = fn
    return [f"v = _fn{n}(v)"]
