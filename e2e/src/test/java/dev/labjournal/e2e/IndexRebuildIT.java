package dev.labjournal.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A rebuild of the runs index ({@code POST /api/v1/admin/reindex?rebuild=true}) never takes search away: while the
 * next index generation is filled from PostgreSQL, every search answers 200 from the old one and finds a known run,
 * and a search for runs nothing changes gives exactly the same runs before, during and across the swap;
 * afterwards the alias {@code labjournal-runs} points at the new index and the old one is gone. A change made during
 * the rebuild, after the fill had copied its run, reaches the new index before the swap (dual writes) and is
 * searchable after it. A document missing from the new index at the swap (as another instance's change would be,
 * since only the rebuilding instance dual-writes) is put back by the catch-up pass after it.
 *
 * <p>The tenant's id starts with {@code 0-}, so the fill (tenant by tenant, in id order) copies its runs first and the
 * change can be made while the rest of the platform's tenants are being copied.
 */
class IndexRebuildIT {

    private static final String ALIAS = "labjournal-runs";
    private static final Duration REBUILD_BOUND = Duration.ofMinutes(3);
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @Test
    void searchesAnswerFromTheOldIndexDuringARebuildAndAChangeMadeMeanwhileIsKept() throws Exception {
        TestTenant tenant = TestTenant.create("0-rebuild");
        String runId = "known-" + UUID.randomUUID();
        String marker =
                "rebuildmark" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String lateMarker =
                "latemark" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String docId = tenant.id() + ":" + runId;
        String missed = "missed-" + UUID.randomUUID();
        String missedDocId = tenant.id() + ":" + missed;
        Kcat.produce(
                "labjournal.run-events",
                List.of(
                        line(Events.started(tenant.id(), "rebuild", runId, "known run " + marker)),
                        line(Events.started(tenant.id(), "rebuild", missed, "missed run " + marker))));
        Searching.awaitHit(tenant.readKey(), marker, runId);
        Searching.awaitHit(tenant.readKey(), marker, missed);
        // Runs nothing changes during the rebuild: every search for them must give the same answer throughout.
        String stableMarker =
                "stablemark" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        List<String> stableRuns = List.of("stable-1-" + UUID.randomUUID(), "stable-2-" + UUID.randomUUID());
        Kcat.produce(
                "labjournal.run-events",
                stableRuns.stream()
                        .map(id -> line(Events.started(tenant.id(), "rebuild", id, "stable run " + stableMarker)))
                        .toList());
        stableRuns.forEach(id -> Searching.awaitHit(tenant.readKey(), stableMarker, id));
        assertThat(runIds(Searching.search(tenant.readKey(), stableMarker)))
                .containsExactlyInAnyOrderElementsOf(stableRuns);
        String before = aliasTarget();
        assertThat(before).startsWith(ALIAS + "-v");

        CompletableFuture<HttpResponse<String>> rebuild = HTTP.sendAsync(
                HttpRequest.newBuilder(URI.create(Platform.QUERY_URL + "/api/v1/admin/reindex?rebuild=true"))
                        .header("Authorization", "Bearer " + Platform.adminKey())
                        .timeout(REBUILD_BOUND)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        Instant deadline = Instant.now().plus(REBUILD_BOUND);
        int searches = 0;
        int searchesWhileFilling = 0;
        String next = null;
        boolean changeSent = false;
        boolean changeInNextBeforeSwap = false;
        boolean missedRemovedBeforeSwap = false;
        while (!rebuild.isDone()) {
            assertThat(Instant.now()).as("the rebuild is still running").isBefore(deadline);
            Platform.Reply reply = Searching.search(tenant.readKey(), marker);
            searches++;
            assertThat(reply.status())
                    .as("search %d during the rebuild: %s", searches, reply.body())
                    .isEqualTo(200);
            assertThat(reply.body().get("runs"))
                    .as("search %d during the rebuild finds the known run", searches)
                    .anyMatch(run -> run.get("run_id").asText().equals(runId));
            Platform.Reply stable = Searching.search(tenant.readKey(), stableMarker);
            assertThat(stable.status())
                    .as("search %d of unchanged runs during the rebuild: %s", searches, stable.body())
                    .isEqualTo(200);
            assertThat(runIds(stable))
                    .as("search %d of unchanged runs during the rebuild gives the same runs", searches)
                    .containsExactlyInAnyOrderElementsOf(stableRuns);
            String target = aliasTarget();
            if (next == null) {
                next = newerGeneration(before);
            }
            if (next == null || !target.equals(before)) {
                continue;
            }
            searchesWhileFilling++;
            if (!missedRemovedBeforeSwap && exists(next, missedDocId)) {
                // As if another query-service instance, which does not dual-write, had indexed this run's latest
                // change into the old index only: the new index lacks it. Only the catch-up pass can repair that.
                deleteAtItsVersion(next, missedDocId);
                missedRemovedBeforeSwap = aliasTarget().equals(before);
            }
            if (!changeSent && exists(next, docId)) {
                // The fill has copied the run: from here on only a dual write can bring the change to the new index.
                Kcat.produce(
                        "labjournal.run-events",
                        List.of(line(Events.note(tenant.id(), "rebuild", runId, "seen again as " + lateMarker))));
                changeSent = true;
            } else if (changeSent && !changeInNextBeforeSwap) {
                changeInNextBeforeSwap =
                        findsIn(next, lateMarker) && aliasTarget().equals(before);
            }
        }

        HttpResponse<String> done = rebuild.get(10, TimeUnit.SECONDS);
        assertThat(done.statusCode()).as("rebuild: %s", done.body()).isEqualTo(200);
        JsonNode result = Platform.JSON.readTree(done.body());
        System.out.printf(
                "rebuild: %s; %d searches during it, %d while the new index was being filled%n",
                result, searches, searchesWhileFilling);
        assertThat(result.get("previous").asText()).isEqualTo(before);
        assertThat(result.get("index").asText()).isEqualTo(next).isNotEqualTo(before);
        assertThat(result.get("mapping_version").asInt()).isPositive();
        assertThat(aliasTarget()).as("the alias after the rebuild").isEqualTo(next);
        assertThat(status(Platform.OPENSEARCH_URL + "/" + before))
                .as("the old index is deleted")
                .isEqualTo(404);
        assertThat(searchesWhileFilling)
                .as("searches answered while the new index existed and the alias was still on the old one")
                .isPositive();
        assertThat(changeSent)
                .as("a change was made after the fill had copied the run")
                .isTrue();
        assertThat(changeInNextBeforeSwap)
                .as("the change reached the new index while the alias was still on the old one (a dual write)")
                .isTrue();
        assertThat(missedRemovedBeforeSwap)
                .as("a run's document was taken out of the new index before the swap")
                .isTrue();
        assertThat(result.get("caught_up").asLong())
                .as("runs the catch-up pass indexed again after the swap")
                .isPositive();
        assertThat(exists(next, missedDocId))
                .as("the catch-up pass put the missing document back")
                .isTrue();
        Searching.awaitHit(tenant.readKey(), marker, missed);

        Searching.awaitHit(tenant.readKey(), marker, runId);
        Searching.awaitHit(tenant.readKey(), lateMarker, runId);
    }

    private static Kcat.KeyedLine line(com.fasterxml.jackson.databind.node.ObjectNode event) {
        return new Kcat.KeyedLine(event.get("subject").asText(), event.toString());
    }

    private static List<String> runIds(Platform.Reply reply) {
        List<String> ids = new ArrayList<>();
        reply.body().get("runs").forEach(run -> ids.add(run.get("run_id").asText()));
        return ids;
    }

    /** The physical index behind the alias. */
    private static String aliasTarget() throws Exception {
        Platform.Reply reply = Platform.openSearch("GET", "/_alias/" + ALIAS, null);
        assertThat(reply.status()).as("alias %s: %s", ALIAS, reply.body()).isEqualTo(200);
        assertThat(reply.body().size()).as("indices behind %s", ALIAS).isEqualTo(1);
        return reply.body().fieldNames().next();
    }

    /** A generation of the runs index other than {@code current}, if one exists. */
    private static String newerGeneration(String current) throws Exception {
        Platform.Reply reply = Platform.openSearch("GET", "/_cat/indices/" + ALIAS + "-v*?format=json&h=index", null);
        assertThat(reply.status()).isEqualTo(200);
        for (JsonNode row : reply.body()) {
            String name = row.get("index").asText();
            if (!name.equals(current)) {
                return name;
            }
        }
        return null;
    }

    /** Deletes a document at its own version (external_gte), so that a write of that version is welcome again. */
    private static void deleteAtItsVersion(String index, String docId) throws Exception {
        Platform.Reply doc = Platform.openSearch("GET", "/" + index + "/_doc/" + docId, null);
        assertThat(doc.status()).as("%s: %s", docId, doc.body()).isEqualTo(200);
        long version = doc.body().get("_version").asLong();
        Platform.Reply deleted = Platform.openSearch(
                "DELETE", "/" + index + "/_doc/" + docId + "?version=" + version + "&version_type=external_gte", null);
        assertThat(deleted.status()).as("delete %s: %s", docId, deleted.body()).isEqualTo(200);
    }

    private static boolean exists(String index, String docId) throws Exception {
        return Platform.openSearch("GET", "/" + index + "/_doc/" + docId, null).status() == 200;
    }

    /** Whether a search of this physical index (refreshed first) finds the word in notes. */
    private static boolean findsIn(String index, String word) throws Exception {
        Platform.openSearch("POST", "/" + index + "/_refresh", "");
        Platform.Reply reply = Platform.openSearch(
                "POST",
                "/" + index + "/_search",
                "{\"query\": {\"match\": {\"notes\": \"" + word + "\"}}, \"size\": 1}");
        return reply.status() == 200
                && reply.body().get("hits").get("total").get("value").asLong() > 0;
    }

    private static int status(String url) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
