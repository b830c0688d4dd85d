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
from .claims import CheckContext, Claim, Evidence, load_all, run_claims, select
from .numeric.networks import Network
from .parallel import make_executor
from .precision.identity import agreeing_digits, assert_identity
from .symbolic.derivation import Derivation, Step

__version__ = "0.1.0"

# -- public re-exports added by each capability (keep one line per import) --
from .precision.avf import avf_value, avf_zero  # noqa: E402  avf (issue 4)
from .symbolic.avf_bias import first_order_bias  # noqa: E402  avf (issue 4)
from .numeric.adam_sim import simulate_adam  # noqa: E402  avf (issue 4)
from .symbolic.relu_exact_minimizer import exact_minimizer  # noqa: E402  existence (issue 7)
from .numeric.gradient_flow import gradient_flow, fit_power_law  # noqa: E402  existence (issue 7)
from .numeric.morse import morse_sweep  # noqa: E402  morse (issue 6)
from .numeric.hessian import risk_hessian  # noqa: E402  morse (issue 6)
from .symbolic.adam_linearization import linearize_adaptive  # noqa: E402  adam-rates (issue 3)
from .precision.adam_iterate import adam_iterate  # noqa: E402  adam-rates (issue 3)
from .symbolic.rate_engine import Tuning, characteristic_polynomial, linearize, local_rate, tune  # noqa: E402,E501
from .symbolic.methods import METHODS, IterationMap, Parameter, register_method  # noqa: E402
from .numeric.smooth_relu import approximation_gradient, smooth_relu  # relu (issue 5)
from .numeric.backprop import backprop_gradient, relu_d1_at_zero  # relu (issue 5)
from .numeric.population import population_risk  # relu (issue 5)

__all__ = [
    "Claim", "Evidence", "CheckContext", "load_all", "select", "run_claims",
    "Network", "make_executor", "assert_identity", "agreeing_digits",
    "Derivation", "Step",
]
__all__ += ["smooth_relu", "approximation_gradient", "backprop_gradient", "relu_d1_at_zero",
            "population_risk"]  # relu (issue 5)
__all__ += ["tune", "local_rate", "linearize", "characteristic_polynomial", "Tuning",
            "METHODS", "IterationMap", "Parameter", "register_method"]
__all__ += ["linearize_adaptive", "adam_iterate"]  # adam-rates (issue 3)
__all__ += ["morse_sweep", "risk_hessian"]  # morse (issue 6)
__all__ += ["exact_minimizer", "gradient_flow", "fit_power_law"]  # existence (issue 7)
__all__ += ["avf_value", "avf_zero", "first_order_bias", "simulate_adam"]  # avf (issue 4)
