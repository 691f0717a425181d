"""Attack tests: who may reach every route, CSRF, stored XSS, injection, limits and hardening.

docs/security.md links each threat in the register's threat model to the test here that
proves it is answered.
"""
