"""Generators over libacct's C iterators (the limit, IP, button, key and API login iterators).

The pattern of ``Session.children()``: the C iterator is created by the call
(so a bad argument raises there, not at the first ``next()``), owned by a
:class:`~libacct._handle.Handle` that is a child of the session (closing the
session frees it), drained by a generator that copies every item while the
iterator is held, and freed when the generator ends, is closed, or is
collected unstarted.
"""

from __future__ import annotations

import ctypes
import weakref
from typing import Any, Callable, Generator, Optional, TypeVar

from ._handle import Handle

T = TypeVar("T")

#: Returned by a step function when the C iterator reports ACCT_ITEROVER.
END: Any = object()


def open_iterator(owner: Any, ptr_type: Any, new_fn: Any, free_fn: Any, what: str, *args: Any) -> Handle:
    """Call ``new_fn(&out, session, *args)`` and own ``out`` in a child handle of ``owner``'s session handle."""
    out = ctypes.POINTER(ptr_type)()
    with owner._h as sp:
        new_fn(ctypes.byref(out), sp, *args)
        try:
            return Handle(out, free_fn, what, parent=owner._h, exclusive=True)
        except BaseException:
            free_fn(out)
            raise


def generator(h: Handle, owner: Any, step: Callable[[Any], Any]) -> Generator[Any, None, None]:
    """A generator calling ``step(iterator pointer)`` until it returns :data:`END`; frees ``h`` when done."""
    gen = _drain(h, owner, step)
    # An unstarted generator never runs its finally: free the C iterator when it is collected.
    weakref.finalize(gen, h.finalize)
    return gen


def _drain(h: Handle, owner: Optional[Any], step: Callable[[Any], Any]) -> Generator[Any, None, None]:
    # `owner` keeps the session (and through it the context) alive while the generator lives.
    try:
        while True:
            with h as p:
                item = step(p)  # copies what the iterator lends, while it is held
            if item is END:
                return
            yield item
    finally:
        h.finalize()
