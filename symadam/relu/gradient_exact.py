"""Exact derivations for the ReLU generalized gradient (arXiv 2501.15646), sympy only.

* :func:`generalized_gradient_derivation`: the backpropagation formulas with
  ``relu'(0) = 0`` that define ``G``.
* :func:`hermite_family_derivation`: the admissible C^2 family ``R_r(z) =
  P(r z)/r`` (Hermite interpolation, solved exactly) and why it reproduces
  ``G`` exactly at every depth, versus plain softplus (``R_r'(0) = 1/2``).
* :func:`kink_minimum_derivation`: a 1-neuron network whose risk has a local
  minimum at which ``G != 0`` (proof by an exact expansion of the risk).
* :func:`deep_kink_derivation`: a depth-2 example in which the shifted
  softplus approximation converges to a vector different from ``G``.
"""
from __future__ import annotations

import sympy
from sympy import Rational, symbols

from ..core.derivation import Derivation

__all__ = ["generalized_gradient_derivation", "hermite_family_derivation",
           "hermite_polynomial", "kink_minimum_derivation", "kink_minimum_data",
           "deep_kink_derivation"]

T = sympy.Symbol("t", real=True)


def generalized_gradient_derivation() -> Derivation:
    """The definition of ``G`` by backpropagation with ``relu'(0) = 0``.

    Examples
    --------
    >>> len(generalized_gradient_derivation().steps) >= 3
    True
    """
    d = Derivation("The generalized gradient G of a deep ReLU network")
    d.add(r"Layers $z_l = W_l a_{l-1} + b_l$, $a_l = \max(z_l, 0)$ ($a_0 = x$), output "
          r"$N_\theta(x) = z_{D+1}$; risk $L(\theta) = \frac1n\sum_i (N_\theta(x_i) - y_i)^2$.")
    d.add(r"Backward pass: $\delta_{D+1,i} = \frac2n (N_\theta(x_i) - y_i)$, "
          r"$\delta_{l,i} = (W_{l+1}^\top \delta_{l+1,i}) \odot \mathbb 1_{(0,\infty)}(z_{l,i})$, "
          r"i.e.\ $\mathrm{relu}'(0) := 0$.")
    d.add(r"$G_{W_l} = \sum_i \delta_{l,i} a_{l-1,i}^\top$, $G_{b_l} = \sum_i \delta_{l,i}$. "
          r"Where no $z_{l,i}$ vanishes, $L$ is a polynomial near $\theta$ and $G = \nabla L$.")
    z = sympy.Symbol("z", real=True)
    d.add("The derivative used at the kinks:", sympy.Piecewise((1, z > 0), (0, True)),
          r"\mathrm{relu}'(z)")
    return d


def hermite_polynomial() -> sympy.Expr:
    """The quintic ``P`` with ``P = P' = P'' = 0`` at 0 and ``P = P' = 1, P'' = 0`` at 1.

    Examples
    --------
    >>> hermite_polynomial()
    3*t**5 - 8*t**4 + 6*t**3
    """
    a, b, c = symbols("a b c")
    P = a * T**3 + b * T**4 + c * T**5
    sol = sympy.solve([P.subs(T, 1) - 1, sympy.diff(P, T).subs(T, 1) - 1,
                       sympy.diff(P, T, 2).subs(T, 1)], [a, b, c], dict=True)[0]
    return sympy.expand(P.subs(sol))


