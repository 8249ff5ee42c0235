package dev.chl.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import dev.chl.model.Worksheets;
import java.net.URI;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A local fake of Google's token endpoint and the Sheets REST API (WireMock on a loopback port), so the real Google
 * client library, its auth flow and request shapes are exercised. Point CHL at {@link #rootUrl()}.
 */
public final class FakeGoogle implements AutoCloseable {
    public static final String ACCOUNT = "chl-test@chl-project.iam.gserviceaccount.com";

    private final WireMockServer server;

    public FakeGoogle() {
        server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        server.stubFor(post(urlPathEqualTo("/token")).willReturn(json(
                "{\"access_token\":\"fake-token\",\"expires_in\":3600,\"token_type\":\"Bearer\"}")));
    }

    public WireMockServer server() {
        return server;
    }

    /** The root URL CHL's Sheets client should use (CHL_GOOGLE_API_ROOT). */
    public String rootUrl() {
        return server.baseUrl() + "/";
    }

    /** A spreadsheet that exists and opens, with this title and the worksheets Categories, Experiences, Manuals. */
    public void spreadsheet(String id, String title) {
        spreadsheet(id, title, Worksheets.DEFAULTS.names());
    }

    /** A spreadsheet that exists and opens, with this title and these worksheets (tabs). */
    public void spreadsheet(String id, String title, List<String> worksheets) {
        String sheets = worksheets.stream().map(name -> "{\"properties\":{\"title\":\"" + name + "\"}}").collect(Collectors.joining(","));
        server.stubFor(get(urlPathEqualTo("/v4/spreadsheets/" + id)).willReturn(json("{\"properties\":{\"title\":\"" + title
                + "\"},\"sheets\":[" + sheets + "]}")));
    }

    /**
     * The A1 ranges of the values requests ({@code method} PUT: updates, POST: clears) the fake received for a spreadsheet,
     * decoded from the request paths, in the order they came.
     */
    public List<String> valueRanges(String id, RequestMethod method) {
        String prefix = "/v4/spreadsheets/" + id + "/values/";
        return server.findAll(RequestPatternBuilder.newRequestPattern(method, urlPathMatching(Pattern.quote(prefix) + ".*"))).stream()
                .map(r -> URI.create(r.getUrl()).getPath().substring(prefix.length()).replaceFirst(":clear$", ""))
                .toList();
    }

    /** The body of the values update sent for this range, e.g. {@code 'Experiences'!A1}. */
    public String update(String id, String range) {
        String prefix = "/v4/spreadsheets/" + id + "/values/";
        return server.findAll(RequestPatternBuilder.newRequestPattern(RequestMethod.PUT, urlPathMatching(Pattern.quote(prefix) + ".*")))
                .stream().filter(r -> URI.create(r.getUrl()).getPath().equals(prefix + range)).findFirst()
                .orElseThrow(() -> new AssertionError("no update of " + range + "; updated: " + valueRanges(id, RequestMethod.PUT)))
                .getBodyAsString();
    }

    /** A service-account key, signed with a fresh RSA key, whose token endpoint is this fake. */
    public String serviceAccountKey() {
        return ServiceAccountKeys.generate(ACCOUNT, server.baseUrl() + "/token");
    }

    public static ResponseDefinitionBuilder json(String body) {
        return aResponse().withHeader("Content-Type", "application/json").withBody(body);
    }

    @Override
    public void close() {
        server.stop();
    }
}
