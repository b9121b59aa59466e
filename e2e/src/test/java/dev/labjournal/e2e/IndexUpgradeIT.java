package dev.labjournal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Starting query-service on an index of an older mapping version (1: no {@code datasets}) is safe. The test stops its
 * own query-service, puts a version-1 index behind the alias (a copy of the live one without datasets, as an install
 * of the previous release has it), publishes a run with datasets while query-service is down, and starts it again.
 * At start the new fields are added to the live index, so the waiting run's document (with datasets; the mapping is
 * {@code dynamic: strict}) is not refused; a rebuild in the background then moves the alias to a version-2 index in
 * which the old run's document has its datasets too.
 */
class IndexUpgradeIT {

    private static final String ALIAS = "labjournal-runs";
    private static final String TOPIC = "labjournal.run-events";
    private static final int CURRENT_VERSION = currentVersion();
    /** The fields that mapping versions 2 (datasets) and 3 (failure signatures) added. */
    private static final List<String> SINCE_VERSION_ONE = List.of(
            "datasets",
            "failure_group",
            "failure_exception",
            "failure_exception_types",
            "failure_message_normalised",
            "failure_app_frames",
            "failure_library_frames");

    @Test
    void anOutdatedIndexGetsTheNewFieldsAtStartAndIsRebuiltBehindTheAlias() throws Exception {
        TestTenant tenant = TestTenant.create("upgrade");
        String dataset = "upgrade-set-" + UUID.randomUUID().toString().substring(0, 8);
        String old = "old-" + UUID.randomUUID();
        String fresh = "fresh-" + UUID.randomUUID();
        Kcat.produce(TOPIC, List.of(line(started(tenant.id(), old, dataset, "sha-old"))));
        await("the old run searchable by its dataset")
                .atMost(Duration.ofSeconds(30))
                .until(() ->
                        matches(tenant, "datasets.name = '" + dataset + "'").contains(old));

        LocalStack.run("down", "query-service");
        try {
            String current = aliasTarget();
            String v1 = ALIAS + "-v" + (generation(current) + 1);
            ObjectNode definition = versionOneDefinition();
            assertThat(Platform.openSearch("PUT", "/" + v1, definition.toString())
                            .status())
                    .isEqualTo(200);
            Platform.Reply copied = Platform.openSearch(
                    "POST",
                    "/_reindex?refresh=true",
                    "{\"source\": {\"index\": \"" + current + "\"}, \"dest\": {\"index\": \"" + v1 + "\","
                            + " \"version_type\": \"external\"},"
                            + " \"script\": {\"source\": \"for (def f : params.fields) { ctx._source.remove(f) }\","
                            + " \"params\": {\"fields\": " + Platform.JSON.valueToTree(SINCE_VERSION_ONE) + "}}}");
            assertThat(copied.status()).as("reindex: %s", copied.body()).isEqualTo(200);
            assertThat(copied.body().get("failures")).isEmpty();
            Platform.Reply moved = Platform.openSearch(
                    "POST",
                    "/_aliases",
                    "{\"actions\": [{\"remove\": {\"index\": \"" + current + "\", \"alias\": \"" + ALIAS + "\"}},"
                            + " {\"add\": {\"index\": \"" + v1 + "\", \"alias\": \"" + ALIAS + "\"}}]}");
            assertThat(moved.status()).as("alias: %s", moved.body()).isEqualTo(200);
            assertThat(Platform.openSearch("DELETE", "/" + current, null).status())
                    .isEqualTo(200);
            assertThat(mappingVersion(v1)).isEqualTo(1);
            Platform.Reply refused =
                    Platform.openSearch("POST", "/" + v1 + "/_doc/probe", "{\"datasets\": [{\"name\": \"x\"}]}");
            assertThat(refused.status())
                    .as("the version-1 index refuses datasets: %s", refused.body())
                    .isEqualTo(400);

            Kcat.produce(TOPIC, List.of(line(started(tenant.id(), fresh, dataset, "sha-fresh"))));
            AtomicBoolean v1HadDatasets = new AtomicBoolean();
            Thread watcher = new Thread(() -> watchMapping(v1, v1HadDatasets));
            watcher.setDaemon(true);
            watcher.start();
            LocalStack.run("up");

            await("the alias moved to a version-2 index")
                    .atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        String target = aliasTarget();
                        return !target.equals(v1) && mappingVersion(target) == CURRENT_VERSION;
                    });
            watcher.interrupt();
            assertThat(v1HadDatasets)
                    .as("datasets was added to the version-1 index's mapping before it was replaced")
                    .isTrue();
            await("both runs found by their dataset in the rebuilt index")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> matches(tenant, "datasets.name = '" + dataset + "'")
                            .equals(new TreeSet<>(Set.of(old, fresh))));
            assertThat(matches(tenant, "datasets.digest = 'sha-old'")).containsExactly(old);
            assertThat(matches(tenant, "datasets.digest = 'sha-fresh'")).containsExactly(fresh);
            JsonNode failures = Platform.get(
                            Platform.QUERY_URL + "/api/v1/admin/index-failures?tenant=" + tenant.id(),
                            Platform.adminKey())
                    .body();
            assertThat(failures.get("total").asLong())
                    .as("refused documents: %s", failures)
                    .isZero();
        } finally {
            // query-service back whatever failed above ("up" does nothing when everything runs)
            LocalStack.run("up");
        }
    }

    @Test
    void aChangedRefreshIntervalReachesTheExistingIndexAtStart() throws Exception {
        String wanted = Platform.JSON
                .readTree(Files.readString(
                        Platform.ROOT.resolve("query-service/src/main/resources/search/runs-index.json")))
                .path("settings")
                .path("refresh_interval")
                .asText();
        assertThat(wanted).isNotEmpty().isNotEqualTo("7s");
        LocalStack.run("down", "query-service");
        try {
            String current = aliasTarget();
            Platform.Reply set = Platform.openSearch(
                    "PUT", "/" + current + "/_settings", "{\"index\": {\"refresh_interval\": \"7s\"}}");
            assertThat(set.status()).as("settings: %s", set.body()).isEqualTo(200);
            assertThat(refreshInterval(current)).isEqualTo("7s");
        } finally {
            LocalStack.run("up");
        }
        await("the definition's refresh interval on the index behind the alias")
                .atMost(Duration.ofSeconds(30))
                .until(() -> refreshInterval(aliasTarget()).equals(wanted));
    }

    private static String refreshInterval(String index) throws Exception {
        Platform.Reply reply = Platform.openSearch("GET", "/" + index + "/_settings/index.refresh_interval", null);
        assertThat(reply.status()).as("settings of %s: %s", index, reply.body()).isEqualTo(200);
        return reply.body()
                .path(index)
                .path("settings")
                .path("index")
                .path("refresh_interval")
                .asText();
    }

    /** Polls the mapping of the index until it is gone, noting whether it ever had the datasets field. */
    private static void watchMapping(String index, AtomicBoolean hadDatasets) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Platform.Reply reply = Platform.openSearch("GET", "/" + index + "/_mapping", null);
                if (reply.status() == 200
                        && reply.body()
                                .path(index)
                                .path("mappings")
                                .path("properties")
                                .has("datasets")) {
                    hadDatasets.set(true);
                    return;
                }
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // OpenSearch busy or the index gone: keep watching until interrupted
            }
        }
    }

    /** The mapping version of this code's index definition. */
    private static int currentVersion() {
        try {
            return Platform.JSON
                    .readTree(Files.readString(
                            Platform.ROOT.resolve("query-service/src/main/resources/search/runs-index.json")))
                    .path("mappings")
                    .path("_meta")
                    .path("mapping_version")
                    .asInt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The index definition of this code with what versions 2 and 3 added taken out: version 1. */
    private static ObjectNode versionOneDefinition() throws Exception {
        ObjectNode definition = (ObjectNode) Platform.JSON.readTree(
                Files.readString(Platform.ROOT.resolve("query-service/src/main/resources/search/runs-index.json")));
        ObjectNode mappings = (ObjectNode) definition.get("mappings");
        ((ObjectNode) mappings.get("properties")).remove(SINCE_VERSION_ONE);
        ((ObjectNode) mappings.get("_meta")).put("mapping_version", 1);
        return definition;
    }

    private static ObjectNode started(String tenant, String runId, String dataset, String digest) {
        ObjectNode data = Events.data().put("team", "vision").put("name", "upgrade run");
        data.putArray("datasets").addObject().put("name", dataset).put("digest", digest);
        return Events.event(tenant, "upgrade", runId, "started", data);
    }

    private static Kcat.KeyedLine line(ObjectNode event) {
        return new Kcat.KeyedLine(event.get("subject").asText(), event.toString());
    }

    private static Set<String> matches(TestTenant tenant, String filter) throws Exception {
        Platform.Reply reply = Platform.get(
                Platform.QUERY_URL + "/api/v1/runs/search?limit=50&filter="
                        + URLEncoder.encode(filter, StandardCharsets.UTF_8),
                tenant.readKey());
        Set<String> ids = new TreeSet<>();
        if (reply.status() == 200) {
            reply.body().get("runs").forEach(run -> ids.add(run.get("run_id").asText()));
        }
        return ids;
    }

    private static String aliasTarget() throws Exception {
        Platform.Reply reply = Platform.openSearch("GET", "/_alias/" + ALIAS, null);
        assertThat(reply.status()).as("alias %s: %s", ALIAS, reply.body()).isEqualTo(200);
        assertThat(reply.body().size()).as("indices behind %s", ALIAS).isEqualTo(1);
        return reply.body().fieldNames().next();
    }

    private static int generation(String index) {
        return Integer.parseInt(index.substring(index.lastIndexOf("-v") + 2));
    }

    private static int mappingVersion(String index) throws Exception {
        Platform.Reply reply = Platform.openSearch("GET", "/" + index + "/_mapping", null);
        assertThat(reply.status()).as("mapping of %s: %s", index, reply.body()).isEqualTo(200);
        return reply.body()
                .path(index)
                .path("mappings")
                .path("_meta")
                .path("mapping_version")
                .asInt();
    }
}
