"""Float64 shallow and deep networks, shared by the ``relu``, ``morse`` and ``existence`` topics.

=================  ============================================================
module             what (numpy/scipy, float64)
=================  ============================================================
``activations``    activation functions with first and second derivatives
``base``           :class:`NetworkBase`: parameter layout and forward pass
``network``        :class:`Network`: risks, generalized gradient, Hessian
``backprop``       backpropagation, batched over parameter vectors
``population``     population risk for 1-D inputs
``hessian``        exact gradients and Hessians of the empirical risk
``problems``       seeded random regression problems
=================  ============================================================
"""
from .activations import ACTIVATIONS, get_activation
from .network import Network

__all__ = ["Network", "ACTIVATIONS", "get_activation"]
