package dev.chl.bench;

import dev.chl.app.App;
import dev.chl.app.Config;
import dev.chl.model.Actor;
import dev.chl.model.Channel;
import dev.chl.model.Kind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;

public final class CreateProfile {
    public static void main(String[] args) throws Exception {
        try (App app = App.start(new Config(BenchData.tempDir("chl-bench-profile-"), "127.0.0.1", 0, null), Clock.systemUTC())) {
            var s = app.services();
            Thread.sleep(2000);
            Actor a = new Actor("p", Channel.API);
            HttpClient client = HttpClient.newHttpClient();
            for (int round = 0; round < 4; round++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < 100; i++) {
                    s.search().check(Kind.EXPERIENCE, null, "Title number " + i + round, "Some body text about retries and backoff " + i);
                }
                long t1 = System.nanoTime();
                for (int i = 0; i < 100; i++) {
                    s.entries().create(a, Kind.EXPERIENCE, Map.of("category_code", "TST", "section", "useful",
                            "title", "Entry " + i + " round " + round, "playbook", "Body text about things " + i));
                }
                long t2 = System.nanoTime();
                for (int i = 0; i < 100; i++) {
                    String body = "{\"category_code\":\"TST\",\"section\":\"useful\",\"title\":\"Http " + i + " r" + round + "\",\"playbook\":\"Body text about things " + i + "\"}";
                    client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/api/v1/experiences"))
                            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                }
                long t3 = System.nanoTime();
                for (int i = 0; i < 100; i++) {
                    client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
                }
                long t4 = System.nanoTime();
                System.out.printf("dupcheck %.2f, create %.2f, http create %.2f, http health %.2f ms/op%n", (t1 - t0) / 1e8, (t2 - t1) / 1e8, (t3 - t2) / 1e8, (t4 - t3) / 1e8);
            }
        }
    }
}
