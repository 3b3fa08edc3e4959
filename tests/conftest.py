"""Shared fixtures: the engine is required, never skipped."""
