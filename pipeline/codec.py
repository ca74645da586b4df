"""The one JSON codec for stage values: dataclasses to plain JSON and back.

Coordinates (floats) are rounded to 2 decimals so golden files stay stable;
Decimals travel as strings so no printed precision is lost.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

T = TypeVar("T")
JSON = dict[str, Any] | list[Any] | str | int | float | bool | None


def to_json(value: object) -> JSON:
    """Plain JSON data for a dataclass value (recursively)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return to_json(value.value)
    if isinstance(value, tuple | list):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, Decimal | date):
        return str(value) if isinstance(value, Decimal) else value.isoformat()
    if isinstance(value, float):
        return round(value, 2)
    if value is None or isinstance(value, str | int | bool):
        return value
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")


def from_json(cls: type[T], data: Any) -> T:
    """Rebuild a value of type `cls` from what `to_json` wrote."""
    return typing.cast(T, _decode(cls, data))


def _decode(tp: Any, data: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        return None if data is None else _decode(options[0], data)
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], d) for d in data)
        return tuple(_decode(a, d) for a, d in zip(args, data, strict=True))
    if origin is dict:
        _, value_type = typing.get_args(tp)
        return {k: _decode(value_type, v) for k, v in data.items()}
    if dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        kwargs = {f.name: _decode(hints[f.name], data[f.name]) for f in dataclasses.fields(tp)}
        return typing.cast(Any, tp)(**kwargs)
    return _decode_scalar(tp, data)


def _decode_scalar(tp: Any, data: Any) -> Any:
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp(data)
    if tp is Decimal:
        return Decimal(data)
    if tp is date:
        return date.fromisoformat(data)
    if tp is float:
        return float(data)
    return data
