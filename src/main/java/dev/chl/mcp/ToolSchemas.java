package dev.chl.mcp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON Schemas of the tools' inputs, built from a few small helpers so each tool's shape reads at a glance. */
final class ToolSchemas {
    private ToolSchemas() {}

    static Map<String, Object> object(Map<String, Object> properties, String... required) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", properties);
        schema.put("required", List.of(required));
        schema.put("additionalProperties", false);
        return schema;
    }

    static Map<String, Object> props(Object... nameThenSchema) {
        Map<String, Object> props = new LinkedHashMap<>();
        for (int i = 0; i < nameThenSchema.length; i += 2) {
            props.put((String) nameThenSchema[i], nameThenSchema[i + 1]);
        }
        return props;
    }

    static Map<String, Object> string(String description) {
        return Map.of("type", "string", "description", description);
    }

    static Map<String, Object> oneOf(String description, String... values) {
        return Map.of("type", "string", "enum", List.of(values), "description", description);
    }

    static Map<String, Object> integer(String description, int min, int max) {
        return Map.of("type", "integer", "minimum", min, "maximum", max, "description", description);
    }

    static Map<String, Object> strings(String description) {
        return Map.of("type", "array", "items", Map.of("type", "string"), "description", description);
    }

    static Map<String, Object> freeObject(String description) {
        return Map.of("type", "object", "description", description);
    }

    static final Map<String, Object> ENTITY_TYPE = oneOf("experience (one atomic heuristic) or manual (long-form background of a category)",
            "experience", "manual");
    static final Map<String, Object> CATEGORY = string("three-letter category code from list_categories, e.g. TST");
}
