"""The shape of the code: imports point downwards (commands, views, forms, the domain, models,
the schema) and never go round in a circle, between packages or between the modules of one.

The rules are the import-linter contracts in pyproject.toml; an import inside a function
counts as much as one at the top of a module.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint_imports(*contracts: str) -> subprocess.CompletedProcess[str]:
    chosen = [argument for contract in contracts for argument in ("--contract", contract)]
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", *chosen],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_imports_point_downwards_from_views_to_forms_to_the_domain_to_models_to_the_schema():
    result = _lint_imports("layers")
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_package_or_module_of_the_register_imports_one_that_imports_it_back():
    result = _lint_imports("no-cycles")
    assert result.returncode == 0, result.stdout + result.stderr
