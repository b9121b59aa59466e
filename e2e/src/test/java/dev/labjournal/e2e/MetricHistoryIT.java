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
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Metric history with downsampling that keeps spikes. A run of 1,000,000 points (one spike, one dip, one NaN at known
 * steps) is published straight to Kafka in 100 events sent in shuffled order; every value is a function of its step,
 * so any point the API returns can be checked against the formula, and the expected extremes of any range are
 * computed here independently of the server.
 */
class MetricHistoryIT {

    private static final String PROJECT = "history";
    private static final String RUN_EVENTS = "labjournal.run-events";
    private static final int LONG = 1_000_000;
    private static final int PER_EVENT = 10_000;
    private static final long SPIKE_STEP = 612_345;
    private static final double SPIKE = 1000.0;
    private static final long DIP_STEP = 876_543;
    private static final double DIP = -5.0;
    private static final long NAN_STEP = 250_000;
    private static final int MEDIUM = 50_000;

    private static TestTenant tenantA;
    private static TestTenant tenantB;
    private static String longRun;
    private static String shortRun;
    private static String mediumRun;
    private static String withoutLoss;
    private static String shared;
    private static String onlyOfB;
    /** The short run's points as sent, in (step, time, value) order: what the API must return. */
    private static List<Point> shortPoints;

    record Point(long step, Instant time, String value) {}

    /** The long run's value at a step: finite everywhere but at NAN_STEP. */
    static double value(long step) {
        if (step == SPIKE_STEP) {
            return SPIKE;
        }
        if (step == DIP_STEP) {
            return DIP;
        }
        return Math.sin(step / 5000.0) + (step % 97) / 1000.0;
    }

    @BeforeAll
    static void publish() throws Exception {
        tenantA = TestTenant.create("history-a");
        tenantB = TestTenant.create("history-b");
        String a = tenantA.id();
        longRun = "long-" + UUID.randomUUID();
        shortRun = "short-" + UUID.randomUUID();
        mediumRun = "medium-" + UUID.randomUUID();
        withoutLoss = "no-loss-" + UUID.randomUUID();
        shared = "shared-" + UUID.randomUUID();
        onlyOfB = "b-only-" + UUID.randomUUID();

        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Platform.KAFKA);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            List<Integer> chunks = IntStream.range(0, LONG / PER_EVENT).boxed().collect(Collectors.toList());
            Collections.shuffle(chunks, new Random(11));
            for (int chunk : chunks) {
                ObjectNode data = Events.data();
                ArrayNode metrics = data.putArray("metrics");
                for (long step = (long) chunk * PER_EVENT; step < (long) (chunk + 1) * PER_EVENT; step++) {
                    ObjectNode point = metrics.addObject().put("key", "loss").put("step", step);
                    if (step == NAN_STEP) {
                        point.put("value", "NaN");
                    } else {
                        point.put("value", value(step));
                    }
                }
                send(producer, Events.event(a, PROJECT, longRun, "metrics", data));
            }

            shortPoints = new ArrayList<>();
            Instant t0 = Instant.parse("2026-12-01T09:00:00Z");
            Random random = new Random(5);
            String[] specials = {"NaN", "Infinity", "-Infinity"};
            ObjectNode first = Events.data();
            ArrayNode firstPoints = first.putArray("metrics");
            for (int i = 0; i < 300; i++) {
                long step = random.nextInt(120);
                Instant time = t0.plusMillis(random.nextInt(5) * 1000L);
                String value = i % 50 == 7 ? specials[i % 3] : String.valueOf(random.nextInt(1000) / 8.0);
                addPoint(firstPoints, "acc", step, time, value);
                shortPoints.add(new Point(step, time, value));
            }
            // The same point again, in a new event: a second point, as in any append-only log.
            Point repeated = shortPoints.get(0);
            ObjectNode second = Events.data();
            addPoint(second.putArray("metrics"), "acc", repeated.step(), repeated.time(), repeated.value());
            shortPoints.add(repeated);
            shortPoints.sort(Comparator.comparingLong(Point::step)
                    .thenComparing(Point::time)
                    .thenComparing(p -> sortable(p.value())));
            send(producer, Events.event(a, PROJECT, shortRun, "metrics", first));
            send(producer, Events.event(a, PROJECT, shortRun, "metrics", second));

