package dev.chl.telemetry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Asks each registered component how it is; overall "ok" only when every component is. */
public final class HealthService {
    private static final Logger LOG = LoggerFactory.getLogger(HealthService.class);

    private final Map<String, Supplier<ComponentHealth>> checks = new LinkedHashMap<>();

    public HealthService add(String component, Supplier<ComponentHealth> check) {
        checks.put(component, check);
        return this;
    }

    public HealthReport report() {
        Map<String, ComponentHealth> components = new LinkedHashMap<>();
        checks.forEach((name, check) -> {
            ComponentHealth health;
            try {
                health = check.get();
            } catch (RuntimeException e) {
                LOG.warn("health check of {} failed", name, e);
                health = ComponentHealth.down(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            components.put(name, health);
        });
        boolean ok = components.values().stream().allMatch(ComponentHealth::healthy);
        return new HealthReport(ok ? "ok" : "degraded", components);
    }

    public record HealthReport(String status, Map<String, ComponentHealth> components) {}
}
