"""Stages 6-7, regions: the joint map, its clusters and their statistics, and the global tests.

Contract: pure computation, no I/O. :mod:`~analyzer.regions.map` runs UMAP and HDBSCAN on
reference and production together (every point ends in a region); :mod:`~analyzer.regions.stats`
scores each region (shares, coverage, log-ratio, JS term, Fisher test with BH FDR, flag);
:mod:`~analyzer.regions.keywords` names regions and picks examples; :mod:`~analyzer.regions.
twosample` holds the global classifier and MMD tests; :mod:`~analyzer.regions.stage` chains them
into the frozen results ``Baseline.score`` assembles.
"""
