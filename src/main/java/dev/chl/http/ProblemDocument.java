package dev.chl.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one shape of an error answer (RFC 9457, API.md): type, title, status, detail, then any extension members. Built
 * here for every writer of one — the routes' handlers, Jetty's own refusals, the /mcp guard.
 */
public final class ProblemDocument {
    public static final String CONTENT_TYPE = "application/problem+json";

    private ProblemDocument() {}

    public static Map<String, Object> of(int status, String title, String detail, Map<String, ?> extensions) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.putAll(extensions);
        return body;
    }
}
