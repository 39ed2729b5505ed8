"""Stage 5, analysis: Monte Carlo, sensitivity, goal seek, allocation comparison and benefits, on the model's kernel."""
