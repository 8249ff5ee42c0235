package dev.chl.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small JSON HTTP client for tests: every call returns status, headers and the parsed body. */
public final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    public static final JsonMapper JSON = JsonMapper.builder().build();

    private final String baseUrl;
    private final String token;
    private final Map<String, String> headers;

    public Http(String baseUrl, String token) {
        this(baseUrl, token, Map.of());
    }

    private Http(String baseUrl, String token, Map<String, String> headers) {
        this.baseUrl = baseUrl;
        this.token = token;
        this.headers = Map.copyOf(headers);
    }

    /** The same client sending another Authorization header (or none when null). */
    public Http withToken(String otherToken) {
        return new Http(baseUrl, otherToken, headers);
    }

    /** The same client sending one more header on every request (e.g. X-CHL-Actor). */
    public Http withHeader(String name, String value) {
        Map<String, String> more = new java.util.LinkedHashMap<>(headers);
        more.put(name, value);
        return new Http(baseUrl, token, more);
    }

    /** The same client declaring {@code actor} in the X-CHL-Actor header, as audit rows record it. */
    public Http as(String actor) {
        return withHeader("X-CHL-Actor", actor);
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** A status line's code, the head and the body, of a request sent as bytes. */
    public record RawResponse(int status, String head, String body) {}

    /**
     * Sends {@code target} (path and query) as written, over a plain socket: Java's HTTP client refuses to send a
     * malformed URI, which is exactly what some tests need to send.
     */
    public RawResponse rawGet(String target) {
        return rawGet(target, "");
    }

    /** A GET sent as written (no encoding or checks of the target), with extra header lines ("Name: value\r\n"). */
    public RawResponse rawGet(String target, String headerLines) {
        URI base = URI.create(baseUrl);
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            String auth = token == null ? "" : "Authorization: Bearer " + token + "\r\n";
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth + headerLines
                    + "Connection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String text = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            String head = split < 0 ? text : text.substring(0, split);
            return new RawResponse(Integer.parseInt(text.substring(9, 12)), head, split < 0 ? "" : text.substring(split + 4));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public Response get(String path) {
        return send(builder(path).GET());
    }

    public Response delete(String path) {
        return send(builder(path).DELETE());
    }

    public Response post(String path, Object body) {
        return send(builder(path).header("Content-Type", "application/json").POST(json(body)));
    }

    public Response put(String path, Object body) {
        return send(builder(path).header("Content-Type", "application/json").PUT(json(body)));
    }

    public Response patch(String path, Object body) {
        return send(builder(path).header("Content-Type", "application/json").method("PATCH", json(body)));
    }

    /** Sends a raw body with the given content type (null for none), for malformed-input tests. */
    public Response raw(String method, String path, String contentType, String body) {
        HttpRequest.Builder b = builder(path);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send(b.method(method, HttpRequest.BodyPublishers.ofString(body)));
    }

    public Response send(String method, String path, Map<String, String> headers, String body) {
        HttpRequest.Builder b = builder(path);
        headers.forEach(b::header);
        return send(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
    }

    /** POSTs one file as multipart/form-data in field {@code field} (e.g. {@code POST /api/v1/uploads}, field {@code file}). */
    public Response upload(String path, String field, String filename, byte[] content) {
        return upload(path, field, filename, () -> new java.io.ByteArrayInputStream(content));
    }

    /**
     * POSTs one file as multipart/form-data, streaming its bytes from {@code content} (chunked, never held whole in
     * memory): for uploads too large to build in a test.
     */
    public Response upload(String path, String field, String filename, java.util.function.Supplier<java.io.InputStream> content) {
        String boundary = "----chl-test-" + Long.toHexString(System.nanoTime());
        String head = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"" + field + "\"; filename=\"" + filename + "\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n";
        String tail = "\r\n--" + boundary + "--\r\n";
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.concat(
                HttpRequest.BodyPublishers.ofByteArray(head.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                HttpRequest.BodyPublishers.ofInputStream(content),
                HttpRequest.BodyPublishers.ofByteArray(tail.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return send(builder(path).header("Content-Type", "multipart/form-data; boundary=" + boundary).POST(body));
    }

    /** GETs a binary body (a download). */
    public Download download(String path) {
        try {
            HttpResponse<byte[]> r = CLIENT.send(builder(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Download(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), r);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A binary response. */
    public record Download(int status, String contentType, byte[] body, HttpResponse<byte[]> raw) {
        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        /** The body as text, for failure messages (a problem document). */
        public String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return status + " " + contentType + " (" + body.length + " bytes)";
        }
    }

    private HttpRequest.Builder builder(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        headers.forEach(b::header);
        return b;
    }

    private static HttpRequest.BodyPublisher json(Object body) {
        return HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body));
    }

    /** Sends a request with no body but extra headers (e.g. a custom Authorization). */
    public Response get(String path, Map<String, String> extraHeaders) {
        HttpRequest.Builder b = builder(path);
        extraHeaders.forEach(b::setHeader);
        return send(b.GET());
    }

    private static Response send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> r = CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), r);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public record Response(int status, String contentType, String body, HttpResponse<String> raw) {
        public JsonNode json() {
            return body.isEmpty() ? JSON.nullNode() : JSON.readTree(body);
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        /** Whether the body is an RFC 9457 problem document. */
        public boolean isProblem() {
            return contentType.startsWith("application/problem+json");
        }

        @Override
        public String toString() {
            return status + " " + contentType + " " + body;
        }
    }
}
