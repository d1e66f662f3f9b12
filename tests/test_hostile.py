"""Every hostile case of tests/hostile_cases.py ends in exit 0 with finite output or exit 2 with a short message."""

from __future__ import annotations

import hostile_cases


def test_every_hostile_case_ends_cleanly():
    count, failures = hostile_cases.run_all(inprocess=True)
    assert count >= 150
    assert failures == []
