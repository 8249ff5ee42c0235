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
        String title = code == 400 ? "Malformed request" : HttpStatus.getMessage(code);
        if (forAPerson(request)) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html;charset=utf-8");
            response.write(true, ByteBuffer.wrap(page(code, title, detail).getBytes(StandardCharsets.UTF_8)), callback);
            return;
        }
        Map<String, Object> body = ProblemDocument.of(code, title, detail, Map.of());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, ProblemDocument.CONTENT_TYPE);
        response.write(true, ByteBuffer.wrap(json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8)), callback);
    }

    /** A browser asking for a console page (not the API or /mcp): a page, not a JSON document. */
    private static boolean forAPerson(Request request) {
        String accept = request.getHeaders().get(HttpHeader.ACCEPT);
        String path = request.getHttpURI().getPath();
        return accept != null && accept.contains("text/html") && request.getHeaders().get("HX-Request") == null // htmx reads problems
                && (path == null || !path.startsWith("/api/") && !path.startsWith("/mcp"));
    }

    /** Jetty refused the request before the console saw it: a plain page that says so and leads back to the console. */
    private static String page(int code, String title, String detail) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + code + " " + escape(title)
                + " — CHL</title></head><body style=\"font-family:system-ui,sans-serif;margin:40px;max-width:40em\"><h1>"
                + escape(title) + "</h1><p>" + escape(detail) + ".</p><p><a href=\"/\">Back to the console</a></p></body></html>";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
