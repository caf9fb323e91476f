def pytest_benchmark_update_json(config, benchmarks, output_json):
    """Keep the query counts beside the timings in saved JSON results."""
    for bench in output_json["benchmarks"]:
        bench.setdefault("extra_info", {})


def pytest_terminal_summary(terminalreporter):  # type: ignore[no-untyped-def]
    """Each benchmark module's own figures (`figures.section`), after the timings table."""
    from figures import SECTIONS

    for title, lines in SECTIONS.items():
        if lines:
            terminalreporter.section(title)
            for line in lines:
                terminalreporter.write_line(line)
