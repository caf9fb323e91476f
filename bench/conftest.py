def pytest_benchmark_update_json(config, benchmarks, output_json):
    """Keep the query counts beside the timings in saved JSON results."""
    for bench in output_json["benchmarks"]:
        bench.setdefault("extra_info", {})
