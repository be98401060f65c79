"""Shipped riskflag models (installed as the data package ``riskflag_models``); see MODEL_CARD.md."""
