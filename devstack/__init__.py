"""Starts the whole product on one machine: for `make run`, the e2e tests and the benchmark."""
