package dev.chl.telemetry;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;

/** Prometheus metrics (Micrometer): gauges read their value at scrape time; HTTP latency is timed per route. */
public final class Metrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public void gauge(String name, String description, Supplier<Number> value, String... tags) {
        io.micrometer.core.instrument.Gauge.builder(name, () -> value.get().doubleValue()).description(description).tags(tags).register(registry);
    }

    public void counter(String name, String description, Supplier<Number> total, String... tags) {
        io.micrometer.core.instrument.FunctionCounter.builder(name, total, s -> s.get().doubleValue())
                .description(description).tags(tags).register(registry);
    }

    public void recordHttp(String method, String route, int status, long nanos) {
        Timer.builder("chl_http_server_requests")
                .description("HTTP request latency by route")
                .tags("method", method, "route", route, "status", Integer.toString(status))
                .publishPercentileHistogram(false)
                .publishPercentiles(0.5, 0.99)
                .register(registry)
                .record(Duration.ofNanos(nanos));
    }

    /** The exposition text for a scrape. */
    public String scrape() {
        return registry.scrape();
    }
}
