"""float64 numpy/scipy layer: networks, risks, gradients, Hessians, simulations."""
from .activations import ACTIVATIONS, get_activation
from .networks import Network

__all__ = ["Network", "ACTIVATIONS", "get_activation"]
