"""WTForms classes, one module per part of the service."""
