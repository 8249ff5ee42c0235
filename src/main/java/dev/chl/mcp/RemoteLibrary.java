package dev.chl.mcp;

import dev.chl.common.ConflictException;
import dev.chl.common.FieldError;
import dev.chl.common.NotFoundException;
import dev.chl.common.Times;
import dev.chl.common.ValidationException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The library served by a running CHL server over its HTTP API, so locks, audit and the index stay in one place.
 * Transport failures are retried with backoff, then reported with the fix (start the server); after repeated
 * failures a short circuit breaker fails fast. Answers the server gives — 4xx above all — are the caller's errors:
 * never retried and never counted by the breaker.
 */
final class RemoteLibrary implements Library {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteLibrary.class);
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};
    static final int ATTEMPTS = 3;
    static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    static final int BREAKER_THRESHOLD = 3;
    static final Duration BREAKER_OPEN = Duration.ofSeconds(5);

    private final String baseUrl;
    private final String token;
    private final JsonMapper json;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private int consecutiveTransportFailures;
    private long breakerOpenUntilNanos;

    RemoteLibrary(String baseUrl, String token, JsonMapper json) {
        this.baseUrl = baseUrl;
        this.token = token;
        this.json = json;
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> categories() {
        // Read fresh every time: shelves and their counts change through other doors (a cached copy made a browse report
        // a wrong total and refuse a category created a moment before).
        return (List<Map<String, Object>>) send("GET", "/api/v1/categories", null).get("categories");
    }

    @Override
    public Map<String, Object> listByCategory(String kind, String categoryCode, int limit) {
        return send("GET", "/api/v1/" + plural(kind) + "?category=" + encode(categoryCode) + "&limit=" + limit, null);
    }

    @Override
    public Map<String, Object> search(String query, String kind, String categoryCode, int limit) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        body.put("kind", kind);
        if (categoryCode != null) {
            body.put("category", categoryCode);
        }
        body.put("limit", limit);
        return send("POST", "/api/v1/search", body);
    }

    @Override
    public Map<String, Object> entry(String id) {
        dev.chl.model.Kind kind = dev.chl.model.Kind.ofId(id);
        if (kind == null) {
            throw new NotFoundException("'" + id + "' is not an entry id; ids look like EXP-ABC-20260101-120000000 or MNL-ABC-…");
        }
        return send("GET", "/api/v1/" + kind.plural() + "/" + encode(id), null);
    }

    @Override
    public Map<String, Object> create(String actor, String kind, Map<String, Object> data) {
        return send("POST", "/api/v1/" + plural(kind), data, actor, null);
    }

    @Override
    public Map<String, Object> update(String actor, String kind, String id, Map<String, Object> updates, Instant readAt) {
        // The API's optimistic lock: If-Match with the version read (its ETag is the quoted updated_at).
        return send("PATCH", "/api/v1/" + plural(kind) + "/" + encode(id), updates, actor,
                readAt == null ? null : "\"" + Times.format(readAt) + "\"");
    }

    @Override
    public Map<String, Object> duplicates(Map<String, Object> body) {
        return send("POST", "/api/v1/search/duplicates", body);
    }

    @Override
    public String description() {
        return "http mode: every call goes to the CHL server at " + baseUrl;
    }

    private static String plural(String kind) {
        return switch (kind) {
            case "experience" -> "experiences";
            case "manual" -> "manuals";
            default -> throw new ValidationException("entity_type", "'" + kind + "' is not allowed; use experience or manual");
        };
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A call that only reads (a GET, a search): safe to send again when the server did not answer. */
    private Map<String, Object> send(String method, String path, Map<String, Object> body) {
        return send(method, path, body, "mcp-client", null, false);
    }

    /** A create or update: sent again only when it never reached the server. */
    private Map<String, Object> send(String method, String path, Map<String, Object> body, String actor, String ifMatch) {
        return send(method, path, body, actor, ifMatch, true);
    }

    private Map<String, Object> send(String method, String path, Map<String, Object> body, String actor, String ifMatch,
                                     boolean writes) {
        checkBreaker();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .header("X-CHL-Channel", "mcp")
                .header("X-CHL-Actor", headerSafe(actor))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = null;
        IOException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS && response == null; attempt++) {
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                if (writes && !neverSent(e)) {
                    // The server may have saved it and died (or taken longer than the timeout) before answering: sending
                    // it again could make a duplicate, or report a conflict with the write's own first copy.
                    transportFailed();
                    throw new ToolFailure("the CHL server at " + baseUrl + " did not answer after the " + (method.equals("POST")
                            ? "create" : "update") + " was sent (" + e.getClass().getSimpleName() + "): it may or may not have "
                            + "been saved. Check with read_entries before trying again");
                }
                last = e;
                LOG.warn("CHL server at {} did not answer ({}), attempt {} of {}", baseUrl, e.getClass().getSimpleName(), attempt, ATTEMPTS);
                if (attempt < ATTEMPTS) {
                    sleep(FIRST_BACKOFF.multipliedBy(1L << (attempt - 1)));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ToolFailure("interrupted while waiting for the CHL server");
            }
        }
        if (response == null) {
            transportFailed();
            throw new ToolFailure("the CHL server at " + baseUrl + " is not reachable (" + last.getClass().getSimpleName()
                    + "); start it with `./chl serve`, or run `chl mcp --mode direct` to use the data directory without a server");
        }
        transportSucceeded();
        return answer(response);
    }

    /** Whether a transport failure happened before the request left (no connection): then sending it again is safe. */
    private static boolean neverSent(IOException e) {
        return e instanceof java.net.ConnectException || e instanceof java.net.http.HttpConnectTimeoutException;
    }

    /**
     * MCP clients name themselves freely, but the HTTP client refuses header values with control characters or
     * characters beyond Latin-1, and sends Latin-1 ones as '?': anything but printable ASCII becomes '?', so no client
     * name makes a write fail.
     */
    static String headerSafe(String actor) {
        StringBuilder safe = new StringBuilder(actor.length());
        actor.codePoints().forEach(c -> safe.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
        String value = safe.toString().strip();
        return value.isEmpty() ? "mcp-client" : value;
    }

    private Map<String, Object> answer(HttpResponse<String> response) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return response.body().isEmpty() ? Map.of() : json.readValue(response.body(), OBJECT);
        }
        JsonNode problem;
        try {
            problem = json.readTree(response.body());
        } catch (RuntimeException e) {
            problem = json.createObjectNode();
        }
        String detail = problem.path("detail").asString("the server answered " + status);
        switch (status) {
            case 400, 422 -> {
                List<FieldError> errors = new ArrayList<>();
                problem.path("errors").forEach(e -> errors.add(new FieldError(e.path("field").asString(), e.path("message").asString())));
                throw errors.isEmpty() ? new ValidationException("request", detail) : new ValidationException(errors);
            }
            case 404 -> throw new NotFoundException(detail);
            case 409 -> throw new ConflictException(detail, extensions(problem));
            case 401 -> throw new ToolFailure(token == null
                    ? "the CHL server requires its access token: set CHL_API_TOKEN for `chl mcp` too"
                    : "the CHL server refused CHL_API_TOKEN: set the token it was started with for `chl mcp`");
            default -> throw new ToolFailure("the CHL server could not handle the call (" + status + "): " + detail);
        }
    }

    /** A problem document's own members (e.g. a conflict's current {@code updated_at}), without the standard ones. */
    private static Map<String, Object> extensions(JsonNode problem) {
        Map<String, Object> extensions = new LinkedHashMap<>();
        for (var field : problem.properties()) {
            if (!Set.of("type", "title", "status", "detail", "instance").contains(field.getKey()) && field.getValue().isValueNode()) {
                extensions.put(field.getKey(), field.getValue().asString());
            }
        }
        return extensions;
    }

    private synchronized void checkBreaker() {
        if (System.nanoTime() < breakerOpenUntilNanos) {
            throw new ToolFailure("the CHL server at " + baseUrl + " was unreachable moments ago; start it with `./chl serve` and retry");
        }
    }

    private synchronized void transportFailed() {
        if (++consecutiveTransportFailures >= BREAKER_THRESHOLD) {
            breakerOpenUntilNanos = System.nanoTime() + BREAKER_OPEN.toNanos();
            consecutiveTransportFailures = 0;
        }
    }

    private synchronized void transportSucceeded() {
        consecutiveTransportFailures = 0;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
