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
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers a request whose params do not fit its method with a JSON-RPC invalid-params error (-32602), before the SDK
 * sees it. The SDK (2.1.0) converts params outside its error handling: {@code tools/call} with {@code "params":"x"} or
 * {@code "arguments":"x"} got 200 with an empty body and never a response for that id ({@link McpParams} says what is
 * wrong). Everything else — bodies that are not JSON, notifications, unknown methods, fitting params — goes on to the
 * SDK untouched.
 */
final class McpParamsCheck implements Filter {
    private final JsonMapper json;
    private final McpParams params;
    private final int maxBody;

    /** @param maxBody the transport's request size limit: a larger body is passed on for the SDK to refuse */
    McpParamsCheck(JsonMapper json, int maxBody) {
        this.json = json;
        this.params = new McpParams(json);
        this.maxBody = maxBody;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        if (!"POST".equals(http.getMethod()) || !isJson(http.getContentType())) {
            // The SDK refuses other content types itself (415), whatever the body says.
            chain.doFilter(request, response);
            return;
        }
        InputStream in = http.getInputStream();
        byte[] head = in.readNBytes(maxBody + 1);
        if (head.length <= maxBody && isResponse(head)) {
            // A client's answer to a server request (CHL sends none, or a late one): accepted and dropped, as the
            // Streamable HTTP transport says (202, no body). The SDK took it for an error of its own: 500.
            ((HttpServletResponse) response).setStatus(202);
            return;
        }
        Optional<Invalid> invalid = head.length > maxBody ? Optional.empty() : check(head);
        if (invalid.isPresent()) {
            answer((HttpServletResponse) response, invalid.get());
            return;
        }
        chain.doFilter(new Replayed(http, new SequenceInputStream(new ByteArrayInputStream(head), in)), response);
    }

    private static boolean isJson(String contentType) {
        return contentType != null && contentType.split(";", 2)[0].strip().equalsIgnoreCase("application/json");
    }

    /** Whether the body is one JSON-RPC response (an id and a result or an error, no method). */
    private boolean isResponse(byte[] body) {
        JsonNode message;
        try {
            message = json.readTree(body);
        } catch (JacksonException e) {
            return false;
        }
        return message != null && message.isObject() && !message.has("method") && message.has("id")
                && (message.has("result") || message.has("error"));
    }

    /** A request (method and id) whose params its method cannot read, or empty. */
    Optional<Invalid> check(byte[] body) {
        JsonNode message;
        try {
            message = json.readTree(body);
        } catch (JacksonException e) {
            return Optional.empty(); // not JSON: the SDK answers that
        }
        if (message == null || !message.isObject() || !message.path("method").isString() || !message.has("id")) {
            return Optional.empty();
        }
        return params.problem(message.get("method").asString(), message.get("params"))
                .map(reason -> new Invalid(message.get("id"), reason));
    }

    private void answer(HttpServletResponse response, Invalid invalid) throws IOException {
        // A JSON-RPC error is the answer to the request (status 200), in the JSON form the Accept header allows.
        response.setStatus(200);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getOutputStream().write(json.writeValueAsBytes(Map.of(
                "jsonrpc", McpSchema.JSONRPC_VERSION,
                "id", invalid.id(),
                "error", Map.of("code", McpSchema.ErrorCodes.INVALID_PARAMS, "message", invalid.message()))));
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
