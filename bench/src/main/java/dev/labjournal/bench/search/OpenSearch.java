package dev.labjournal.bench.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.labjournal.bench.Http;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The benchmark's direct OpenSearch calls: counting a tenant's documents, and the raw bulk baseline. */
final class OpenSearch {

    private final Http http;
    private final String url;
    private final String index;

    OpenSearch(Http http, String url, String index) {
        this.http = http;
        this.url = url;
        this.index = index;
    }

    /** Cumulative work of the index (refreshes, merges) and of the node's garbage collectors, to take differences of. */
    record Work(long refreshes, long refreshMillis, long merges, long mergeMillis, long gcMillis) {

        Work minus(Work earlier) {
            return new Work(
                    refreshes - earlier.refreshes,
                    refreshMillis - earlier.refreshMillis,
                    merges - earlier.merges,
                    mergeMillis - earlier.mergeMillis,
                    gcMillis - earlier.gcMillis);
        }

        String describe() {
            return String.format(
                    Locale.ROOT,
                    "%,d refreshes (%.1f ms each on average), %,d merges (%,d ms), %,d ms in garbage collection",
                    refreshes,
                    refreshes == 0 ? 0.0 : refreshMillis / (double) refreshes,
                    merges,
                    mergeMillis,
                    gcMillis);
        }
    }

    /** The index's refresh and merge totals (all shards) and the garbage collection time of every node. */
    Work work() {
        JsonNode total = Http.expectOk(
                        "reading the index's stats",
                        http.send("GET", url + "/" + index + "/_stats/refresh,merge", null, null, null))
                .path("_all")
                .path("total");
        long gc = 0;
        JsonNode nodes = Http.expectOk(
                        "reading the nodes' stats", http.send("GET", url + "/_nodes/stats/jvm", null, null, null))
                .path("nodes");
        for (JsonNode node : nodes) {
            for (JsonNode collector : node.path("jvm").path("gc").path("collectors")) {
                gc += collector.path("collection_time_in_millis").asLong();
            }
        }
        return new Work(
                total.path("refresh").path("total").asLong(),
                total.path("refresh").path("total_time_in_millis").asLong(),
                total.path("merges").path("total").asLong(),
                total.path("merges").path("total_time_in_millis").asLong(),
                gc);
    }

    /** Documents of the tenant in the live index whose run has ended (not running), after a refresh of what is there. */
    long finishedRuns(String tenant) {
        ObjectNode query = Http.JSON.createObjectNode();
        ObjectNode bool = query.putObject("query").putObject("bool");
        bool.putArray("filter").addObject().putObject("term").put("tenant", tenant);
        bool.putArray("must_not").addObject().putObject("term").put("status", "running");
        JsonNode body = Http.expectOk(
                "counting the tenant's documents", http.postJson(url + "/" + index + "/_count", null, query));
        return body.path("count").asLong();
    }

    /**
     * The tenant's documents exactly as query-service indexed them, as bulk request bodies of at most {@code perBody}
     * documents each for the index {@code target} (read page by page with search_after, sorted by run id).
     */
    List<byte[]> bulkBodies(String tenant, String target, int perBody) throws IOException {
        List<byte[]> bodies = new ArrayList<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream(8 << 20);
        int inBody = 0;
        JsonNode after = null;
        while (true) {
            ObjectNode request = Http.JSON.createObjectNode();
            request.put("size", 5000);
            request.putObject("query").putObject("term").put("tenant", tenant);
            request.putArray("sort").addObject().put("run_id", "asc");
            if (after != null) {
                request.set("search_after", after);
            }
            JsonNode hits = Http.expectOk(
                            "reading the tenant's documents",
                            http.postJson(url + "/" + index + "/_search", null, request))
                    .path("hits")
                    .path("hits");
            if (hits.isEmpty()) {
                break;
            }
            for (JsonNode hit : hits) {
                ObjectNode action = Http.JSON.createObjectNode();
                action.putObject("index")
                        .put("_index", target)
                        .put("_id", hit.path("_id").asText());
                out.write(Http.JSON.writeValueAsBytes(action));
                out.write('\n');
                out.write(Http.JSON.writeValueAsBytes(hit.path("_source")));
                out.write('\n');
                if (++inBody == perBody) {
                    bodies.add(out.toByteArray());
                    out.reset();
                    inBody = 0;
                }
            }
            after = hits.get(hits.size() - 1).path("sort");
        }
        if (inBody > 0) {
            bodies.add(out.toByteArray());
        }
        return bodies;
    }

    void createIndex(String name, Path definition) throws IOException {
        byte[] body = Files.readAllBytes(definition);
        Http.expectOk(
                "creating the scratch index " + name,
                http.send("PUT", url + "/" + name, null, "application/json", body));
    }

    /** Sends one bulk body; fails on any item error. */
    void bulk(byte[] body) {
        JsonNode reply = Http.expectOk("bulk", http.send("POST", url + "/_bulk", null, "application/x-ndjson", body));
        if (reply.path("errors").asBoolean()) {
            for (JsonNode item : (ArrayNode) reply.path("items")) {
                JsonNode error = item.path("index").path("error");
                if (!error.isMissingNode()) {
                    throw new IllegalStateException("bulk item refused: " + error);
                }
            }
        }
    }

    void refresh(String name) {
        Http.expectOk("refreshing " + name, http.send("POST", url + "/" + name + "/_refresh", null, null, null));
    }

    long count(String name) {
        return Http.expectOk("counting " + name, http.get(url + "/" + name + "/_count", null))
                .path("count")
                .asLong();
    }

    void deleteIndex(String name) {
        http.send("DELETE", url + "/" + name, null, null, null);
    }

    void deleteTenant(String tenant) {
        ObjectNode query = Http.JSON.createObjectNode();
        query.putObject("query").putObject("term").put("tenant", tenant);
        http.send(
                "POST",
                url + "/" + index + "/_delete_by_query?conflicts=proceed&refresh=true",
                null,
                "application/json",
                query.toString().getBytes(StandardCharsets.UTF_8));
    }
}
