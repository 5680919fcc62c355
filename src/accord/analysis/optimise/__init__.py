"""The optimisation engine: exact answers for many parties and issues without the frontier."""
