"""Every standard's shape the register writes, in the order pages list them."""

from __future__ import annotations

from . import atrs, dutch, eu, us
from .shape import Shape

SHAPES: tuple[Shape, ...] = (dutch.SHAPE, us.SHAPE, eu.SHAPE, atrs.SHAPE)


def shape_named(code: str) -> Shape:
    """The shape with this code; KeyError if there is none."""
    for shape in SHAPES:
        if shape.code == code:
            return shape
    raise KeyError(code)
