"""The Morse property of shallow analytic networks at efficient minimizers (arXiv 2504.08867).

===================  ======  =================================================
module               route   what
===================  ======  =================================================
``exact``            sympy   exact derivations behind the claims
``hessian_exact``    sympy   exact Hessians of tiny shallow networks
``critical_np``      numpy   critical points: search, certificate, classes
``efficiency_np``    numpy   efficient versus redundant parameters
``redundant_np``     numpy   constructed redundant critical points
``local_rates_np``   numpy   measured local rates of GD, heavy ball and Adam
``certify_mp``       mpmath  risk, gradient, Hessian, Newton refinement in mpmath
``sweep``            both    the sweep pipeline: float64 search, mpmath certificate
``claims``           --      claims ``morse.*``
``cli``              --      ``symadam morse``
===================  ======  =================================================
"""
