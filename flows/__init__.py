"""Prefect flows: thin wrappers that run the package's pipeline steps as tasks."""
