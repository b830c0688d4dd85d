"""Adam's a priori bounds, stability region and non-convergence (arXiv 2603.18899, 2407.08100,
2509.10476).

Notation (once for the topic): the papers write alpha for Adam's ``beta1``, beta for ``beta2``
and gamma for the learning rate; we write ``beta1``, ``beta2``, ``gamma`` and ``eps`` (outside
the root, as in ``torch.optim.Adam``).  Bias-corrected Adam, componentwise::

    m_n = beta1 m_{n-1} + (1-beta1) g_n,   v_n = beta2 v_{n-1} + (1-beta2) g_n^2,
    theta_n = theta_{n-1} - gamma mhat_n/(eps + sqrt(vhat_n)),
    mhat_n = m_n/(1-beta1^n),   vhat_n = v_n/(1-beta2^n),   m_0 = v_0 = 0.

=================  ============  ======================================================
module             route         what
=================  ============  ======================================================
``step``           sympy         the sharp step bound C_n, its extremal sequence, C_inf
``apriori``        sympy         the a priori bound B (theorem and proof), its constant
``stability``      sympy         the stability region of the linearization (Jury), the
                                 period-2 orbit beyond it and the orbit's stability
``rms``            sympy         the kernel of 1/(eps + sqrt v)^2, the RMS step of +-1 data
``step_mp``        mpmath        Adam's recursion at high precision (ratio of a sequence)
``orbit_mp``       mpmath        Jacobians of the Adam step, long high-precision orbits
``rms_mp``         mpmath        the RMS step E[(M/(eps+sqrt V))^2]^(1/2) by the Laplace
                                 route of the Adam vector field
``search_np``      numpy/scipy   multistart maximisation of |mhat_n|/sqrt(vhat_n)
``sim_np``         numpy         vectorised Adam / GD / heavy ball, adversarial sequences,
                                 frozen-theta moment chains, memory estimates
``claims``         --            claims ``bounds.*``
``cli``            --            ``symadam bounds {step,stability,rms-step}``
=================  ============  ======================================================

The second-order bias of Adam's limit (arXiv 2511.06675) lives with the Adam vector field:
:mod:`symadam.avf.bias_order2`.
"""
