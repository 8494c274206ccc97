from __future__ import annotations

import numpy as np
import pytest

from analyzer.coverage.neighbors import unit_rows
from analyzer.regions.twosample import classifier_test, mmd_test


@pytest.fixture()
def rng() -> np.random.Generator:
    return np.random.default_rng(21)


def test_same_distribution_is_not_rejected(rng) -> None:
    data = unit_rows(rng.normal(size=(600, 10)))
    classifier = classifier_test(data[:300], data[300:], rng)
    mmd = mmd_test(data[:300], data[300:], 100, rng)
    assert 0.4 < classifier.auc < 0.6 and classifier.p_value > 0.01
    assert classifier.auc_ci[0] <= classifier.auc <= classifier.auc_ci[1]
    assert mmd.p_value > 0.01


def test_shifted_distribution_is_rejected(rng) -> None:
    a = unit_rows(rng.normal(size=(300, 10)))
    b = unit_rows(rng.normal(size=(300, 10)) + np.r_[1.0, np.zeros(9)])
    classifier = classifier_test(a, b, rng)
    mmd = mmd_test(a, b, 100, rng)
    assert classifier.auc > 0.7 and classifier.p_value < 1e-6
    assert mmd.p_value < 0.02 and mmd.mmd2 > 0