            for (int chunk = 0; chunk < MEDIUM / PER_EVENT; chunk++) {
                ObjectNode data = Events.data();
                ArrayNode metrics = data.putArray("metrics");
                for (long step = (long) chunk * PER_EVENT; step < (long) (chunk + 1) * PER_EVENT; step++) {
                    metrics.addObject().put("key", "loss").put("step", step).put("value", value(step));
                }
                send(producer, Events.event(a, PROJECT, mediumRun, "metrics", data));
            }
            ObjectNode acc = Events.data();
            addPoint(acc.putArray("metrics"), "acc", 1, t0, "0.5");
            send(producer, Events.event(a, PROJECT, withoutLoss, "metrics", acc));

            send(producer, Events.event(a, PROJECT, shared, "metrics", series("loss", 20, 1.0)));
            String b = tenantB.id();
            send(producer, Events.event(b, PROJECT, shared, "metrics", series("loss", 10, -1.0)));
            send(producer, Events.event(b, PROJECT, onlyOfB, "metrics", series("loss", 10, 2.0)));
            producer.flush();
        }

        awaitCount(tenantA, longRun, "loss", LONG, Duration.ofMinutes(5));
        awaitCount(tenantA, shortRun, "acc", shortPoints.size(), Duration.ofMinutes(1));
        awaitCount(tenantA, mediumRun, "loss", MEDIUM, Duration.ofMinutes(1));
        awaitCount(tenantA, withoutLoss, "acc", 1, Duration.ofMinutes(1));
        awaitCount(tenantA, shared, "loss", 20, Duration.ofMinutes(1));
        awaitCount(tenantB, shared, "loss", 10, Duration.ofMinutes(1));
        awaitCount(tenantB, onlyOfB, "loss", 10, Duration.ofMinutes(1));
    }

    private static void send(KafkaProducer<String, String> producer, ObjectNode event) throws Exception {
        producer.send(new ProducerRecord<>(RUN_EVENTS, event.get("subject").asText(), event.toString()))
                .get();
    }

    private static void addPoint(ArrayNode points, String key, long step, Instant time, String value) {
        ObjectNode point = points.addObject().put("key", key).put("step", step).put("time", time.toString());
        if (value.equals("NaN") || value.contains("Infinity")) {
            point.put("value", value);
        } else {
            point.put("value", Double.parseDouble(value));
        }
    }

    /** Points 0..n-1 of a key with value base * (step + 1). */
    private static ObjectNode series(String key, int n, double base) {
        ObjectNode data = Events.data();
        ArrayNode points = data.putArray("metrics");
        for (int step = 0; step < n; step++) {
            points.addObject().put("key", key).put("step", step).put("value", base * (step + 1));
        }
        return data;
    }

    /** float8 order of the values as sent: NaN above everything. */
    private static double sortable(String value) {
        return switch (value) {
            case "NaN" -> Double.NaN;
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(value);
        };
    }

    private static void awaitCount(TestTenant tenant, String runId, String key, long count, Duration atMost) {
        await().atMost(atMost)
                .pollInterval(Duration.ofMillis(250))
                .alias(runId + " has " + count + " points of " + key)
                .until(() -> {
                    Platform.Reply reply = Runs.get(tenant.readKey(), runId);
                    if (reply.status() != 200) {
                        return false;
                    }
                    for (JsonNode metric : reply.body().get("metrics")) {
                        if (metric.get("key").asText().equals(key)) {
                            return metric.get("count").asLong() == count;
                        }
                    }
                    return false;
                });
    }

    private static Platform.Reply history(String key, String runId, String metric, String query) throws Exception {
        return Platform.get(
                Platform.QUERY_URL + "/api/v1/runs/" + runId + "/metrics/" + metric
                        + (query.isEmpty() ? "" : "?" + query),
                key);
    }

    private static Platform.Reply bulk(String key, String metric, String query) throws Exception {
        return Platform.get(Platform.QUERY_URL + "/api/v1/metrics/" + metric + "/history?" + query, key);
    }

    private static List<Point> points(JsonNode points) {
        List<Point> list = new ArrayList<>();
        for (JsonNode p : points) {
            JsonNode v = p.get("value");
            list.add(new Point(
                    p.get("step").asLong(),
                    Instant.parse(p.get("time").asText()),
                    v.isTextual() ? v.asText() : String.valueOf(v.asDouble())));
        }
        return list;
    }

    /** Every point is one the long run has: its value is the formula's at its step. */
    private static void assertRealPointsOfTheLongRun(List<Point> points) {
        for (Point p : points) {
            if (p.step() == NAN_STEP) {
                assertThat(p.value()).as("step %d", p.step()).isEqualTo("NaN");
            } else {
                assertThat(Double.parseDouble(p.value()))
                        .as("step %d", p.step())
                        .isEqualTo(value(p.step()));
            }
        }
    }

    private static void assertInStepOrder(List<Point> points) {
        assertThat(points)
                .isSortedAccordingTo(Comparator.comparingLong(Point::step).thenComparing(Point::time));
    }

    @Test
    void aMillionPointsComeBackAsAThousandWithTheSpikeTheNanAndTheExtremes() throws Exception {
        Platform.Reply reply = history(tenantA.readKey(), longRun, "loss", "max_points=1000");
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);
        JsonNode body = reply.body();
        assertThat(body.get("run_id").asText()).isEqualTo(longRun);
        assertThat(body.get("key").asText()).isEqualTo("loss");
        assertThat(body.get("total_points").asLong()).isEqualTo(LONG);
        assertThat(body.get("downsampled").asBoolean()).isTrue();
        List<Point> points = points(body.get("points"));
        assertThat(points).hasSizeLessThanOrEqualTo(1000).hasSizeGreaterThan(500);
        assertInStepOrder(points);
        assertRealPointsOfTheLongRun(points);
        Set<Long> steps = points.stream().map(Point::step).collect(Collectors.toSet());
        assertThat(steps).contains(SPIKE_STEP, DIP_STEP, NAN_STEP);
        assertThat(points)
                .filteredOn(p -> p.step() == SPIKE_STEP)
                .extracting(Point::value)
                .containsOnly("1000.0");
        assertThat(points)
                .filteredOn(p -> p.step() == DIP_STEP)
                .extracting(Point::value)
                .containsOnly("-5.0");
    }

    @Test
    void aZoomedRangeIsDownsampledWithinItWithItsOwnExtremes() throws Exception {
        long from = 400_000;
        long to = 420_000;
        Platform.Reply reply =
                history(tenantA.readKey(), longRun, "loss", "max_points=100&start_step=" + from + "&end_step=" + to);
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);
        assertThat(reply.body().get("total_points").asLong()).isEqualTo(to - from + 1);
        assertThat(reply.body().get("downsampled").asBoolean()).isTrue();
        List<Point> points = points(reply.body().get("points"));
        assertThat(points).hasSizeLessThanOrEqualTo(100);
        assertThat(points).allSatisfy(p -> assertThat(p.step()).isBetween(from, to));
        assertInStepOrder(points);
        assertRealPointsOfTheLongRun(points);
        long argMin = from;
        long argMax = from;
        for (long step = from; step <= to; step++) {
            argMin = value(step) < value(argMin) ? step : argMin;
            argMax = value(step) > value(argMax) ? step : argMax;
        }
        assertThat(points).extracting(Point::step).contains(argMin, argMax);

        Platform.Reply aroundSpike =
                history(tenantA.readKey(), longRun, "loss", "max_points=10&start_step=612000&end_step=612999");
        assertThat(points(aroundSpike.body().get("points")))
                .hasSizeLessThanOrEqualTo(10)
                .extracting(Point::step)
                .contains(SPIKE_STEP);

        Platform.Reply narrow =
                history(tenantA.readKey(), longRun, "loss", "max_points=1000&start_step=612340&end_step=612349");
        assertThat(narrow.body().get("downsampled").asBoolean()).isFalse();
        assertThat(points(narrow.body().get("points")))
                .extracting(Point::step)
                .containsExactly(
                        612340L, 612341L, 612342L, 612343L, 612344L, 612345L, 612346L, 612347L, 612348L, 612349L);
    }

    @Test
    void aShortSeriesComesBackWholeAsSentWithRepeatedAndOutOfOrderSteps() throws Exception {
        Platform.Reply reply = history(tenantA.readKey(), shortRun, "acc", "max_points=1000");
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);
        assertThat(reply.body().get("downsampled").asBoolean()).isFalse();
        assertThat(reply.body().get("total_points").asLong()).isEqualTo(shortPoints.size());
        assertThat(points(reply.body().get("points"))).containsExactlyElementsOf(normalised(shortPoints));

        Platform.Reply small = history(tenantA.readKey(), shortRun, "acc", "max_points=20");
        List<Point> downsampled = points(small.body().get("points"));
        assertThat(small.body().get("downsampled").asBoolean()).isTrue();
        assertThat(downsampled).hasSizeLessThanOrEqualTo(20);
        assertThat(normalised(shortPoints)).containsAll(downsampled);
        assertThat(downsampled).extracting(Point::value).contains("NaN", "-Infinity");
    }

    /** Values as the API writes them back (a JSON number through Double.toString). */
    private static List<Point> normalised(List<Point> points) {
        return points.stream()
                .map(p -> new Point(
                        p.step(),
                        p.time(),
                        p.value().equals("NaN") || p.value().contains("Infinity")
                                ? p.value()
                                : String.valueOf(Double.parseDouble(p.value()))))
                .toList();
    }

    @Test
    void pagesWithoutMaxPointsReturnEveryPointExactlyOnce() throws Exception {
        List<Point> paged = pageAll(tenantA.readKey(), shortRun, "acc", "limit=7");
        assertThat(paged).containsExactlyElementsOf(normalised(shortPoints));

        long from = 100_000;
        long to = 149_999;
        List<Point> range =
                pageAll(tenantA.readKey(), longRun, "loss", "limit=5000&start_step=" + from + "&end_step=" + to);
        assertThat(range).hasSize((int) (to - from + 1));
        assertThat(range)
                .extracting(Point::step)
                .containsExactlyElementsOf(IntStream.rangeClosed((int) from, (int) to)
                        .mapToObj(s -> (long) s)
                        .toList());
        assertRealPointsOfTheLongRun(range);
    }

    private static List<Point> pageAll(String key, String runId, String metric, String query) throws Exception {
        List<Point> all = new ArrayList<>();
        String token = null;
        Set<String> tokens = new HashSet<>();
        do {
            String q = query + (token == null ? "" : "&page_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
            Platform.Reply reply = history(key, runId, metric, q);
            assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);
            assertThat(reply.body().get("downsampled").asBoolean()).isFalse();
            List<Point> page = points(reply.body().get("points"));
            JsonNode next = reply.body().get("next_page_token");
            token = next == null || next.isNull() ? null : next.asText();
            if (token != null) {
                assertThat(tokens.add(token)).as("a new token").isTrue();
                assertThat(page).isNotEmpty();
            }
            all.addAll(page);
        } while (token != null);
        return all;
    }

    @Test
    void theBulkFormDownsamplesEveryRunAndNamesTheOnesNotFound() throws Exception {
        String unknown = "nobody-" + UUID.randomUUID();
        Platform.Reply reply = bulk(
                tenantA.readKey(),
                "loss",
                "max_points=200&run_ids="
                        + String.join(",", longRun, mediumRun, withoutLoss, unknown, onlyOfB, longRun));
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);
        JsonNode body = reply.body();
        assertThat(body.get("key").asText()).isEqualTo("loss");
        assertThat(body.get("not_found")).extracting(JsonNode::asText).containsExactly(unknown, onlyOfB);
        JsonNode series = body.get("series");
        assertThat(series).extracting(s -> s.get("run_id").asText()).containsExactly(longRun, mediumRun, withoutLoss);
        assertThat(series.get(0).get("total_points").asLong()).isEqualTo(LONG);
        assertThat(series.get(1).get("total_points").asLong()).isEqualTo(MEDIUM);
        assertThat(series.get(2).get("total_points").asLong()).isZero();
        assertThat(series.get(2).get("points")).isEmpty();
        for (JsonNode s : List.of(series.get(0), series.get(1))) {
            assertThat(s.get("downsampled").asBoolean()).isTrue();
            List<Point> points = points(s.get("points"));
            assertThat(points).hasSizeLessThanOrEqualTo(200);
            assertInStepOrder(points);
            assertRealPointsOfTheLongRun(points);
        }
        assertThat(points(series.get(0).get("points"))).extracting(Point::step).contains(SPIKE_STEP, DIP_STEP);

        Platform.Reply zoomed = bulk(
                tenantA.readKey(),
                "loss",
                "max_points=200&start_step=10&end_step=19&run_ids=" + mediumRun + "," + shared);
        assertThat(zoomed.body().get("series"))
                .allSatisfy(s -> assertThat(s.get("total_points").asLong()).isEqualTo(10));
    }

    @Test
    void anotherTenantSeesNothingOfTheseRuns() throws Exception {
        Platform.Reply byId = history(tenantB.readKey(), longRun, "loss", "max_points=1000");
        assertThat(byId.status()).as("%s", byId.body()).isEqualTo(404);
        assertThat(history(tenantB.readKey(), longRun, "loss", "").status()).isEqualTo(404);

        Platform.Reply bulkOfA = bulk(tenantB.readKey(), "loss", "max_points=100&run_ids=" + longRun + "," + mediumRun);
        assertThat(bulkOfA.status()).isEqualTo(200);
        assertThat(bulkOfA.body().get("series")).isEmpty();
        assertThat(bulkOfA.body().get("not_found")).extracting(JsonNode::asText).containsExactly(longRun, mediumRun);

        // The same run id in both tenants: each sees its own points only.
        Platform.Reply own = history(tenantB.readKey(), shared, "loss", "max_points=100");
        assertThat(own.body().get("total_points").asLong()).isEqualTo(10);
        assertThat(points(own.body().get("points")))
                .allSatisfy(p -> assertThat(Double.parseDouble(p.value())).isNegative());
        Platform.Reply ofA = history(tenantA.readKey(), shared, "loss", "");
        assertThat(ofA.body().get("total_points").asLong()).isEqualTo(20);
        assertThat(points(ofA.body().get("points")))
                .allSatisfy(p -> assertThat(Double.parseDouble(p.value())).isPositive());
    }

    @Test
    void aKeyTheRunDoesNotHaveIsNotFound() throws Exception {
        Platform.Reply reply = history(tenantA.readKey(), withoutLoss, "loss", "max_points=10");
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.body().get("error").get("code").asText()).isEqualTo("not_found");
        assertThat(history(tenantA.readKey(), "nobody-" + UUID.randomUUID(), "loss", "")
                        .status())
                .isEqualTo(404);
    }

    @Test
    void badParametersAreRefusedWithTheParameterNamed() throws Exception {
        String key = tenantA.readKey();
        assertBad(history(key, longRun, "loss", "max_points=1"), "max_points");
        assertBad(history(key, longRun, "loss", "max_points=10001"), "max_points");
        assertBad(history(key, longRun, "loss", "max_points=many"), "max_points");
        assertBad(history(key, longRun, "loss", "start_step=-1"), "start_step");
        assertBad(history(key, longRun, "loss", "start_step=10&end_step=9"), "end_step");
        assertBad(history(key, longRun, "loss", "end_step=1e9"), "end_step");
        assertBad(history(key, longRun, "loss", "limit=0"), "limit");
        assertBad(history(key, longRun, "loss", "page_token=not-a-token"), "page_token");
        assertBad(history(key, longRun, "loss", "max_points=10&limit=5"), "limit");
        assertBad(history(key, longRun, "x".repeat(251), ""), "key");
        assertBad(bulk(key, "loss", "run_ids=" + longRun), "max_points");
        assertBad(bulk(key, "loss", "max_points=10"), "run_ids");
        assertBad(bulk(key, "loss", "max_points=10&run_ids=,,"), "run_ids");
        assertBad(bulk(key, "loss", "max_points=10&run_ids=a%24b"), "run_ids");
        String tooMany = IntStream.range(0, 101).mapToObj(i -> "run-" + i).collect(Collectors.joining(","));
        assertBad(bulk(key, "loss", "max_points=10&run_ids=" + tooMany), "run_ids");
    }

    private static void assertBad(Platform.Reply reply, String param) {
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(400);
        JsonNode error = reply.body().get("error");
        assertThat(error.get("code").asText()).startsWith("invalid_");
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(error.get("details").get("param").asText()).isEqualTo(param);
    }
}
