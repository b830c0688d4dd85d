"""Local convergence rates: GD, heavy ball, Nesterov, RMSprop and Adam near a strict minimizer.

=========================  ======  ====================================================
module                     route   what
=========================  ======  ====================================================
``methods/``               sympy   one file per optimizer, an :class:`IterationMap` each
``engine``                 sympy   the rate engine: linearization, active sets, tuning
``adam_linearization``     sympy   Adam and RMSprop at the degenerate fixed point
``adam_tuning``            sympy   Adam's and RMSprop's tunings and optimality (engine)
``iterate_mp``             mpmath  the methods iterated on diagonal quadratics
``spectral_mp``            mpmath  worst-case spectral radii over the spectrum
``adam_iterate_mp``        mpmath  bias-corrected Adam and RMSprop iterated, rates measured
``adam_jacobian_mp``       mpmath  numeric Jacobians of the Adam step
``optimizers_np``          numpy   the float64 Adam and RMSprop steps (the oracle checks them)
``claims``                 --      claims ``rates.*`` (with ``claims_adam``)
``cli``                    --      ``symadam rate``
=========================  ======  ====================================================
"""
