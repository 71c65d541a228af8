"""Checks: Frictionless schema and key validation, then domain rules, then privacy; all yield problems."""
