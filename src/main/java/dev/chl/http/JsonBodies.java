package dev.chl.http;

import io.javalin.http.Context;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads request bodies: must be JSON, must parse, must be an object. Field rules belong to the features. */
public final class JsonBodies {
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

    private final JsonMapper json;

    public JsonBodies(JsonMapper json) {
        this.json = json;
    }

    /** The application's JSON: snake_case properties (API.md), duplicate keys rejected. */
    public static JsonMapper appJson() {
        return JsonMapper.builder()
                .propertyNamingStrategy(tools.jackson.databind.PropertyNamingStrategies.SNAKE_CASE)
                .enable(tools.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    public Map<String, Object> object(Context ctx) {
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new HttpError(415, "Unsupported media type",
                    "send the body as JSON with the header Content-Type: application/json (got " + (type == null ? "none" : type) + ")");
        }
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length == 0) {
            throw new HttpError(400, "Malformed request", "the body is empty; send a JSON object");
        }
        JsonNode node;
        try {
            node = json.readTree(bytes);
        } catch (JacksonException e) {
            throw new HttpError(400, "Malformed request", "the body is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()));
        }
        if (node == null || !node.isObject()) {
            throw new HttpError(400, "Malformed request", "the body must be a JSON object, e.g. {\"title\": \"…\"}");
        }
        return json.convertValue(node, OBJECT);
    }

    /** Query parameters as single values; a repeated parameter is an error rather than a silent pick. */
    public static Map<String, String> query(Context ctx) {
        checkEncoding(ctx.queryString());
        Map<String, String> params = new java.util.LinkedHashMap<>();
        ctx.queryParamMap().forEach((name, values) -> {
            if (values.isEmpty()) {
                throw new HttpError(400, "Malformed request", "query parameter '" + name + "' has no readable value; percent-encode it as UTF-8");
            }
            if (values.size() > 1) {
                throw new HttpError(400, "Malformed request", "query parameter '" + name + "' is given " + values.size() + " times; give it once");
            }
            params.put(name, values.getFirst());
        });
        return params;
    }

    /** Jetty drops a parameter whose name or value is not valid percent-encoding; say so instead of ignoring it. */
    private static void checkEncoding(String query) {
        if (query == null) {
            return;
        }
        for (String pair : query.split("&")) {
            try {
                java.net.URLDecoder.decode(pair, java.nio.charset.StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new HttpError(400, "Malformed request", "the query part '" + pair + "' is not valid percent-encoding ("
                        + e.getMessage() + "); encode '%' as %25 and other special characters as UTF-8 %XX escapes");
            }
        }
    }
}
