"""``python -m touna_policy.data`` (``make data``): rebuild data/processed from data/raw."""

from touna_policy.data.workforce_estimate import main

main()
