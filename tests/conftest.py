"""Shared test fixtures."""
import os

import matplotlib
import pytest

matplotlib.use("Agg")
os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture
def seed_sequence():
    """A fixed root SeedSequence; tests spawn from it."""
    import numpy as np

    return np.random.SeedSequence(20261128)
