"""Blueprints, one module per audience or feature."""