def hermite_family_derivation() -> Derivation:
    """Admissibility of ``R_r(z) = P(r z)/r`` and its exactness at data.

    Examples
    --------
    >>> hermite_family_derivation().results["max_dP"]
    189/125
    """
    d = Derivation("An admissible C^2 family R_r that reproduces G exactly")
    P = hermite_polynomial()
    d.add(r"Let $P(t) = 0$ for $t \le 0$, $P(t) = t$ for $t \ge 1$, and on $[0,1]$ the "
          r"polynomial $a t^3 + b t^4 + c t^5$ matching value, slope and curvature at $t = 1$ "
          r"(at $t = 0$ all three vanish):", P, "P(t)")
    dP = sympy.diff(P, T)
    crit = [c for c in sympy.solve(sympy.diff(dP, T), T) if c.is_real and 0 < c < 1]
    mx = max([dP.subs(T, c) for c in crit] + [Rational(1)])
    d.add(r"Hence $P \in C^2(\mathbb R)$ and $0 \le P' \le \max_{[0,1]} P'$, attained at "
          r"$t = 3/5$:", mx, r"\max P'")
    d.add(r"$R_r(z) = P(rz)/r$ equals $\max(z, 0)$ outside $(0, 1/r)$, so "
          r"$\sup_z |R_r(z) - \max(z,0)| \le \max_{[0,1]}|P(t) - t|/r \to 0$, "
          r"$R_r'(z) = P'(rz) \to \mathbb 1_{(0,\infty)}(z)$ for every $z$ "
          r"($R_r'(z) = 0$ for $z \le 0$, $= 1$ for $z \ge 1/r$), and $|R_r'| \le 189/125$.")
    d.add(r"For the empirical risk, once $1/r < \min\{z_{l,j}(x_i) > 0\}$ every hidden "
          r"pre-activation at a data point lies outside $(0, 1/r)$; there $R_r$ and $R_r'$ "
          r"coincide with $\max(\cdot, 0)$ and $\mathbb 1_{(0,\infty)}$, layer by layer, so "
          r"$\nabla L_r(\theta) = G(\theta)$ exactly, at every depth.")
    r = sympy.Symbol("r", positive=True)
    sp = sympy.log(1 + sympy.exp(r * T)) / r
    d.add(r"Plain softplus $R_r(z) = \log(1 + e^{rz})/r$ has, for every $r$,",
          sympy.cancel(sympy.diff(sp, T).subs(T, 0)), r"R_r'(0)")
    d.results["P"] = P
    d.results["max_dP"] = mx
    return d


def kink_minimum_data(s: sympy.Expr = Rational(1, 4)) -> dict:
    """The local-minimum example: data, parameters and ``G`` (exact rationals).

    Network ``N(x) = v relu(w x + b) + c`` (widths ``(1, 1, 1)``, flat layout
    ``(w, b, v, c)``) at ``theta* = (1, 0, 1, 0)``; data ``x = (0, 1, 2)``,
    ``y = (-s, 1 + 2s, 2 - s)`` with ``s > 0``.

    Examples
    --------
    >>> kink_minimum_data()["G"]
    [0, -1/6, 0, 0]
    """
    s = s if isinstance(s, sympy.Basic) else sympy.Rational(s)
    x = [Rational(0), Rational(1), Rational(2)]
    y = [-s, 1 + 2 * s, 2 - s]
    theta = [Rational(1), Rational(0), Rational(1), Rational(0)]
    w, b, v, c = theta
    z = [w * xi + b for xi in x]
    act = [1 if zi > 0 else 0 for zi in z]
    res = [c + v * max(zi, 0) - yi for zi, yi in zip(z, y)]
    n = len(x)
    G = [sum(Rational(2, n) * ri * v * ai * xi for ri, ai, xi in zip(res, act, x)),
         sum(Rational(2, n) * ri * v * ai for ri, ai in zip(res, act)),
         sum(Rational(2, n) * ri * max(zi, 0) for ri, zi in zip(res, z)),
         sum(Rational(2, n) * ri for ri in res)]
    return {"x": x, "y": y, "theta": theta, "residuals": res, "G": G, "s": s}


def kink_minimum_derivation() -> Derivation:
    """Proof that ``theta*`` of :func:`kink_minimum_data` is a local minimum with ``G != 0``.

    Examples
    --------
    >>> d = kink_minimum_derivation()
    >>> d.results["G_b"]
    -2*s/3
    """
    s = sympy.Symbol("s", positive=True)
    dw, db, dv, dc = symbols("d_w d_b d_v d_c", real=True)
    data = kink_minimum_data(s)
    r = data["residuals"]
    d = Derivation("A local minimum of the ReLU risk at which G does not vanish")
    d.add(r"Network $N(x) = v\max(wx + b, 0) + c$, data $x = (0, 1, 2)$, "
          r"$y = (-s, 1 + 2s, 2 - s)$ with $s > 0$, point "
          r"$\theta^* = (w, b, v, c) = (1, 0, 1, 0)$: "
          r"$N = (0, 1, 2)$, residuals $r = N - y$:", sympy.Matrix(r).T, "r")
    d.add(r"The kink of the neuron sits on the data point $x = 0$ ($z = b = 0$). "
          r"$G$ (with $\mathrm{relu}'(0) = 0$):", sympy.Matrix(data["G"]).T, "G(\\theta^*)")
    d.add(r"Perturb $\theta^* + (d_w, d_b, d_v, d_c)$ with $\|d\|_\infty < 1/2$: the points "
          r"$x = 1, 2$ stay active ($z = 1 + d_w + d_b$, $2 + 2d_w + d_b > 0$) and "
          r"$z(0) = d_b$.  With $\Delta N_i$ the exact change of $N(x_i)$, "
          r"$\Delta L = \frac13 \sum_i (2 r_i \Delta N_i + \Delta N_i^2)$.")
    dN_act = [dc + (1 + dv) * ((1 + dw) * xi + db) - xi for xi in (1, 2)]
    for side, dN0 in (("d_b \\le 0", dc), ("d_b > 0", dc + (1 + dv) * db)):
        lin = sympy.factor(sympy.expand(r[0] * dN0 + r[1] * dN_act[0] + r[2] * dN_act[1]))
        d.add(f"Case ${side}$: " + r"$\sum_i r_i \Delta N_i$ equals", lin, r"\sum_i r_i\Delta N_i")
        d.results["linear_term_" + ("neg" if "le" in side else "pos")] = lin
    d.add(r"For $d_b \le 0$ this is $s\,|d_b|(1 + d_v) \ge 0$ (as $d_v > -1$), for $d_b > 0$ it "
          r"is $0$; in both cases $\Delta L \ge \frac13\sum_i \Delta N_i^2 \ge 0$. Hence "
          r"$\theta^*$ is a local minimum (not strict: ReLU rescalings keep $L$ constant), "
          r"while $G_b(\theta^*) = -2s/3 \neq 0$; the one-sided derivatives in $b$ are "
          r"$-2s/3$ (left, $= G_b$) and $0$ (right).")
    d.results["G_b"] = data["G"][1]
    return d


