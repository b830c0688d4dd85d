"""The framework for iteration maps: a method is defined once, as a map on its state.

An :class:`IterationMap` holds the state symbols, the parameters (with their
domains and the papers' names for them), and a ``step`` function that maps a
state to the next state given a gradient oracle.  Everything the rate engine
(:mod:`symadam.rates.engine`) derives -- the linearization at the fixed
point, the characteristic polynomial, the optimal tuning and its rate -- is
computed from this object alone.

Shared symbols (use these, so that results from different methods combine):

==========  ===============================================================
``LAM``     ``lambda``: a Hessian eigenvalue of the quadratic
            ``f(theta) = lambda theta^2 / 2`` (gradient ``lambda theta``)
``MU, L``   ``mu, L``: the ends of the spectrum, ``0 < mu <= lambda <= L``
``KAPPA``   ``kappa = L / mu`` (the papers write chi or x)
``Z``       ``z``: the variable of characteristic polynomials
``RHO``     ``rho``: a rate (root modulus)
``N``       ``n``: the iteration counter (for bias corrections)
==========  ===============================================================

Writing a new method (this is how Adam and RMSprop slot in)::

    gamma, eps = sympy.symbols("gamma epsilon", positive=True)
    def _step(state, grad, n=None):
        theta, = state
        return (theta - gamma * grad(theta) / eps,)
    METHOD = IterationMap(
        name="my-method", title="...", state=(THETA,),
        params=(Parameter(gamma, "learning rate (papers: gamma)", scale=-1),
                Parameter(eps, "denominator offset", tuned=False, scale=0)),
        step=_step, fixed_point=(0,), equations=r"\\theta_{n+1} = ...",
        reference="...")
    register_method(METHOD)          # from symadam.rates.methods

``n`` is the iteration counter (a sympy expression) for time-dependent maps
such as Adam's bias correction; ``n=None`` asks for the stationary map (the
limit ``n -> oo``), which is what the rate engine linearizes.  A method whose
fixed point is not a smooth point of its map (Adam: ``sqrt(v)`` at ``v = 0``)
passes ``linearize=`` a function returning the matrix that governs theta and
the sentences justifying it (see :class:`IterationMap`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

import sympy

from ...core.expr import to_rational

__all__ = [
    "LAM", "MU", "L", "KAPPA", "Z", "RHO", "N", "THETA", "THETA_PREV",
    "Parameter", "IterationMap", "quadratic_gradient",
]

LAM = sympy.Symbol("lambda", positive=True)
MU = sympy.Symbol("mu", positive=True)
L = sympy.Symbol("L", positive=True)
KAPPA = sympy.Symbol("kappa", positive=True)
Z = sympy.Symbol("z")
RHO = sympy.Symbol("rho", positive=True)
N = sympy.Symbol("n", positive=True, integer=True)
THETA = sympy.Symbol("theta", real=True)
THETA_PREV = sympy.Symbol("theta_prev", real=True)


@dataclass(frozen=True)
class Parameter:
    """A parameter of an iteration map.

    Parameters
    ----------
    symbol : sympy.Symbol
        The symbol used in the map (code name, e.g. ``h``, ``beta``).
    doc : str
        What it is, including the papers' names for it.
    lower, upper : sympy expressions or None
        The admissible domain (None: unbounded on that side).
    lower_open, upper_open : bool
        Whether the domain ends are excluded.
    scale : int
        How the parameter scales with curvature: for every ``c > 0`` the
        map on ``c * lambda`` with parameter ``c**scale * p`` has the same
        linearization as on ``lambda`` with ``p`` (a step size has
        ``scale=-1``, a momentum ``scale=0``).  The engine checks this
        symbolically and uses it to write tuned parameters in ``L, mu``.
    tuned : bool
        Whether the engine tunes it (False: it stays a free symbol in the
        results, e.g. Adam's ``eps`` and ``beta2``).

    Examples
    --------
    >>> h = sympy.Symbol("h", positive=True)
    >>> p = Parameter(h, "step size", lower=sympy.Integer(0), lower_open=True, scale=-1)
    >>> p.admits(sympy.Rational(1, 2)), p.admits(0)
    (True, False)
    """

    symbol: sympy.Symbol
    doc: str
    lower: Any = None
    upper: Any = None
    lower_open: bool = True
    upper_open: bool = True
    scale: int = 0
    tuned: bool = True

    def admits(self, value: Any, tol: float = 1e-12) -> bool:
        """Whether a real number lies in the domain (``tol``: slack at open ends).

        Examples
        --------
        >>> b = Parameter(sympy.Symbol("beta"), "momentum", lower=0, upper=1,
        ...               lower_open=False)
        >>> b.admits(0), b.admits(1), b.admits(sympy.sqrt(2) - 1)
        (True, False, True)
        """
        v = (to_rational(value, str(self.symbol)) if isinstance(value, str)  # no eval of text
             else sympy.sympify(value, strict=True))
        if not v.is_number:
            return False
        if tol == 0 and v.is_Rational:  # exact: 1e-999 is not 0.0
            lo, hi = (None if b is None else sympy.sympify(b) for b in (self.lower, self.upper))
            return ((lo is None or (v > lo if self.lower_open else v >= lo))
                    and (hi is None or (v < hi if self.upper_open else v <= hi)))
        v = complex(v.evalf(30))
        if abs(v.imag) > tol * (1 + abs(v.real)):
            return False
        x = v.real
        if self.lower is not None:
            lo = float(sympy.sympify(self.lower))
            if x < lo - tol or (self.lower_open and x <= lo + tol):
                return False
        if self.upper is not None:
            hi = float(sympy.sympify(self.upper))
            if x > hi + tol or (self.upper_open and x >= hi - tol):
                return False
        return True

    def domain(self) -> str:
        """The domain as an interval, e.g. ``[0, 1)``.

        Examples
        --------
        >>> beta = Parameter(sympy.Symbol("beta"), "momentum", lower=0, upper=1, lower_open=False)
        >>> beta.domain()
        '[0, 1)'
        """
        lo = "-oo" if self.lower is None else str(self.lower)
        hi = "oo" if self.upper is None else str(self.upper)
        return (f"{'(' if self.lower_open or self.lower is None else '['}{lo}, "
                f"{hi}{')' if self.upper_open or self.upper is None else ']'}")

    def check(self, value: Any) -> Any:
        """Return ``value`` if it is a finite real number in the domain, else a ValueError.

        No slack at open ends (unlike :meth:`admits`): ``eps = 1e-15`` is a valid offset.

        Examples
        --------
        >>> eps = Parameter(sympy.Symbol("eps"), "offset", lower=0, tuned=False)
        >>> eps.check(1e-15)
        1e-15
        >>> eps.check(0)
        Traceback (most recent call last):
        ...
        ValueError: eps must be in (0, oo), got 0
        """
        from ...core.validate import check_real

        name = self.symbol.name
        check_real(name, value)
        v = value if isinstance(value, sympy.Basic) else sympy.Rational(str(value))
        if not self.admits(v, tol=0):
            raise ValueError(f"{name} must be in {self.domain()}, got {value!r}")
        return value


def quadratic_gradient(lam: Any = LAM) -> Callable[[Any], Any]:
    """The gradient oracle of ``f(theta) = lam * theta**2 / 2``: ``theta -> lam * theta``.

    Examples
    --------
    >>> quadratic_gradient()(THETA)
    lambda*theta
    """
    return lambda theta: lam * theta


@dataclass(frozen=True)
class IterationMap:
    """An optimizer defined once, as a map on its state.

    Parameters
    ----------
    name : str
        Registry key and CLI name, e.g. ``"heavy-ball"``.
    title : str
        Human-readable name, e.g. ``"Polyak's heavy ball"``.
    state : tuple of sympy.Symbol
        The state variables; ``state[observed]`` is the iterate theta.
    params : tuple of Parameter
        The parameters, in display order.
    step : callable ``(state, grad, n=None) -> tuple``
        The new state as sympy expressions, given the current state (a
        tuple of expressions), a gradient oracle ``grad(theta)`` and the
        iteration counter ``n`` (None: the stationary map, ``n -> oo``).
    fixed_point : tuple
        The state at the fixed point when the minimizer is ``theta* = 0``.
    equations : str
        The update in LaTeX (for derivations and docs).
    reference : str
        Where the method comes from (paper, or ``"standard"``).
    observed : int
        Index of theta in the state (default 0).
    linearize : callable or None
        Override of the engine's linearization: ``linearize(method, lam)``
        returns ``(matrix, sentences)``, the matrix whose spectrum governs
        theta near the fixed point and the reasons (sentences, LaTeX
        inline).  Use it when the map is not differentiable at the fixed
        point, or when a block of the Jacobian does not feed into theta.
    notes : str
        Anything else a reader should know (conventions, papers' letters).

    Examples
    --------
    >>> from symadam.rates.methods import METHODS
    >>> gd = METHODS["gd"]
    >>> gd.step((THETA,), quadratic_gradient())
    (-h*lambda*theta + theta,)
    >>> [p.symbol.name for p in METHODS["heavy-ball"].tuned_params]
    ['h', 'beta']
    """

    name: str
    title: str
    state: tuple
    params: tuple
    step: Callable[..., Sequence[Any]]
    fixed_point: tuple
    equations: str
    reference: str = "standard"
    observed: int = 0
    linearize: Callable[..., Any] | None = None
    notes: str = ""

    @property
    def tuned_params(self) -> tuple:
        """The parameters the engine tunes (``Parameter.tuned``).

        Examples
        --------
        >>> from symadam.rates.methods import get_method
        >>> [p.symbol.name for p in get_method("heavy-ball").tuned_params]
        ['h', 'beta']
        """
        return tuple(p for p in self.params if p.tuned)

    @property
    def param_symbols(self) -> tuple:
        """All parameter symbols, in display order.

        Examples
        --------
        >>> from symadam.rates.methods import get_method
        >>> get_method("nesterov").param_symbols
        (h, beta)
        """
        return tuple(p.symbol for p in self.params)

    def parameter(self, name: str) -> Parameter:
        """The parameter whose symbol is called ``name``.

        Examples
        --------
        >>> from symadam.rates.methods import METHODS
        >>> METHODS["gd"].parameter("h").scale
        -1
        """
        for p in self.params:
            if p.symbol.name == name:
                return p
        raise ValueError(f"parameter must be one of "
                         f"{', '.join(q.symbol.name for q in self.params)}; got {name!r}")
