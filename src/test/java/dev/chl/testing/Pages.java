package dev.chl.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** Walks a cursor-paginated listing to its end, checking every page on the way. */
public final class Pages {
    private Pages() {}

    /** What a walk saw: every item in order, and the size of each page. */
    public record Walk(List<JsonNode> items, List<Integer> pageSizes) {
        public List<String> ids() {
            return items.stream().map(i -> i.path("id").asString()).toList();
        }
    }

    /**
     * Follows {@code next_cursor} from {@code path} (which already holds its query, e.g. {@code ?category=ABC&limit=5})
     * until it is null; fails on a repeated item or a page larger than the limit.
     */
    public static Walk walk(Http http, String path, int maxPages) {
        List<JsonNode> items = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String cursor = null;
        String separator = path.contains("?") ? "&" : "?";
        for (int page = 0; ; page++) {
            assertThat(page).as("more pages than expected for %s", path).isLessThan(maxPages);
            String url = cursor == null ? path : path + separator + "cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8);
            Http.Response r = http.get(url);
            assertThat(r.status()).as("GET %s: %s", url, r).isEqualTo(200);
            JsonNode body = r.json();
            int size = 0;
            for (JsonNode item : body.path("items")) {
                String id = item.path("id").asString();
                assertThat(seen.add(id)).as("item %s appeared on two pages", id).isTrue();
                items.add(item);
                size++;
            }
            sizes.add(size);
            JsonNode next = body.path("next_cursor");
            assertThat(body.has("next_cursor")).as("next_cursor is always present").isTrue();
            if (next.isNull()) {
                return new Walk(items, sizes);
            }
            assertThat(size).as("a page with a next_cursor is not empty").isPositive();
            cursor = next.asString();
        }
    }
}
