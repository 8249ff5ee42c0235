package dev.chl.mcp;

import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers, before the SDK sees them, the /mcp bodies the SDK (2.1.0) answers badly: a request whose params do not fit
 * its method gets invalid params (-32602; the SDK answered {@code tools/call} with {@code "params":"x"} with an empty
 * 200), a message of the wrong shape (a batch, an id of null, no {@code jsonrpc}) an invalid request (-32600) in plain
 * words (the SDK's named its Java classes), a response from the client 202 (the SDK's was a 500), and an unsupported
 * MCP-Protocol-Version header 400, as the transport spec says. Everything else — bodies that are not JSON, fitting
 * messages — goes on to the SDK untouched.
 */
final class McpParamsCheck implements Filter {
    private final JsonMapper json;
    private final McpParams params;
    private final int maxBody;
    /** The MCP-Protocol-Version values the transport speaks: any other is a 400, as the spec says. */
    private final java.util.List<String> protocolVersions;

    /** @param maxBody the transport's request size limit: a larger body is passed on for the SDK to refuse */
    McpParamsCheck(JsonMapper json, int maxBody, java.util.List<String> protocolVersions) {
        this.json = json;
        this.params = new McpParams(json);
        this.maxBody = maxBody;
        this.protocolVersions = java.util.List.copyOf(protocolVersions);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        HttpServletResponse out = (HttpServletResponse) response;
        String version = http.getHeader("MCP-Protocol-Version");
        String unsupported = version == null || protocolVersions.contains(version.strip()) ? null
                : "unsupported MCP-Protocol-Version '" + version + "'; this server speaks " + String.join(", ", protocolVersions);
        if (!"POST".equals(http.getMethod()) || !isJson(http.getContentType())) {
            if (unsupported != null) {
                answer(out, 400, null, McpSchema.ErrorCodes.INVALID_REQUEST, unsupported);
                return;
            }
            // The SDK refuses other content types itself (415), whatever the body says.
            chain.doFilter(request, response);
            return;
        }
        InputStream in = http.getInputStream();
        byte[] head = in.readNBytes(maxBody + 1);
        JsonNode message = head.length > maxBody ? null : parse(head);
        if (message == null) {
            // Too large, or not JSON: the SDK refuses those itself, in plain words.
            chain.doFilter(new Replayed(http, new SequenceInputStream(new ByteArrayInputStream(head), in)), response);
            return;
        }
        if (unsupported != null) {
            answer(out, 400, JsonRpcShape.replyId(message), McpSchema.ErrorCodes.INVALID_REQUEST, unsupported);
            return;
        }
        if (JsonRpcShape.isResponse(message)) {
            // A client's answer to a server request (CHL sends none, or a late one): accepted and dropped, as the
            // Streamable HTTP transport says (202, no body). The SDK took it for an error of its own: 500.
            out.setStatus(202);
            return;
        }
        String shape = JsonRpcShape.problem(message);
        if (shape != null) {
            // The SDK's own answer names its Java classes ("ValueInstantiationException: Cannot construct instance of …").
            answer(out, 400, JsonRpcShape.replyId(message), McpSchema.ErrorCodes.INVALID_REQUEST, "Invalid Request: " + shape);
            return;
        }
        Optional<Invalid> invalid = check(message);
        if (invalid.isPresent()) {
            // A JSON-RPC error is the answer to the request (status 200), in the JSON form the Accept header allows.
            answer(out, 200, invalid.get().id(), McpSchema.ErrorCodes.INVALID_PARAMS, invalid.get().message());
            return;
        }
        chain.doFilter(new Replayed(http, new SequenceInputStream(new ByteArrayInputStream(head), in)), response);
    }

    private JsonNode parse(byte[] body) {
        try {
            return json.readTree(body);
        } catch (JacksonException e) {
            return null;
        }
    }

    private static boolean isJson(String contentType) {
        return contentType != null && contentType.split(";", 2)[0].strip().equalsIgnoreCase("application/json");
    }

    /** A request (method and id) whose params its method cannot read, or empty. */
    Optional<Invalid> check(byte[] body) {
        JsonNode message = parse(body);
        return message == null ? Optional.empty() : check(message);
    }

    private Optional<Invalid> check(JsonNode message) {
        if (!message.isObject() || !message.path("method").isString() || !message.has("id")) {
            return Optional.empty();
        }
        return params.problem(message.get("method").asString(), message.get("params"))
                .map(reason -> new Invalid(message.get("id"), reason));
    }

    private void answer(HttpServletResponse response, int status, JsonNode id, int code, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getOutputStream().write(json.writeValueAsBytes(JsonRpcShape.error(id, code, message)));
    }

    /** A request refused: its id and what to fix. */
    record Invalid(JsonNode id, String message) {}

    /** The request with its body put back, as the SDK reads it (through the input stream). */
    private static final class Replayed extends HttpServletRequestWrapper {
        private final InputStream body;

        Replayed(HttpServletRequest request, InputStream body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            return new ServletInputStream() {
                private boolean finished;

                @Override
                public int read() throws IOException {
                    int b = body.read();
                    finished = b < 0;
                    return b;
                }

                @Override
                public int read(byte[] buffer, int off, int len) throws IOException {
                    int n = body.read(buffer, off, len);
                    finished = n < 0;
                    return n;
                }

                @Override
                public boolean isFinished() {
                    return finished;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the MCP transport reads its body blocking");
                }
            };
        }
    }
}
