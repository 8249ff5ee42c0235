package dev.chl.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MetricsTest {
    @Test
    void aCounterKeepsReadingItsSupplierAfterGarbageCollection() throws Exception {
        Metrics metrics = new Metrics();
        AtomicLong total = new AtomicLong(7);
        // A capturing lambda: nothing but the registry refers to it (Micrometer holds a counter's source weakly).
        metrics.counter("chl_test_total", "a test counter", () -> total.get(), "worker", "w1");
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(20);
        }
        total.set(9);
        assertThat(metrics.scrape()).contains("chl_test_total{worker=\"w1\"} 9.0");
    }

    @Test
    void seriesRegisteredBeforeAScrapeAppearInIt() {
        Metrics metrics = new Metrics();
        AtomicLong workers = new AtomicLong(1);
        metrics.beforeScrape(() -> {
            for (long i = 1; i <= workers.get(); i++) {
                long n = i;
                metrics.counter("chl_test_total", "a test counter", () -> n * 10, "worker", "w" + n);
            }
        });
        assertThat(metrics.scrape()).contains("chl_test_total{worker=\"w1\"} 10.0").doesNotContain("w2");
        workers.set(2);
        assertThat(metrics.scrape()).contains("chl_test_total{worker=\"w1\"} 10.0").contains("chl_test_total{worker=\"w2\"} 20.0");
    }
}
