package dev.chl.api;

import dev.chl.http.HttpModule;
import dev.chl.telemetry.ComponentHealth;
import dev.chl.telemetry.HealthService;
import io.javalin.config.JavalinConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /health}: open even when a token is required, so load balancers and scripts can probe it. */
public final class HealthApi implements HttpModule {
    private final HealthService health;

    public HealthApi(HealthService health) {
        this.health = health;
    }

    @Override
    public void register(JavalinConfig cfg) {
        cfg.routes.get("/health", ctx -> {
            HealthService.HealthReport report = health.report();
            Map<String, Object> components = new LinkedHashMap<>();
            report.components().forEach((name, c) -> components.put(name, view(c)));
            ctx.json(Map.of("status", report.status(), "components", components));
        });
    }

    private static Map<String, Object> view(ComponentHealth c) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("status", c.status());
        map.putAll(c.details());
        return map;
    }
}
