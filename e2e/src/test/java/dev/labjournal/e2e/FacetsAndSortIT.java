package dev.labjournal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Facets, sort, cursor pages and dataset filters of {@code GET /api/v1/runs/search}, against runs published to Kafka
 * with kcat in a tenant of the test's own. Every expected answer is computed here from the table of runs the test
 * sent: facet counts over the whole match (checked on every page), the order of each sort (runs lacking the key
 * last), the dataset filters worked out by hand. Pages are read while new runs are published and indexed, and never
 * repeat or skip a run that existed at the first page. Tenant B's key sees no value of tenant A's.
 */
class FacetsAndSortIT {

    private static final String TOPIC = "labjournal.run-events";
    private static final int RUNS = 36;
    private static final Instant BASE = Instant.now().minus(Duration.ofHours(1));
    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 6);
    private static final String WORD = "facetword" + SUFFIX;
    private static final List<String> TEAMS = List.of("vision-" + SUFFIX, "nlp-" + SUFFIX, "speech-" + SUFFIX);
    private static final List<String> USERS = List.of("ada", "bob", "cy");
    /** The runs of the table, without those the paging tests add (projects p-late and p-pit). */
    private static final String TABLE_ONLY = "attributes.project IN ('p-one', 'p-two')";

    private static TestTenant a;
    private static TestTenant b;
    private static final List<Row> TABLE = new ArrayList<>();

    /** One run of tenant A as sent; null: the run has no such value. */
    private record Row(
            int index,
            String runId,
            String team,
            String project,
            String user,
            String status,
            String failureType,
            String env,
            String lr,
            Double loss,
            Instant start,
            List<String[]> datasets) {}

    @BeforeAll
    static void runsOfTwoTenantsPublishedThroughKafka() throws Exception {
        Platform.ensureUp();
        a = TestTenant.create("facets-a");
        b = TestTenant.create("facets-b");
        for (int i = 0; i < RUNS; i++) {
            TABLE.add(row(i));
        }
        List<Kcat.KeyedLine> lines = new ArrayList<>();
        for (Row row : TABLE) {
            eventsOf(a.id(), row).forEach(event -> lines.add(line(event)));
        }
        for (int i = 0; i < 3; i++) {
            Row foreign = new Row(
                    i,
                    "b-run-" + i + "-" + SUFFIX,
                    "b-team-" + SUFFIX,
                    "p-one",
                    "zed",
                    "failed",
                    "ValueError",
                    "prod",
                    "0.1",
                    0.01,
                    BASE.plusSeconds(i),
                    List.<String[]>of(new String[] {"mnist", "sha-1"}));
            eventsOf(b.id(), foreign).forEach(event -> lines.add(line(event)));
        }
        Kcat.produce(TOPIC, lines);
        await("all runs indexed in their final state")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(FacetsAndSortIT::allIndexed);
    }

    private static Row row(int i) {
        String status = i % 6 == 0 ? "failed" : i % 6 == 1 ? "succeeded" : i % 6 == 2 ? "killed" : "running";
        List<String[]> datasets = switch (i) {
            case 0 -> List.<String[]>of(new String[] {"mnist", "sha-1"});
            case 1 -> List.of(new String[] {"mnist", "sha-2"}, new String[] {"cifar", "sha-3"});
            case 2 -> List.<String[]>of(new String[] {"cifar", null});
            case 4 -> List.<String[]>of(new String[] {"imagenet", "sha-4"});
            default -> List.of();
        };
        return new Row(
                i,
                String.format("run-%02d-%s", i, SUFFIX),
                TEAMS.get(i % 3),
                i % 4 == 0 ? "p-two" : "p-one",
                USERS.get((i * 7 / 3) % 3),
                status,
                "failed".equals(status) ? (i % 12 == 0 ? "ValueError" : "OutOfMemoryError") : null,
                i % 5 == 0 ? null : i % 5 <= 2 ? "prod" : "dev",
                i % 7 == 0 ? null : "0." + (i % 5),
                i % 4 == 3 ? null : ((i * 37) % 17) / 10.0 + 0.05,
                BASE.plusSeconds(i),
                datasets);
    }

    private static List<ObjectNode> eventsOf(String tenant, Row row) {
        List<ObjectNode> events = new ArrayList<>();
        String project = row.project();
        ObjectNode data = Events.data()
                .put("team", row.team())
                .put("user", row.user())
                .put("name", "run " + row.index() + " " + (tenant.equals(a.id()) ? WORD : "foreign"));
        if (row.lr() != null) {
            data.putObject("params").put("lr", row.lr());
        }
        if (row.env() != null) {
            data.putObject("tags").put("env", row.env());
        }
        if (!row.datasets().isEmpty()) {
            ArrayNode datasets = data.putArray("datasets");
            for (String[] dataset : row.datasets()) {
                ObjectNode d = datasets.addObject().put("name", dataset[0]);
                if (dataset[1] != null) {
                    d.put("digest", dataset[1]);
                }
            }
        }
        events.add(at(Events.event(tenant, project, row.runId(), "started", data), row.start()));
        if (row.loss() != null) {
            ObjectNode metrics = Events.data();
            metrics.putArray("metrics")
                    .addObject()
                    .put("key", "loss")
                    .put("value", row.loss())
                    .put("step", 1);
            events.add(at(Events.event(tenant, project, row.runId(), "metrics", metrics), row.start()));
        }
        if ("failed".equals(row.status())) {
            events.add(at(Events.failed(tenant, project, row.runId(), row.failureType(), "at train.py"), row.start()));
        } else if (!"running".equals(row.status())) {
            events.add(at(Events.finished(tenant, project, row.runId(), row.status()), row.start()));
        }
        return events;
    }

    private static ObjectNode at(ObjectNode event, Instant time) {
        return event.put("time", time.toString());
    }

    private static Kcat.KeyedLine line(ObjectNode event) {
        return new Kcat.KeyedLine(event.get("subject").asText(), event.toString());
    }

    private static boolean allIndexed() throws Exception {
        Map<String, String> statuses = new TreeMap<>();
        for (JsonNode run : page(a, Map.of("limit", "200")).get("runs")) {
            statuses.put(run.get("run_id").asText(), run.get("status").asText());
        }
        Map<String, String> expected = new TreeMap<>();
        TABLE.forEach(row -> expected.put(row.runId(), row.status()));
        return statuses.equals(expected)
                && runIds(a, Map.of("limit", "200", "filter", "metrics.loss > -1000000"))
                        .equals(ids(row -> row.loss() != null))
                && runIds(a, Map.of("limit", "200", "filter", "datasets.name LIKE '%'"))
                        .equals(ids(row -> !row.datasets().isEmpty()))
                && page(b, Map.of("limit", "200", "filter", "metrics.loss < 1"))
                                .get("total")
                                .asInt()
                        == 3;
    }

    // ---- facets ----

    @Test
    void facetsCountTheWholeMatchOnEveryPage() throws Exception {
        assertFacetsOnEveryPage(Map.of("filter", TABLE_ONLY), row -> true);
        assertFacetsOnEveryPage(
                Map.of("filter", "attributes.project = 'p-one'"),
                row -> row.project().equals("p-one"));
        assertFacetsOnEveryPage(
                Map.of("q", "memory", "filter", "tags.env IS NOT NULL"),
                row -> "failed".equals(row.status()) && row.env() != null);
    }

    private static void assertFacetsOnEveryPage(Map<String, String> search, Predicate<Row> matches) throws Exception {
        List<Row> matching = TABLE.stream().filter(matches).toList();
        Map<String, Map<String, Long>> expected = new LinkedHashMap<>();
        expected.put("team", counts(matching, Row::team));
        expected.put("project", counts(matching, Row::project));
        expected.put("status", counts(matching, Row::status));
        expected.put("failure_type", counts(matching, Row::failureType));
        expected.put("user", counts(matching, Row::user));
        expected.put("tags.env", counts(matching, Row::env));
        Map<String, String> params = new LinkedHashMap<>(search);
        params.put("facets", "team,project,status,failure_type,user,tags.env,failure_group");
        params.put("limit", "4");
        int pages = 0;
        Set<String> seen = new HashSet<>();
        String token = null;
        do {
            Map<String, String> request = new LinkedHashMap<>(params);
            if (token != null) {
                request.put("page_token", token);
            }
            JsonNode page = page(a, request);
            pages++;
            assertThat(page.get("total").asInt()).as("total of %s", search).isEqualTo(matching.size());
            JsonNode facets = page.get("facets");
            for (var facet : expected.entrySet()) {
                JsonNode buckets = facets.get(facet.getKey());
                assertThat(bucketCounts(buckets))
                        .as("facet %s of %s, page %d", facet.getKey(), search, pages)
                        .isEqualTo(facet.getValue());
                assertMostFrequentFirst(buckets);
            }
            assertThat(facets.has("failure_group")).isTrue();
            page.get("runs").forEach(run -> seen.add(run.get("run_id").asText()));
            token = page.path("next_page_token").isTextual()
                    ? page.get("next_page_token").asText()
                    : null;
        } while (token != null);
        assertThat(seen).isEqualTo(matching.stream().map(Row::runId).collect(Collectors.toSet()));
        assertThat(pages).isEqualTo(Math.max(1, (matching.size() + 3) / 4));
    }

    @Test
    void facetSizeKeepsTheMostFrequentValues() throws Exception {
        JsonNode buckets = page(a, Map.of("facets", "user", "facet_size", "1", "limit", "1", "filter", TABLE_ONLY))
                .get("facets")
                .get("user");
        Map<String, Long> users = counts(TABLE, Row::user);
        long top = users.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        String first = users.entrySet().stream()
                .filter(e -> e.getValue() == top)
                .map(Map.Entry::getKey)
                .sorted()
                .findFirst()
                .orElseThrow();
        assertThat(buckets).hasSize(1);
        assertThat(buckets.get(0).get("value").asText()).isEqualTo(first);
        assertThat(buckets.get(0).get("count").asLong()).isEqualTo(top);
    }

    @Test
    void anotherTenantsKeyGetsNoneOfTheseValues() throws Exception {
        JsonNode facets = page(b, Map.of("facets", "team,user,tags.env,status", "filter", "tags.env = 'prod'"))
                .get("facets");
        assertThat(bucketCounts(facets.get("team"))).isEqualTo(Map.of("b-team-" + SUFFIX, 3L));
        assertThat(bucketCounts(facets.get("user"))).isEqualTo(Map.of("zed", 3L));
        assertThat(bucketCounts(facets.get("tags.env"))).isEqualTo(Map.of("prod", 3L));
        assertThat(facets.toString()).doesNotContain(TEAMS.toArray(String[]::new));
        assertThat(runIds(b, Map.of("q", WORD, "sort", "metrics.loss ASC", "limit", "200")))
                .as("tenant A's runs are not found with tenant B's key")
                .isEmpty();
        assertThat(runIds(b, Map.of("filter", "datasets.name = 'mnist'", "limit", "200")))
                .hasSize(3)
                .allSatisfy(id -> assertThat(id).startsWith("b-run-"));
        JsonNode chosen = page(b, Map.of("limit", "200", "columns", "params.lr,metrics.loss,tags.env"));
        assertThat(chosen.get("runs"))
                .as("tenant B's own runs with their own values (no run of A has a loss of 0.01)")
                .hasSize(3)
                .allSatisfy(run -> {
                    assertThat(run.get("run_id").asText()).startsWith("b-run-");
                    assertThat(run.get("columns").toString())
                            .isEqualTo("{\"params.lr\":\"0.1\",\"metrics.loss\":0.01,\"tags.env\":\"prod\"}");
                });
    }

    // ---- sort ----

    @Test
    void aMetricSortsBothWaysWithRunsLackingItLast() throws Exception {
        Comparator<Row> byLoss = Comparator.comparing(Row::loss);
        assertThat(allPages(Map.of("sort", "metrics.loss ASC"), 5)).containsExactlyElementsOf(lackingLast(byLoss));
        assertThat(allPages(Map.of("sort", "metric.`loss` desc"), 5))
                .containsExactlyElementsOf(lackingLast(byLoss.reversed()));
    }

    private static List<String> lackingLast(Comparator<Row> byLoss) {
        List<String> order = new ArrayList<>();
        TABLE.stream()
                .filter(row -> row.loss() != null)
                .sorted(byLoss.thenComparing(Row::runId))
                .forEach(row -> order.add(row.runId()));
        TABLE.stream()
                .filter(row -> row.loss() == null)
                .sorted(Comparator.comparing(Row::runId))
                .forEach(row -> order.add(row.runId()));
        return order;
    }

    @Test
    void aParamSortsAsTextAndTimesAsTimes() throws Exception {
        List<String> byLr = new ArrayList<>();
        TABLE.stream()
                .filter(row -> row.lr() != null)
                .sorted(Comparator.comparing(Row::lr).reversed().thenComparing(Row::runId))
                .forEach(row -> byLr.add(row.runId()));
        TABLE.stream()
                .filter(row -> row.lr() == null)
                .sorted(Comparator.comparing(Row::runId))
                .forEach(row -> byLr.add(row.runId()));
        assertThat(allPages(Map.of("sort", "params.lr DESC"), 7)).containsExactlyElementsOf(byLr);

        List<String> oldestFirst = TABLE.stream()
                .sorted(Comparator.comparing(Row::start))
                .map(Row::runId)
                .toList();
        assertThat(allPages(Map.of("sort", "attributes.start_time ASC"), 6)).containsExactlyElementsOf(oldestFirst);
        assertThat(allPages(Map.of(), 6))
                .as("newest first by default")
                .containsExactlyElementsOf(TABLE.stream()
                        .sorted(Comparator.comparing(Row::start).reversed())
                        .map(Row::runId)
                        .toList());
        assertThat(allPages(Map.of("sort", "team, start_time DESC"), 8))
                .containsExactlyElementsOf(TABLE.stream()
                        .sorted(Comparator.comparing(Row::team)
                                .thenComparing(Comparator.comparing(Row::start).reversed()))
                        .map(Row::runId)
                        .toList());
    }

    // ---- cursor pages while runs arrive ----

    @Test
    void pagesNewestFirstNeverRepeatOrSkipARunWhileNewRunsArrive() throws Exception {
        Set<String> existing = ids(row -> true);
        Set<String> newer = new HashSet<>();
        List<String> seen = new ArrayList<>();
        String token = null;
        int published = 0;
        do {
            Map<String, String> request = new LinkedHashMap<>(
                    Map.of("limit", "5", "filter", "attributes.project IN ('p-one', 'p-two', 'p-late')"));
            if (token != null) {
                request.put("page_token", token);
            }
            JsonNode page = page(a, request);
            page.get("runs").forEach(run -> seen.add(run.get("run_id").asText()));
            token = page.path("next_page_token").isTextual()
                    ? page.get("next_page_token").asText()
                    : null;
            // One run newer than all (before the cursor) and one older than all (after it), both searchable before
            // the next page is asked for.
            String newest = "late-new-" + published + "-" + SUFFIX;
            String oldest = "late-old-" + published + "-" + SUFFIX;
            published++;
            publishAndAwait(newest, "p-late", Instant.now());
            publishAndAwait(oldest, "p-late", BASE.minus(Duration.ofMinutes(published)));
            newer.add(newest);
        } while (token != null);
        assertThat(seen).as("no run twice").doesNotHaveDuplicates();
        assertThat(seen).as("every run of the first page's time").containsAll(existing);
        assertThat(seen).as("runs newer than the cursor are not on later pages").doesNotContainAnyElementsOf(newer);
        assertThat(published).isGreaterThan(5);
    }

    @Test
    void relevancePagesReadOnePointInTime() throws Exception {
        // Scores move whenever a run is added (term statistics), so relevance pages are read from the first page's
        // point in time: runs added meanwhile are not on later pages, and no run is repeated or skipped.
        Set<String> existing = ids(row -> true);
        List<String> seen = new ArrayList<>();
        String token = null;
        int published = 0;
        do {
            Map<String, String> request = new LinkedHashMap<>(
                    Map.of("q", WORD, "limit", "7", "filter", "attributes.project IN ('p-one', 'p-two', 'p-pit')"));
            if (token != null) {
                request.put("page_token", token);
            }
            JsonNode page = page(a, request);
            assertThat(page.get("total").asInt())
                    .as("the total of the first page's time")
                    .isEqualTo(RUNS);
            page.get("runs").forEach(run -> seen.add(run.get("run_id").asText()));
            token = page.path("next_page_token").isTextual()
                    ? page.get("next_page_token").asText()
                    : null;
            // As relevant as the others and older than all: a live search would put it on a later page.
            published++;
            publishAndAwait("late-pit-" + published + "-" + SUFFIX, "p-pit", BASE.minus(Duration.ofMinutes(published)));
        } while (token != null);
        assertThat(published).isGreaterThan(4);
        assertThat(seen).doesNotHaveDuplicates();
        assertThat(new TreeSet<>(seen)).isEqualTo(new TreeSet<>(existing));
    }

    /** Publishes a run whose name holds the test's word and waits until it is searchable. */
    private static void publishAndAwait(String runId, String project, Instant start) throws Exception {
        ObjectNode data = Events.data().put("team", TEAMS.get(0)).put("name", "late run " + WORD);
        Kcat.produce(TOPIC, List.of(line(at(Events.event(a.id(), project, runId, "started", data), start))));
        await("run " + runId + " searchable")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> runIds(a, Map.of("filter", "attributes.run_id = '" + runId + "'"))
                        .contains(runId));
    }

    // ---- datasets ----

    @Test
    void datasetFiltersMatchWhenAnyDatasetOfTheRunDoes() throws Exception {
        assertThat(indices("datasets.name = 'mnist'")).containsExactly(0, 1);
        assertThat(indices("datasets.name != 'mnist'"))
                .as("cifar of run 1 is not mnist")
                .containsExactly(1, 2, 4);
        assertThat(indices("datasets.digest = 'sha-3'")).containsExactly(1);
        assertThat(indices("datasets.digest != 'sha-1'"))
                .as("run 2's dataset has no digest")
                .containsExactly(1, 4);
        assertThat(indices("datasets.name LIKE 'c%'")).containsExactly(1, 2);
        assertThat(indices("datasets.name ILIKE 'MNIST'")).containsExactly(0, 1);
        assertThat(indices("datasets.name IN ('cifar', 'imagenet')")).containsExactly(1, 2, 4);
        assertThat(indices("datasets.name NOT IN ('mnist', 'cifar')")).containsExactly(4);
        assertThat(indices("dataset.name = 'mnist' AND datasets.digest = 'sha-3'"))
                .containsExactly(1);
        assertThat(indices("datasets.name = 'imagenet' OR datasets.digest = 'sha-1'"))
                .containsExactly(0, 4);
    }

    private static Set<Integer> indices(String filter) throws Exception {
        Set<Integer> found = new TreeSet<>();
        for (String runId : runIds(a, Map.of("filter", filter, "limit", "200"))) {
            found.add(TABLE.stream()
                    .filter(row -> row.runId().equals(runId))
                    .findFirst()
                    .map(Row::index)
                    .orElse(-1));
        }
        return found;
    }

    // ---- bad requests ----

    /** columns= adds each run's param, last metric value and tag by name, null where the run lacks the key. */
    @Test
    void chosenColumnsCarryEachRunsParamLastMetricValueAndTag() throws Exception {
        Map<String, Row> byId = new LinkedHashMap<>();
        TABLE.forEach(row -> byId.put(row.runId(), row));
        JsonNode page =
                page(a, Map.of("filter", TABLE_ONLY, "limit", "200", "columns", "param.lr, metrics.loss,tags.env"));

        assertThat(page.get("runs")).hasSize(TABLE.size());
        for (JsonNode run : page.get("runs")) {
            Row row = byId.get(run.get("run_id").asText());
            JsonNode columns = run.get("columns");
            List<String> names = new ArrayList<>();
            columns.fieldNames().forEachRemaining(names::add);
            assertThat(names).containsExactly("params.lr", "metrics.loss", "tags.env");
            assertThat(
                            columns.get("params.lr").isNull()
                                    ? null
                                    : columns.get("params.lr").textValue())
                    .as("lr of %s", row.runId())
                    .isEqualTo(row.lr());
            assertThat(
                            columns.get("metrics.loss").isNull()
                                    ? null
                                    : columns.get("metrics.loss").doubleValue())
                    .as("loss of %s", row.runId())
                    .isEqualTo(row.loss());
            assertThat(
                            columns.get("tags.env").isNull()
                                    ? null
                                    : columns.get("tags.env").textValue())
                    .as("env of %s", row.runId())
                    .isEqualTo(row.env());
        }
        assertThat(page(a, Map.of("filter", TABLE_ONLY, "limit", "3"))
                        .get("runs")
                        .get(0)
                        .has("columns"))
                .as("no columns unless asked")
                .isFalse();
        Platform.Reply bad = get(a, Map.of("columns", "params.lr,status"));
        assertThat(bad.status()).isEqualTo(400);
        JsonNode error = bad.body().get("error");
        assertThat(error.get("code").asText()).isEqualTo("invalid_columns");
        assertThat(error.get("details").get("column").asInt()).isEqualTo(11);
    }

    @Test
    void badFacetsSortsAndTokensAre400s() throws Exception {
        Platform.Reply facet = get(a, Map.of("facets", "team,colour"));
        assertThat(facet.status()).isEqualTo(400);
        assertThat(facet.body().get("error").get("code").asText()).isEqualTo("invalid_facet");
        assertThat(facet.body().get("error").get("details").get("facet").asText())
                .isEqualTo("colour");

        Platform.Reply sort = get(a, Map.of("sort", "metrics.loss UP"));
        assertThat(sort.status()).isEqualTo(400);
        assertThat(sort.body().get("error").get("code").asText()).isEqualTo("invalid_sort");
        assertThat(sort.body().get("error").get("details").get("column").asInt())
                .isEqualTo(14);
        assertThat(get(a, Map.of("sort", "datasets.name")).status()).isEqualTo(400);
        assertThat(get(a, Map.of("facets", "team", "facet_size", "1000")).status())
                .isEqualTo(400);

        String token = page(a, Map.of("sort", "metrics.loss ASC", "limit", "2"))
                .get("next_page_token")
                .asText();
        assertThat(get(a, Map.of("sort", "metrics.loss ASC", "limit", "2", "page_token", token))
                        .status())
                .isEqualTo(200);
        for (Map<String, String> other : List.of(
                Map.of("sort", "metrics.loss DESC", "page_token", token),
                Map.of("sort", "metrics.loss ASC", "filter", "params.lr = '0.1'", "page_token", token),
                Map.of("sort", "metrics.loss ASC", "q", WORD, "page_token", token),
                Map.of("page_token", token),
                Map.of("sort", "metrics.loss ASC", "page_token", "bm90LWEtdG9rZW4"))) {
            Platform.Reply reply = get(a, other);
            assertThat(reply.status()).as("%s", other).isEqualTo(400);
            assertThat(reply.body().get("error").get("code").asText()).isEqualTo("invalid_page_token");
        }
    }

    // ---- helpers ----

    /** The run ids of every page, in order, with this page size. */
    private static List<String> allPages(Map<String, String> search, int limit) throws Exception {
        List<String> ids = new ArrayList<>();
        String token = null;
        do {
            Map<String, String> request = new LinkedHashMap<>(search);
            request.put("limit", String.valueOf(limit));
            request.put("filter", TABLE_ONLY);
            if (token != null) {
                request.put("page_token", token);
            }
            JsonNode page = page(a, request);
            page.get("runs").forEach(run -> ids.add(run.get("run_id").asText()));
            token = page.path("next_page_token").isTextual()
                    ? page.get("next_page_token").asText()
                    : null;
        } while (token != null);
        return ids;
    }

    private static Set<String> ids(Predicate<Row> matches) {
        return TABLE.stream().filter(matches).map(Row::runId).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> runIds(TestTenant tenant, Map<String, String> params) throws Exception {
        Set<String> ids = new TreeSet<>();
        page(tenant, params)
                .get("runs")
                .forEach(run -> ids.add(run.get("run_id").asText()));
        return ids;
    }

    private static Map<String, Long> counts(List<Row> rows, Function<Row, String> value) {
        return rows.stream()
                .map(value)
                .filter(v -> v != null)
                .collect(Collectors.groupingBy(v -> v, TreeMap::new, Collectors.counting()));
    }

    private static Map<String, Long> bucketCounts(JsonNode buckets) {
        Map<String, Long> counts = new TreeMap<>();
        buckets.forEach(bucket ->
                counts.put(bucket.get("value").asText(), bucket.get("count").asLong()));
        return counts;
    }

    private static void assertMostFrequentFirst(JsonNode buckets) {
        for (int i = 1; i < buckets.size(); i++) {
            JsonNode before = buckets.get(i - 1);
            JsonNode after = buckets.get(i);
            long c1 = before.get("count").asLong();
            long c2 = after.get("count").asLong();
            assertThat(c1 > c2
                            || (c1 == c2
                                    && before.get("value")
                                                    .asText()
                                                    .compareTo(
                                                            after.get("value").asText())
                                            < 0))
                    .as("%s before %s", before, after)
                    .isTrue();
        }
    }

    private static JsonNode page(TestTenant tenant, Map<String, String> params) throws Exception {
        Platform.Reply reply = get(tenant, params);
        assertThat(reply.status()).as("%s: %s", params, reply.body()).isEqualTo(200);
        return reply.body();
    }

    private static Platform.Reply get(TestTenant tenant, Map<String, String> params) throws Exception {
        String query = params.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return Platform.get(Platform.QUERY_URL + "/api/v1/runs/search?" + query, tenant.readKey());
    }
}
