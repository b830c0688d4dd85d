"""Build notebooks/05_morse_property.ipynb without outputs: python notebooks/_make_05_morse_property.py"""
import nbformat as nbf
nb = nbf.v4.new_notebook()
cells = []
md = lambda s: cells.append(nbf.v4.new_markdown_cell(s))
code = lambda s: cells.append(nbf.v4.new_code_cell(s))
md("""# 05 — The Morse property of shallow analytic networks (arXiv 2504.08867)

Benning & Dereich: for random regression problems the empirical/population risk of a one-hidden-layer
network with analytic activation is almost surely a **Morse function on the efficient domain**
(every critical point there has an invertible Hessian), while on the **redundant domain** critical
points are never isolated.  This notebook

1. samples random Gaussian-process regression problems, finds critical points by trust-region and
   Newton restarts, certifies each one (Kantorovich–Weyl tolerance `tau = 2 K |H^{-1} g|`) and plots
   the smallest |Hessian eigenvalue| per class;
2. takes one slice of the landscape through an efficient minimum and one through a redundant
   (split-neuron) critical point: a parabola versus an exactly flat line.""")
code("""import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from symadam.morse.sweep import morse_sweep
from symadam.morse.critical_np import planted_minimum
from symadam.morse.redundant_np import split_neuron, count_zero_eigenvalues
from symadam.networks.hessian import risk_derivatives""")
md("## 1. A sweep: 40 problems, tanh, width 2, 10 equispaced points, GP targets (length scale 0.3)")
code("""summary, results = morse_sweep("tanh", 2, 10, problems=40, seed=0)
{k: v for k, v in summary["critical_points"].items() if v}, summary["runs"]""")
code("""by_class = {}
for r in results:
    for p in r["points"]:
        by_class.setdefault(p["class"], []).append(p["min_abs_eig"])
fig, ax = plt.subplots(figsize=(6, 3.5))
for name, vals in sorted(by_class.items()):
    ax.hist(np.log10(np.maximum(vals, 1e-18)), bins=25, alpha=0.6, label=f"{name} ({len(vals)})")
ax.set_xlabel("log10 smallest |Hessian eigenvalue|")
ax.set_ylabel("critical points")
ax.legend(fontsize=7)
fig.tight_layout()""")
md("""Efficient critical points sit at `min|eig|` of order 1e-6 … 1e-2 and every one is certified;
the `diverging` class (a neuron saturated on the data: an approximate critical point at infinity) and
the redundant ones pile up at round-off level.""")
code("""eff = [p for r in results for p in r["points"] if p["domain"] == "efficient"]
assert len(eff) >= 5
assert summary["efficient_nondegenerate_fraction"] == 1.0
assert all(p["min_abs_eig"] >= p["tau"] for p in eff)""")
md("""## 2. Landscape slices

An efficient minimum (planted tanh network of width 1 plus GP noise) and the redundant critical point
obtained by splitting its neuron with `t = 0.3`.  Along the smallest eigenvector the efficient
minimum is a parabola with curvature `lambda_min`; along the kernel vector of the split point the
risk is constant (a line of critical points).""")
code("""x, y, base = planted_minimum("tanh", 1, 10, np.random.default_rng(7))
H = risk_derivatives(base.theta, x, y, "tanh").hess[0]
lam, U = np.linalg.eigh(H)
red = split_neuron(base.theta, 1, 0, 0.3)
Hr = risk_derivatives(red, x, y, "tanh").hess[0]
lam_r, U_r = np.linalg.eigh(Hr)
k0 = int(np.argmin(np.abs(lam_r)))
s = np.linspace(-1, 1, 81)
L_eff = risk_derivatives(base.theta + np.outer(s, U[:, 0]), x, y, "tanh", False).loss - base.loss
L_red = risk_derivatives(red + np.outer(s, U_r[:, k0]), x, y, "tanh", False).loss - base.loss
fig, ax = plt.subplots(1, 2, figsize=(8, 3))
ax[0].plot(s, L_eff, label="efficient minimum")
ax[0].plot(s, 0.5 * lam[0] * s ** 2, "--", label=r"$\\lambda_{min} s^2/2$")
ax[0].legend(fontsize=7); ax[0].set_xlabel("s"); ax[0].set_ylabel("L - L*")
ax[1].plot(s, L_red, label="split point, kernel direction")
ax[1].set_xlabel("s"); ax[1].legend(fontsize=7)
fig.tight_layout()
lam[0], lam_r[k0], count_zero_eigenvalues(lam_r)""")
code("""# the efficient slice is a strictly convex bowl near 0, matching the quadratic model
assert base.kind == "minimum" and lam[0] > 0
small = np.abs(s) <= 0.05
assert np.allclose(L_eff[small], 0.5 * lam[0] * s[small] ** 2, rtol=0.05, atol=1e-14)
# the split point has exactly one zero eigenvalue, and its kernel vector is the direction of the
# straight line t -> split(t) of critical points (v_1 = t V, v_2 = (1 - t) V): the risk is flat
# along the whole slice, while the efficient slice rises by orders of magnitude more
assert count_zero_eigenvalues(lam_r)[0] == 1
assert np.max(np.abs(L_red)) < 1e-10 < 1e-4 < L_eff.max()""")
nb["cells"] = cells
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
if __name__ == "__main__":
    nbf.write(nb, "notebooks/05_morse_property.ipynb")
