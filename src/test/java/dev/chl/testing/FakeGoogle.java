package dev.chl.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

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

    /** A spreadsheet that exists and opens, with this title. */
    public void spreadsheet(String id, String title) {
        server.stubFor(get(urlPathEqualTo("/v4/spreadsheets/" + id)).willReturn(json("{\"properties\":{\"title\":\"" + title + "\"}}")));
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
