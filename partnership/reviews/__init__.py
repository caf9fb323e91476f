"""Peer review: the rota planner (`rota.py`); the review cycle, visits and reports are to come."""
