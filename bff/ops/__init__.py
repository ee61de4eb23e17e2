"""Operations: readiness and liveness, Prometheus metrics, JSON logs, shared rate limits."""
