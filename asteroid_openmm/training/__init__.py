"""Training ASTEROID models: objective and loop."""
