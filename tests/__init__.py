"""The test suite: a package, so that tests and bench/ scripts import ``tests.builders`` and
``tests.conftest`` under one name."""