def deep_kink_derivation() -> Derivation:
    """Shifted softplus at a second-layer kink: the limit is not ``G``.

    Examples
    --------
    >>> deep_kink_derivation().results["limit_dR_at_layer2"]
    1
    """
    r = sympy.Symbol("r", positive=True)
    z = sympy.Symbol("z", real=True)
    R = sympy.log(1 + sympy.exp(r * z - sympy.log(r))) / r
    d = Derivation("Deep kinks: pointwise hypotheses do not fix the limit")
    d.add(r"Shifted softplus $R_r(z) = \log(1 + e^{rz}/r)/r$: $R_r \to \max(z, 0)$ "
          r"uniformly, $R_r'(z) = (1 + r e^{-rz})^{-1} \to \mathbb 1_{(0,\infty)}(z)$ "
          r"pointwise, $0 < R_r' < 1$; so it satisfies the pointwise hypotheses.")
    z2 = -2 * R.subs(z, 1) + 2
    d.add(r"Widths $(1,1,1,1)$, $\theta = (w_1, b_1, w_2, b_2, v, c) = (1, 0, -2, 2, 1, 0)$, "
          r"data point $x = 1$: $z_1 = 1$, $z_2 = -2\max(1,0) + 2 = 0$, a kink of layer 2 on "
          r"the data point.  With $R_r$ the layer-2 pre-activation is", z2, r"z_2^{(r)}")
    arg = sympy.log(r) - 2 * sympy.log(1 + r * sympy.exp(-r))
    # exp(r z2 - log r) = e^{2r} / (r (1 + e^r/r)^2) = r / (1 + r e^{-r})^2 = exp(arg):
    check = sympy.expand((sympy.exp(r) + r) ** 2 - r ** 2 * (1 + sympy.exp(r) / r) ** 2)
    if check != 0:  # pragma: no cover - an algebra slip would be caught here
        raise AssertionError("deep kink exponent identity failed")
    d.add(r"and, since $e^{2r}/(r(1 + e^r/r)^2) = r/(1 + r e^{-r})^2$,", arg,
          r"r z_2^{(r)} - \log r")
    d.add(r"which tends to", sympy.limit(arg, r, sympy.oo))
    lim = sympy.limit(1 / (1 + sympy.exp(-arg)), r, sympy.oo)
    d.add(r"so $R_r'(z_2^{(r)}) = (1 + e^{-(r z_2^{(r)} - \log r)})^{-1}$ tends to", lim,
          r"\lim_r R_r'(z_2^{(r)})")
    d.add(r"whereas $G$ uses $\mathrm{relu}'(0) = 0$ there: $\lim_r \nabla L_r(\theta)$ is "
          r"backpropagation with $\mathrm{relu}'(0) = 1$ at that neuron, a different vector. "
          r"The value error $R_r(1) - 1 \approx -\log r / r$ of layer 1 moves $z_2$ to "
          r"$\approx 2\log r / r$, beyond the point $\log r / r$ where $R_r'$ passes $1/2$.")
    d.results["limit_dR_at_layer2"] = lim
    return d
