"""Stage 2, parameters: dated contribution rates, reliefs, benefit and uncertainty parameters, each with its source."""
