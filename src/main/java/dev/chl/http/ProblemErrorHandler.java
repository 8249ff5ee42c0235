package dev.chl.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import tools.jackson.databind.json.JsonMapper;

/**
 * Jetty's own answers, for requests refused before any route sees them (a path with broken percent-encoding or bad
 * UTF-8, a malformed request line): a problem document like every other error, instead of Jetty's HTML page.
 */
final class ProblemErrorHandler extends ErrorHandler {
    private final JsonMapper json;

    ProblemErrorHandler(JsonMapper json) {
        this.json = json;
    }

    /** Every method gets the problem document (Jetty writes a body only for GET, POST and HEAD by default). */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback)
            throws IOException {
        String detail = code == 400
                ? "the request could not be read" + (message == null || message.equals("Bad Request") ? "" : " (" + message + ")")
                        + "; percent-encode special characters in the path and query as UTF-8 %XX escapes"
                : message == null ? HttpStatus.getMessage(code) : message;
        Map<String, Object> body = ProblemDocument.of(code, code == 400 ? "Malformed request" : HttpStatus.getMessage(code), detail, Map.of());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, ProblemDocument.CONTENT_TYPE);
        response.write(true, ByteBuffer.wrap(json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8)), callback);
    }
}
