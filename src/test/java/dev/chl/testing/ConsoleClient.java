package dev.chl.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;

/**
 * A browser's view of the console without a browser: keeps its cookies (the {@code chl_session} cookie among them),
 * takes the CSRF token from the {@code <meta name="csrf-token">} of each page it loads, and posts forms the way htmx
 * does (the token in {@code X-CSRF-Token}, the page's {@code Origin}, {@code HX-Request: true}). Redirects are not
 * followed, so tests see each 303 and its Location.
 */
public final class ConsoleClient {
    public static final String SESSION_COOKIE = "chl_session";

    private final String baseUrl;
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient client;
    private String csrf = "";

    public ConsoleClient(String baseUrl) {
        this.baseUrl = baseUrl;
        this.client = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    public static ConsoleClient of(TestServer server) {
        return new ConsoleClient(server.baseUrl());
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** The CSRF token of the last page loaded (empty before any). */
    public String csrf() {
        return csrf;
    }

    /** The value of one of this browser's cookies, or null. */
    public String cookie(String name) {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name))
                .map(HttpCookie::getValue).findFirst().orElse(null);
    }

    /** Loads a page as a browser does ({@code Accept: text/html}) and keeps its CSRF token. */
    public Http.Response page(String path) {
        return get(path, Map.of("Accept", "text/html"));
    }

    /** A GET with exactly these headers (e.g. {@code HX-Request} for a fragment); a page's CSRF token is kept. */
    public Http.Response get(String path, Map<String, String> headers) {
        HttpRequest.Builder b = request(path, headers).GET();
        Http.Response r = send(b);
        Element meta = r.contentType().startsWith("text/html") ? Jsoup.parse(r.body()).selectFirst("meta[name=csrf-token]") : null;
        if (meta != null) {
            csrf = meta.attr("content");
        }
        return r;
    }

    /** An htmx fragment request: {@code GET} with {@code HX-Request: true}. */
    public Http.Response fragment(String path) {
        return get(path, Map.of("HX-Request", "true"));
    }

    /** The headers htmx sends with a console form (console.js adds the token); change a copy to forge a request. */
    public Map<String, String> formHeaders() {
        Map<String, String> headers = plainFormHeaders();
        headers.put("X-CSRF-Token", csrf);
        headers.put("HX-Request", "true");
        return headers;
    }

    /** The headers of a plain HTML form post (login, logout): the page's Origin; the token travels in the _csrf field. */
    public Map<String, String> plainFormHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Origin", baseUrl);
        return headers;
    }

    /** The new-experience form of {@code /entries/new} as a person fills it in (a mutable copy, to change a field). */
    public static Map<String, String> experienceForm(String category, String title, String playbook) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("kind", "experience");
        form.put("category_code", category);
        form.put("section", "useful");
        form.put("sync_status", "pending");
        form.put("title", title);
        form.put("playbook", playbook);
        form.put("context", "");
        form.put("author", "");
        return form;
    }

    /** Posts a url-encoded form as htmx does. */
    public Http.Response post(String path, Map<String, String> form) {
        return post(path, form, formHeaders());
    }

    /** Posts a url-encoded form with exactly {@code headers}. */
    public Http.Response post(String path, Map<String, String> form, Map<String, String> headers) {
        String body = form.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return send(request(path, headers).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Posts a multipart form (as {@code hx-encoding="multipart/form-data"} does): text fields and one file. */
    public Http.Response upload(String path, Map<String, String> fields, String fileField, String filename, byte[] content) {
        String boundary = "----chl-console-" + Long.toHexString(System.nanoTime());
        StringBuilder head = new StringBuilder();
        fields.forEach((name, value) -> head.append("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"").append(name).append("\"\r\n\r\n").append(value).append("\r\n"));
        head.append("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"").append(fileField).append("\"; filename=\"").append(filename).append("\"\r\n")
                .append("Content-Type: application/octet-stream\r\n\r\n");
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.concat(
                HttpRequest.BodyPublishers.ofString(head.toString()),
                HttpRequest.BodyPublishers.ofByteArray(content),
                HttpRequest.BodyPublishers.ofString("\r\n--" + boundary + "--\r\n"));
        return send(request(path, formHeaders()).header("Content-Type", "multipart/form-data; boundary=" + boundary).POST(body));
    }

    private HttpRequest.Builder request(String path, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60));
        headers.forEach(b::header);
        return b;
    }

    private Http.Response send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> r = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Http.Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
