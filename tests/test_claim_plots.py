"""Plots of the relu / morse / existence claims: drawn from the evidence details of a real run."""
import numpy as np
import pytest

from symadam.core import run_claims
from symadam.core.registry import load_all

pytest.importorskip("matplotlib")

PLOTTED = ("relu.approximation", "relu.kink_minimum", "morse.redundant_split",
           "existence.step_not_attained", "existence.tanh_flow_law", "existence.sad_divergence")


def test_the_six_claims_have_plots():
    claims = load_all()
    assert all(claims[c].plot is not None for c in PLOTTED)


def _lines(fig):
    return [ln for ax in fig.axes for ln in ax.get_lines() if len(ln.get_xdata()) > 1]


def test_kink_minimum_plot_shows_the_descent_for_negative_s():
    import matplotlib.pyplot as plt

    ev = {e.claim_id: e for e in run_claims(["relu.kink_minimum"])}["relu.kink_minimum"]
    assert ev.status == "verified"
    fig = load_all()["relu.kink_minimum"].plot(ev)
    curves = {ln.get_label(): np.asarray(ln.get_ydata()) for ln in _lines(fig)}
    neg = [y for lab, y in curves.items() if lab.startswith("s = -")]
    pos = [y for lab, y in curves.items() if lab.startswith("s = ") and "-" not in lab[4:6]]
    assert len(neg) == 2 and len(pos) == 4
    assert all(y.min() < 0 for y in neg) and all(y.min() >= -1e-15 for y in pos)
    plt.close(fig)


def test_step_plot_draws_the_sequence():
    import matplotlib.pyplot as plt

    ev = {e.claim_id: e for e in run_claims(["existence.step_not_attained"])}[
        "existence.step_not_attained"]
    fig = load_all()["existence.step_not_attained"].plot(ev)
    risk = [ln for ln in _lines(fig) if "R_n" in ln.get_label()][0]
    n, r = np.asarray(risk.get_xdata(), float), np.asarray(risk.get_ydata(), float)
    assert np.allclose(n * r, 1 / 12, rtol=1e-10)
    plt.close(fig)
