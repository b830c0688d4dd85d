"""symadam: executable, checkable mathematics for Adam and shallow network landscapes.

Layers (imports flow down): ``cli``/``report`` -> ``claims`` -> ``symbolic``
(sympy), ``precision`` (mpmath), ``numeric`` (numpy/scipy), ``oracle``
(optional torch); ``parallel`` holds the one executor abstraction.

Examples
--------
>>> import symadam
>>> symadam.Network((1, 3, 1), "tanh").num_params
10
"""
from .avf.bias import first_order_bias
from .avf.field_mp import avf_value, avf_zero
from .avf.sim_np import simulate_adam
from .core import CheckContext, Claim, Evidence, load_all, run_claims, select
from .core.derivation import Derivation, Step
from .core.identity import agreeing_digits, assert_identity
from .core.parallel import make_executor
from .existence.flow_np import fit_power_law, gradient_flow
from .existence.relu_exact import exact_minimizer
from .morse.sweep import morse_sweep
from .networks.backprop import backprop_gradient, relu_d1_at_zero
from .networks.hessian import risk_hessian
from .networks.network import Network
from .networks.population import population_risk
from .rates.adam_iterate_mp import adam_iterate
from .rates.adam_linearization import linearize_adaptive
from .rates.engine import Tuning, characteristic_polynomial, linearize, local_rate, tune
from .rates.methods import METHODS, IterationMap, Parameter, register_method
from .relu.smooth_np import approximation_gradient, smooth_relu

__version__ = "0.1.0"

__all__ = [
    # claims and the main job
    "Claim", "Evidence", "CheckContext", "load_all", "select", "run_claims", "make_executor",
    # exact derivations and identity checks
    "Derivation", "Step", "assert_identity", "agreeing_digits",
    # local rates (issues 2, 3)
    "tune", "local_rate", "linearize", "characteristic_polynomial", "Tuning", "METHODS",
    "IterationMap", "Parameter", "register_method", "linearize_adaptive", "adam_iterate",
    # the Adam vector field (issue 4)
    "avf_value", "avf_zero", "first_order_bias", "simulate_adam",
    # networks, ReLU generalized gradient (issue 5)
    "Network", "smooth_relu", "approximation_gradient", "backprop_gradient", "relu_d1_at_zero",
    "population_risk",
    # Morse property (issue 6)
    "morse_sweep", "risk_hessian",
    # existence of minimizers (issue 7)
    "exact_minimizer", "gradient_flow", "fit_power_law",
]
