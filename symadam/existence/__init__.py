"""Existence of minimizers: ReLU attains the infimum, smooth activations do not
(arXiv 2303.03950, 2302.14690, 2505.09572).

==================  ======  ===================================================
module              route   what
==================  ======  ===================================================
``piecewise``       sympy   piecewise polynomial targets and densities
``kinks``           sympy   ReLU networks in kink form, exact cell risks
``relu_exact``      sympy   exact global minimizers of the 1-D ReLU risk
``_polysolve``      sympy   exact real solutions of the small kink systems
``responses``       sympy   generalized responses and why they never win
``smooth_exact``    sympy   smooth activations: the infimum is not attained
``flow_np``         numpy   gradient flows (stiff ODE) and growth-law fits
``claims``          --      claims ``existence.*``
``cli``             --      ``symadam existence``
==================  ======  ===================================================
"""
