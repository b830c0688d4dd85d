"""Optional PyTorch reference implementations (extra ``[oracle]``, float64, CPU).

Importing this package never imports torch; use :func:`torch_or_none`.
"""
from __future__ import annotations

__all__ = ["torch_or_none"]


def torch_or_none():
    """The ``torch`` module if the oracle extra is installed, else None.

    Examples
    --------
    >>> t = torch_or_none()
    >>> t is None or t.__name__ == "torch"
    True
    """
    try:
        import torch
    except ImportError:
        return None
    return torch
