"""im-e2e runner: command line, benchmarks and (later) scheduler, reports and load scenarios."""
