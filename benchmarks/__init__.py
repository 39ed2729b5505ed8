"""Speed and memory benchmarks of touna-policy (``python -m benchmarks`` or ``make bench``)."""
