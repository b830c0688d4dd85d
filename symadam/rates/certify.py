"""Certified routes of the ``rates.*`` claims (``symadam verify --certify``): wiring only.

Each route takes the *derived* tuning and rate from the same place as the
claim's numeric check (``claims.tune``, ``claims_adam``'s derivations), so a
claim's sabotage reaches both; it evaluates them as Arb balls
(:func:`symadam.core.arb_bridge.to_arb`) and proves with
:mod:`symadam.rates.spectral_arb`:

* ``rates.<method>`` (GD, heavy ball, Nesterov, Adam, RMSprop): at
  ``kappa = 100`` and two seeded random rationals, the worst root modulus
  over the *whole* interval ``lambda in [mu, L]`` lies in a ball of relative
  width ``10^-30`` that contains the derived rate;
* ``rates.<method>_optimal``: at ``kappa = 100`` the tuned worst case is the
  derived rate (as above), and each parameter perturbed by a relative
  ``+-10^-3`` gives a worst case strictly above it (proven lower bound >
  upper bound of the rate).  This proves local optimality against those
  perturbations, not global optimality over the parameter domain.
"""
from __future__ import annotations

import time

import numpy as np
import sympy

from ..core.arb_bridge import arb_str, flint_or_none, to_arb, workprec
from ..core.record import Certificate
from ..core.registry import certifier
from . import claims as _claims
from . import claims_adam as _claims_adam
from .methods import KAPPA, MU, L

_DIGITS = 40
_EPS = sympy.Rational(1, 1000)          # Adam's / RMSprop's eps: the rate does not depend on it
_EPS_SYM = sympy.Symbol("eps", positive=True)


def _kappas(ctx) -> list[sympy.Rational]:
    rng = np.random.default_rng(ctx.seed_sequence(7))
    return [sympy.Integer(100)] + [sympy.Rational(int(rng.integers(2000, 10**6)), 1000)
                                   for _ in range(2)]


def _tuning(method: str):
    """(parameters, rate) as sympy expressions, from where the numeric checks take them."""
    if method == "adam":
        r = _claims_adam.adam_rate_derivation().results
        return {"gamma": r["gamma"], "beta1": r["beta1"], "eps": _EPS_SYM}, r["rate"]
    if method == "rmsprop":
        r = _claims_adam.rmsprop_rate_derivation().results
        return {"gamma": r["gamma"], "eps": _EPS_SYM}, r["rate"]
    t = _claims.tune(method)
    return dict(t.parameters), t.rate


def _balls(method: str, kappa: sympy.Rational):
    flint = flint_or_none()
    params, rate = _tuning(method)
    values = {KAPPA: flint.fmpq(int(kappa.p), int(kappa.q)), MU: flint.fmpq(1),
              L: flint.fmpq(int(kappa.p), int(kappa.q)), _EPS_SYM: flint.fmpq(1, 1000)}
    return {k: to_arb(v, values) for k, v in params.items()}, to_arb(rate, values), values[L]


def _no_flint() -> Certificate:
    return Certificate(False, "Arb ball arithmetic",
                       why_not="python-flint is not installed (extra [certify])")


def _rate_route(method: str):
    def route(ctx) -> Certificate:
        if flint_or_none() is None:
            return _no_flint()
        from .spectral_arb import bits_for, certify_worst_radius

        t0, enc, why, boxes = time.perf_counter(), {}, [], 0
        with workprec(bits_for(_DIGITS)):
            for kappa in _kappas(ctx):
                params, rho, Lb = _balls(method, kappa)
                c = certify_worst_radius(method, params, 1, Lb, digits=_DIGITS)
                boxes += c.boxes
                e = c.enclosure()
                enc[f"max_radius(kappa={kappa})"] = arb_str(e, _DIGITS + 2)
                enc[f"rate(kappa={kappa})"] = arb_str(rho, _DIGITS + 2)
                width = (e.upper() - e.lower()) / abs(e.mid())
                if not c.complete:
                    why.append(f"kappa={kappa}: box budget exhausted")
                elif not e.overlaps(rho):
                    why.append(f"kappa={kappa}: the derived rate lies outside the proven "
                               f"enclosure of the worst root modulus")
                elif not width < 10.0 ** (-_DIGITS + 1):
                    why.append(f"kappa={kappa}: enclosure wider than 1e-{_DIGITS - 1}")
        return Certificate(not why, "branch and bound over all lambda in [mu, L] in Arb balls "
                           f"(mu = 1), at kappa = 100 and 2 random rationals; relative width "
                           f"< 1e-{_DIGITS - 1}", enc, "; ".join(why) or None,
                           {"boxes": boxes, "seconds": round(time.perf_counter() - t0, 3)})
    return route


def _optimal_route(method: str):
    def route(ctx) -> Certificate:
        if flint_or_none() is None:
            return _no_flint()
        from .spectral_arb import bits_for, certify_slower, certify_worst_radius

        flint = flint_or_none()
        t0, enc, why = time.perf_counter(), {}, []
        with workprec(bits_for(_DIGITS)):
            kappa = _kappas(ctx)[0]
            params, rho, Lb = _balls(method, kappa)
            c = certify_worst_radius(method, params, 1, Lb, digits=_DIGITS)
            enc["max_radius(tuned)"] = arb_str(c.enclosure(), _DIGITS + 2)
            if not (c.complete and c.enclosure().overlaps(rho)):
                why.append("the tuned parameters' proven worst root modulus is not the derived "
                           "rate")
            tuned = [k for k in params if k != "eps"]
            for k in tuned:
                for sign in (1, -1):
                    p = dict(params)
                    p[k] = params[k] * (1 + sign * flint.arb(flint.fmpq(1, 1000)))
                    ok, r = certify_slower(method, p, 1, Lb, rho)
                    enc[f"max_radius({k}*(1{'+' if sign > 0 else '-'}1e-3))"] = arb_str(r, 20)
                    if not ok:
                        why.append(f"{k} x (1 {'+' if sign > 0 else '-'} 1e-3) not proven slower")
            enc["rate"] = arb_str(rho, 20)
        return Certificate(not why, f"the tuned worst case proven equal to the derived rate "
                           f"(branch and bound over lambda in [1, {kappa}]), and each parameter "
                           f"perturbed by a relative +-1e-3 proven slower (rigorous moduli at "
                           f"65 exact lambda, lower bound above the rate)", enc,
                           "; ".join(why) or None,
                           {"perturbations": 2 * len(tuned),
                            "seconds": round(time.perf_counter() - t0, 3)})
    return route


for _short, _method in (("gd", "gd"), ("heavy_ball", "heavy-ball"), ("nesterov", "nesterov"),
                        ("adam", "adam"), ("rmsprop", "rmsprop")):
    certifier(f"rates.{_short}")(_rate_route(_method))
    certifier(f"rates.{_short}_optimal")(_optimal_route(_method))
