package dev.chl.telemetry;

import java.util.Map;

/** The state of one component: ok, degraded or down, with details a person can read. */
public record ComponentHealth(String status, Map<String, Object> details) {
    public static ComponentHealth ok(Map<String, Object> details) {
        return new ComponentHealth("ok", details);
    }

    public static ComponentHealth degraded(Map<String, Object> details) {
        return new ComponentHealth("degraded", details);
    }

    public static ComponentHealth down(String message) {
        return new ComponentHealth("down", Map.of("message", message));
    }

    public boolean healthy() {
        return status.equals("ok");
    }
}
