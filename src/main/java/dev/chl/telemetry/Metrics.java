package dev.chl.telemetry;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/** Prometheus metrics (Micrometer): gauges read their value at scrape time; HTTP latency is timed per route. */
public final class Metrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<Runnable> beforeScrape = new CopyOnWriteArrayList<>();
    private final Map<Meter.Id, Supplier<Number>> counterSources = new ConcurrentHashMap<>();

    /** Runs before every scrape, e.g. to register series for things that appeared since (a worker started later). */
    public void beforeScrape(Runnable task) {
        beforeScrape.add(task);
    }

    public void gauge(String name, String description, Supplier<Number> value, String... tags) {
        io.micrometer.core.instrument.Gauge.builder(name, () -> value.get().doubleValue()).description(description).tags(tags).register(registry);
    }

    public void counter(String name, String description, Supplier<Number> total, String... tags) {
        io.micrometer.core.instrument.FunctionCounter counter = io.micrometer.core.instrument.FunctionCounter
                .builder(name, total, s -> s.get().doubleValue()).description(description).tags(tags).register(registry);
        // Micrometer holds a counter's source weakly: a lambda nothing else refers to is collected and the series
        // vanishes from the scrape. Keep the first source of each series (registering it again returns the same one).
        counterSources.putIfAbsent(counter.getId(), total);
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
        beforeScrape.forEach(Runnable::run);
        return registry.scrape();
    }
}
