"""Build notebooks/01_polyak_rates.ipynb (committed without outputs): python notebooks/_build_01.py"""
from pathlib import Path

import nbformat as nbf

cells = [
    nbf.v4.new_markdown_cell(
        "# Local rates of GD, heavy ball and Nesterov, derived from the iteration maps\n\n"
        "The rate engine linearizes each method at its fixed point on $f = \\lambda\\theta^2/2$, "
        "forms the characteristic polynomial and tunes the parameters by the active-set "
        "(equioscillation) technique. Nothing below is typed in except the lower bound and the "
        "literature formulas we compare against."),
    nbf.v4.new_code_cell(
        "import matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt\n"
        "import mpmath, sympy\nimport symadam\nfrom symadam.rates.methods import KAPPA\n"
        "tunings = {m: symadam.tune(m) for m in ('gd', 'heavy-ball', 'nesterov')}\n"
        "for m, t in tunings.items():\n    print(m, t.rate, t.parameters, t.active_set)"),
    nbf.v4.new_code_cell("tunings['nesterov'].derivation  # renders as Markdown"),
    nbf.v4.new_markdown_cell("## Compare with the literature (typed in here)"),
    nbf.v4.new_code_cell(
        "k, L, mu = KAPPA, sympy.Symbol('L', positive=True), sympy.Symbol('mu', positive=True)\n"
        "s = sympy.sqrt(k)\n"
        "symadam.assert_identity(tunings['gd'].rate, (k - 1)/(k + 1))\n"
        "symadam.assert_identity(tunings['heavy-ball'].rate, (s - 1)/(s + 1))\n"
        "symadam.assert_identity(tunings['nesterov'].rate, 1 - 2/sympy.sqrt(3*k + 1))\n"
        "symadam.assert_identity(tunings['nesterov'].parameters['h'], 4/(3*L + mu))\n"
        "print('all three rates agree with the literature')"),
    nbf.v4.new_markdown_cell(
        "## Verify by independent routes (mpmath eigenvalues, mpmath iteration)"),
    nbf.v4.new_code_cell(
        "ev = symadam.run_claims(symadam.select(['rates.gd', 'rates.heavy_ball', "
        "'rates.nesterov']), dps=50)\n"
        "for e in ev:\n    print(e.claim_id, e.status, e.digits, e.residual)\n"
        "assert all(e.status == 'verified' and e.digits >= 45 for e in ev)"),
    nbf.v4.new_code_cell(
        "from symadam.rates.iterate_mp import run_diagonal, empirical_rate\n"
        "kv = 50\n"
        "p = {n: mpmath.mpf(str(sympy.N(v.subs({L: kv, mu: 1}), 60))) "
        "for n, v in tunings['heavy-ball'].parameters.items()}\n"
        "e = run_diagonal('heavy-ball', [1, 10, 30, kv], p, 2000, [1, 1, 1, 1], dps=50)\n"
        "rho_hat, q = empirical_rate(e, dps=50)\n"
        "rho = mpmath.mpf(str(sympy.N(tunings['heavy-ball'].rate.subs(KAPPA, kv), 60)))\n"
        "print('empirical', mpmath.nstr(rho_hat, 15), 'closed form', mpmath.nstr(rho, 15), "
        "'log-n power', mpmath.nstr(q, 4))\n"
        "assert abs(rho_hat/rho - 1) < 1e-6 and abs(q - 2) < 0.01  # e_n ~ n rho^n"),
    nbf.v4.new_markdown_cell("## Rate against $\\kappa$ (log scale), with the lower bound"),
    nbf.v4.new_code_cell(
        "ks = [10**(x/20) for x in range(1, 121)]\n"
        "fig, ax = plt.subplots(figsize=(6, 4))\n"
        "for m, t in tunings.items():\n"
        "    f = sympy.lambdify(KAPPA, 1 - t.rate, 'mpmath')\n"
        "    ax.loglog(ks, [float(f(x)) for x in ks], label=f'{m}: ' + '$1-' + "
        "sympy.latex(t.rate) + '$')\n"
        "lb = lambda x: 1 - (x**0.5 - 1)/(x**0.5 + 1)\n"
        "ax.loglog(ks, [lb(x) for x in ks], 'k:', lw=3, label='lower bound')\n"
        "ax.set_xlabel('$\\\\kappa$'); ax.set_ylabel('$1 - \\\\rho$'); ax.legend(fontsize=7)\n"
        "fig.tight_layout()\n"
        "gap = [float(sympy.N(tunings['heavy-ball'].rate.subs(KAPPA, x))) - "
        "(1 - lb(x)) for x in ks[::10]]\n"
        "assert max(abs(g) for g in gap) < 1e-12  # heavy ball attains the lower bound"),
]


def build() -> None:
    """Write the notebook with deterministic cell ids (no outputs)."""
    for i, cell in enumerate(cells):
        cell["id"] = f"polyak-{i:02d}"
    nb = nbf.v4.new_notebook(cells=cells, metadata={"kernelspec": {
        "name": "python3", "display_name": "Python 3", "language": "python"}})
    Path(__file__).with_name("01_polyak_rates.ipynb").write_text(nbf.writes(nb))


if __name__ == "__main__":  # not on import: pytest's doctest collection imports this file
    build()
