"""The weekly drift check: a saved baseline, a run history, stable region ids, alerts.

Contract: nothing here prints or chooses an exit code (the ``analyzer.cli`` package does).

* :mod:`~analyzer.weekly.store`: a fitted ``Baseline`` saved as a versioned folder, no pickle.
* :mod:`~analyzer.weekly.history`: the SQLite run history (runs, clusters per run, registry).
* :mod:`~analyzer.weekly.registry`: matching a run's clusters to known regions (stable ids).
* :mod:`~analyzer.weekly.runs`: pure per-run steps (regions, trend, thresholds table, records).
* :mod:`~analyzer.weekly.thresholds` and :mod:`~analyzer.weekly.webhook`: breaches and the alert.
* :mod:`~analyzer.weekly.check`: ``run_check``, the whole check; :mod:`~analyzer.weekly.jobs`:
  ``make_baseline``, ``history_runs``, ``write_trend_page``.
"""
