"""The Adam vector field: the field whose zeros Adam converges to (arXiv 2407.21078, 2511.06675).

====================  ============  =================================================
module                route         what
====================  ============  =================================================
``laws``              sympy         data laws (one class), specs, exact moments
``irwin_hall``        sympy         batch means of uniform data
``laplace``           sympy         Laplace functionals behind the exact evaluation
``bias``              sympy         the first-order bias of Adam's limit
``field_mp``          mpmath        exact evaluation of the field and its zeros
``_quadrature_mp``    mpmath        the integrand over the kernel variable, its tail
``_history_mp``       mpmath        the product over the history: Euler--Maclaurin
``_chebyshev_mp``     mpmath        Chebyshev panels (interpolation, ODE, quadrature)
``_law_mp``           mpmath        the gradient law: Laplace functionals, moments
``checks_mp``         mpmath        independent checks used by the claims
``lsq_mp``            mpmath        the field of least squares in d dimensions
``mc_np``             numpy         Monte Carlo estimator of the field
``sim_np``            numpy         stochastic Adam simulated (vectorized)
``claims``            --            claims ``avf.*`` (``claims_sim``: ``avf.sim_*``)
``cli``               --            ``symadam avf``
====================  ============  =================================================
"""
