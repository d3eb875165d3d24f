"""Dataclasses to JSON-ready data and back, field by field.

:func:`to_plain` turns a (frozen) dataclass into dicts and lists; :func:`from_plain`
rebuilds it from its type hints, so a field added later takes its default when an
older payload lacks it, and a field a newer version wrote is ignored. Used by the
history to store answers and briefings (:mod:`retrieval.library.history`).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any


def to_plain(value: Any) -> Any:
    """``value`` as JSON-ready data: dataclasses as dicts of their fields, tuples as lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    return value


def from_plain(annotation: Any, data: Any) -> Any:
    """``data`` (from JSON) as ``annotation`` says: dataclasses, tuples, unions, plain values.

    A dataclass field missing from ``data`` takes its default; unknown keys are ignored.

    Raises:
        KeyError: A field without a default is missing.
        TypeError, ValueError: ``data`` does not have the shape ``annotation`` says.
    """
    if data is None:
        return None
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        return from_plain(options[0], data) if len(options) == 1 else data
    if origin in (tuple, list):
        args = typing.get_args(annotation)
        if origin is tuple and args and args[-1] is not Ellipsis:  # fixed length: per position
            return tuple(from_plain(a, v) for a, v in zip(args, data, strict=False))
        item = args[0] if args else Any
        built = [from_plain(item, v) for v in data]
        return tuple(built) if origin is tuple else built
    if origin is dict:
        return dict(data)
    if isinstance(annotation, type) and dataclasses.is_dataclass(annotation):
        hints = typing.get_type_hints(annotation)
        values = {}
        for f in dataclasses.fields(annotation):
            if not f.init:
                continue
            if f.name in data:
                values[f.name] = from_plain(hints.get(f.name, Any), data[f.name])
            elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise KeyError(f"{annotation.__name__}.{f.name}")
        return annotation(**values)
    return data
