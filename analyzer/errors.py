"""Errors raised by shift-analyzer. Every message says what was wrong, what arrived, and the fix."""

from __future__ import annotations


class AnalyzerError(Exception):
    """Base class of every error the analyzer raises on purpose."""


class InputError(AnalyzerError):
    """An input file or value cannot be read or used as given."""


class SchemaError(InputError):
    """An input lacks a required column or has one of the wrong kind."""


class ConfigError(AnalyzerError):
    """A configuration value is out of range or of the wrong type."""


class NotFittedError(AnalyzerError):
    """A method that needs a fitted object was called before ``fit``."""


class IncompatibleBaselineError(AnalyzerError):
    """A saved baseline cannot be used with this batch, model or package version."""


class ModelError(AnalyzerError):
    """The embedding model cannot be found, loaded or verified."""


class BaselineVersionError(IncompatibleBaselineError):
    """A saved baseline was written in another format version."""
