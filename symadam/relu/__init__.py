"""The generalized gradient of ReLU networks (arXiv 2501.15646).

==================  ======  ====================================================
module              route   what
==================  ======  ====================================================
``gradient_exact``  sympy   exact derivations of the generalized gradient
``checks_np``       numpy   sampled problems with kinks on data, exact differences
``smooth_np``       numpy   the approximation procedure ``R_r -> relu``
``risk_mp``         mpmath  the empirical risk in mpmath arithmetic
``claims``          --      claims ``relu.*``
==================  ======  ====================================================
"""
