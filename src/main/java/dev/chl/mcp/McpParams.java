package dev.chl.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The params of the MCP methods whose handlers read them, and what to tell a client whose params do not fit. The SDK
 * (2.1.0) converts params with its JSON mapper and answered a misfit with the converter's message (qualified class
 * names, over stdio) or not at all (Streamable HTTP); CHL says instead, as an invalid-params error (-32602), which part
 * is wrong.
 */
final class McpParams {
    /** Each method's params type (the SDK's own records). */
    private static final Map<String, Class<?>> TYPES = Map.of(
            "initialize", McpSchema.InitializeRequest.class,
            "tools/call", McpSchema.CallToolRequest.class,
            "resources/read", McpSchema.ReadResourceRequest.class,
            "resources/subscribe", McpSchema.SubscribeRequest.class,
            "resources/unsubscribe", McpSchema.UnsubscribeRequest.class,
            "prompts/get", McpSchema.GetPromptRequest.class,
            "completion/complete", McpSchema.CompleteRequest.class,
            "logging/setLevel", McpSchema.SetLevelRequest.class);
    private static final Map<Type, String> METHODS = TYPES.entrySet().stream()
            .collect(Collectors.toUnmodifiableMap(Map.Entry::getValue, Map.Entry::getKey));

    /** The syslog levels of MCP's logging/setLevel, as the specification names them. */
    private static final java.util.List<String> LEVELS = java.util.Arrays.stream(McpSchema.LoggingLevel.values())
            .map(l -> l.name().toLowerCase(java.util.Locale.ROOT)).toList();

    private final JsonMapper json;

    McpParams(JsonMapper json) {
        this.json = json;
    }

    /** What is wrong with {@code params} (null when absent) of a request for {@code method}, or empty if they fit or it is not checked. */
    Optional<String> problem(String method, JsonNode params) {
        Class<?> type = TYPES.get(method);
        if (type == null) {
            return Optional.empty();
        }
        return reason(method, params, type).map(reason -> "Invalid params for " + method + ": " + reason);
    }

    private Optional<String> reason(String method, JsonNode params, Class<?> type) {
        if (params == null || params.isNull() || params.isMissingNode()) {
            return Optional.of("params is required: an object" + example(method));
        }
        if (!params.isObject()) {
            return Optional.of("params must be an object" + example(method));
        }
        JsonNode arguments = params.get("arguments");
        if ("tools/call".equals(method) && arguments != null && !arguments.isObject() && !arguments.isNull()) {
            return Optional.of("arguments must be an object of the tool's arguments, e.g. {\"entity_type\": \"experience\"}");
        }
        if ("logging/setLevel".equals(method) && !LEVELS.contains(params.path("level").asString(""))) {
            return Optional.of("level must be one of " + String.join(", ", LEVELS));
        }
        JsonNode uri = params.get("uri");
        if ("resources/read".equals(method) && (uri == null || uri.isNull() || uri.isString() && uri.asString().isBlank())) {
            return Optional.of("params.uri is required, e.g. chl://guides/generator (resources/list names them)");
        }
        try {
            json.treeToValue(params, type);
            return Optional.empty();
        } catch (JacksonException e) {
            return Optional.of(where(e) + " has the wrong type; see the method's params in the MCP specification");
        }
    }

    private static String example(String method) {
        return "tools/call".equals(method) ? ", e.g. {\"name\": \"list_categories\", \"arguments\": {}}" : "";
    }

    /** The field path the conversion stopped at, e.g. {@code params.uri}. */
    private static String where(JacksonException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getPropertyName() != null ? "." + ref.getPropertyName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining());
        return "params" + path;
    }

    static McpError invalid(String message) {
        return McpError.builder(McpSchema.ErrorCodes.INVALID_PARAMS).message(message).build();
    }

    /**
     * The server's JSON mapper: a conversion of a method's params that fails is an invalid-params error saying what to
     * fix. (Over stdio the SDK answers that error; over HTTP it cannot, so {@link McpParamsCheck} answers first.)
     */
    McpJsonMapper serverMapper() {
        McpJsonMapper delegate = new JacksonMcpJsonMapper(json);
        return new McpJsonMapper() {
            @Override
            public <T> T convertValue(Object from, Class<T> type) {
                return checked(from, type, () -> delegate.convertValue(from, type));
            }

            @Override
            public <T> T convertValue(Object from, TypeRef<T> type) {
                return checked(from, type.getType(), () -> delegate.convertValue(from, type));
            }

            @Override
            public <T> T readValue(String content, Class<T> type) throws IOException {
                return delegate.readValue(content, type);
            }

            @Override
            public <T> T readValue(byte[] content, Class<T> type) throws IOException {
                return delegate.readValue(content, type);
            }

            @Override
            public <T> T readValue(String content, TypeRef<T> type) throws IOException {
                return delegate.readValue(content, type);
            }

            @Override
            public <T> T readValue(byte[] content, TypeRef<T> type) throws IOException {
                return delegate.readValue(content, type);
            }

            @Override
            public String writeValueAsString(Object value) throws IOException {
                return delegate.writeValueAsString(value);
            }

            @Override
            public byte[] writeValueAsBytes(Object value) throws IOException {
                return delegate.writeValueAsBytes(value);
            }
        };
    }

    private <T> T checked(Object from, Type type, java.util.function.Supplier<T> convert) {
        String method = METHODS.get(type);
        if (method == null) {
            return convert.get();
        }
        if (from == null) {
            // The SDK's handlers would fail on the null they get back.
            throw invalid(problem(method, null).orElseThrow());
        }
        // The rules a conversion does not enforce (an unknown logging level, a resource read without a uri) too, so
        // stdio answers them as /mcp does (McpParamsCheck).
        JsonNode params = json.valueToTree(from);
        Optional<String> problem = problem(method, params);
        if (problem.isPresent()) {
            throw invalid(problem.get());
        }
        try {
            return convert.get();
        } catch (RuntimeException e) {
            throw invalid("Invalid params for " + method + "; see the method's params in the MCP specification");
        }
    }
}
