"""SGD schemes: Łojasiewicz landscapes (arXiv 2102.09385), invariant laws and learning-rate-adaptive
SGD (2406.14340), averaged Adam (2501.06081).

=====================  =====================================================================
module                 what
=====================  =====================================================================
``lojasiewicz``        exact Łojasiewicz exponents (splitting lemma) and the flow law (sympy)
``mexican_hat``        a C-infinity function with a bounded, non-convergent gradient flow (sympy)
``invariant``          stationary laws of constant-step SGD, Lyapunov, Kesten moment (sympy)
``sgd_rates``          predicted rates of SGD with steps ``c n^-a`` (sympy; our heuristic)
``averaged``           the linearised stochastic Adam system and averaging (sympy)
``flow_mp``            high-precision gradient flows and measured decay laws (mpmath)
``mexican_hat_mp``     the stiff Mexican-hat flow, Radau IIA (mpmath)
``invariant_mp``       quadrature, roots and Lyapunov series (mpmath)
``exponent_np``        level-set estimate of the exponent (numpy)
``sgd_np``             vectorised SGD / momentum SGD with decaying steps (numpy)
``invariant_np``       long constant-step simulations, Hill's estimator (numpy)
``adaptive_np``        the learning-rate search conventions, ReduceLROnPlateau mirror (numpy)
``averaged_np``        Adam with geometric and arithmetic averages (numpy)
``checks``, ``claims``, ``cli``   wiring: claims and ``symadam sgd {lojasiewicz,invariant}``
=====================  =====================================================================
"""
