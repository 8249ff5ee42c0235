package dev.chl.web;

import java.util.List;
import java.util.Map;

/** One diagnostics or connectivity check (name, ok / warn / error, what was found, how to fix it). */
public record CheckView(String name, String status, String message, String remediation) {

    static List<CheckView> all(List<Map<String, Object>> checks) {
        return checks.stream().map(c -> new CheckView(String.valueOf(c.get("name")), String.valueOf(c.get("status")),
                String.valueOf(c.get("message")), c.get("remediation") == null ? null : String.valueOf(c.get("remediation")))).toList();
    }

    public String label() {
        return name.replace('_', ' ');
    }
}
