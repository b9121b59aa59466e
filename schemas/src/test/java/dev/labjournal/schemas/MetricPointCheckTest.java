package dev.labjournal.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The run.metrics fast path of {@link EventValidator#validate(byte[])} must give exactly the result of the full
 * validation, errors and unknown members alike: for every example, for a metrics event whose 38th point (past the
 * first, which the schema sees) is changed one way at a time, and for members of {@code data} beside the metrics.
 */
class MetricPointCheckTest {
    private static final EventValidator VALIDATOR = new EventValidator();
    private static final EventParser PARSER = new EventParser();
    private static final String GOOD_POINT = "{\"key\":\"train/loss\",\"value\":0.5,\"step\":7}";

    static Stream<Path> examples() {
        return Stream.concat(Examples.files(Examples.VALID).stream(), Examples.files(Examples.INVALID).stream());
    }

    @ParameterizedTest
    @MethodSource("examples")
    void examplesGetTheFullResult(Path example) {
        assertSameAsFull(Examples.bytes(example));
    }

    static List<String> points() {
        List<String> points = new ArrayList<>(List.of(
                GOOD_POINT,
                "{\"step\":7,\"value\":-0.0,\"key\":\"a\"}",
                "{\"key\":\"train/loss\",\"value\":1e400,\"step\":0}",
                "{\"key\":\"train/loss\",\"value\":12345678901234567890123,\"step\":1}",
                "{\"key\":\"train/loss\",\"value\":\"NaN\",\"step\":1}",
                "{\"key\":\"train/loss\",\"value\":\"Infinity\",\"step\":1}",
                "{\"key\":\"train/loss\",\"value\":\"-Infinity\",\"step\":1}",
                "{\"key\":\"train/loss\",\"value\":\"nan\",\"step\":1}",
                "{\"key\":\"train/loss\",\"value\":\"+Infinity\",\"step\":1}",
                "{\"key\":\"train/loss\",\"value\":\"NaN \",\"step\":1}",
                "{\"key\":\"train/loss\",\"value\":true,\"step\":1}",
                "{\"key\":\"train/loss\",\"value\":null,\"step\":1}",
                "{\"key\":\"train/loss\",\"value\":{},\"step\":1}",
                "{\"key\":\"train/loss\",\"value\":[1],\"step\":1}",
                "{\"key\":\"train/loss\",\"step\":1}",
                "{\"value\":1,\"step\":1}",
                "{\"key\":\"train/loss\",\"value\":1}",
                "{\"key\":\"train/loss\",\"value\":1,\"step\":1,\"unit\":\"s\"}",
                "{\"key\":\"\",\"value\":1,\"step\":1}",
                "{\"key\":\"" + "k".repeat(250) + "\",\"value\":1,\"step\":1}",
                "{\"key\":\"" + "k".repeat(251) + "\",\"value\":1,\"step\":1}",
                "{\"key\":\"loss!\",\"value\":1,\"step\":1}",
                "{\"key\":\"l\u00f6ss\",\"value\":1,\"step\":1}",
                "{\"key\":\"a\\u0000b\",\"value\":1,\"step\":1}",
                "{\"key\":\"a\\ud800b\",\"value\":1,\"step\":1}",
                "{\"key\":7,\"value\":1,\"step\":1}",
                "{\"key\":\"a b-c_d.e/f:g\",\"value\":1,\"step\":1}",
                "{\"key\":\"train/loss\",\"value\":1,\"step\":-1}",
                "{\"key\":\"train/loss\",\"value\":1,\"step\":1.5}",
                "{\"key\":\"train/loss\",\"value\":1,\"step\":1.0}",
                "{\"key\":\"train/loss\",\"value\":1,\"step\":9223372036854775807}",
                "{\"key\":\"train/loss\",\"value\":1,\"step\":9223372036854775808}",
                "{\"key\":\"train/loss\",\"value\":1,\"step\":\"5\"}",
                "{\"key\":\"train/loss\",\"value\":1,\"step\":null}",
                "7",
                "\"point\"",
                "null",
                "[]"));
        for (String time : List.of(
                "2026-11-22T10:00:00Z",
                "2026-11-22T10:00:00.1Z",
                "2026-11-22T10:00:00.123456789Z",
                "2026-11-22T10:00:00.1234567891Z",
                "2026-11-22T10:00:00+01:00",
                "2026-11-22T10:00:00-23:59",
                "2026-11-22T10:00:00+14:59",
                "2026-11-22T10:00:00-12:00",
                "2026-11-22T10:00:00+18:00",
                "2026-11-22T10:00:00-18:01",
                "2026-11-22T10:00:00+24:00",
                "2026-11-22T10:00:00+01:60",
                "2026-11-22T10:00:00+0100",
                "2026-11-22t10:00:00z",
                "2026-11-22 10:00:00Z",
                "2026-11-22T10:00Z",
                "2026-11-22T10:00:00",
                "2026-11-22T10:00:00.Z",
                "2026-02-29T10:00:00Z",
                "2024-02-29T10:00:00Z",
                "2026-13-01T10:00:00Z",
                "2026-00-01T10:00:00Z",
                "2026-11-31T10:00:00Z",
                "2026-11-22T24:00:00Z",
                "2026-11-22T23:60:00Z",
                "2016-12-31T23:59:60Z",
                "0999-01-01T00:00:00Z",
                "0000-01-01T00:00:00Z",
                "9999-12-31T23:59:59.999999999+23:59",
                "+2026-11-22T10:00:00Z",
                "2026-11-22T10:00:00ZZ",
                "\u0662\u0660\u0662\u0666-11-22T10:00:00Z",
                "2026-11-22T10:00:00." + "1".repeat(50) + "Z",
                "")) {
            points.add("{\"key\":\"train/loss\",\"value\":1,\"step\":1,\"time\":\"" + time + "\"}");
        }
        points.add("{\"key\":\"train/loss\",\"value\":1,\"step\":1,\"time\":20261122}");
        points.add("{\"key\":\"train/loss\",\"value\":1,\"step\":1,\"time\":null}");
        return points;
    }

    @ParameterizedTest
    @MethodSource("points")
    void aPointPastTheFirstGetsTheFullResult(String point) {
        List<String> points = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            points.add(i == 37 ? point : GOOD_POINT);
        }
        assertSameAsFull(metricsEvent(points));
    }

    @ParameterizedTest
    @MethodSource("points")
    void theFirstPointGetsTheFullResult(String point) {
        assertSameAsFull(metricsEvent(List.of(point, GOOD_POINT)));
    }

    @ParameterizedTest
    @MethodSource("counts")
    void anyNumberOfPointsGetsTheFullResult(int count) {
        List<String> points = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            points.add(GOOD_POINT);
        }
        assertSameAsFull(metricsEvent(points));
    }

    static List<String> dataMembers() {
        return List.of(
                "\"gpu_count\":8",
                "\"host\":{\"name\":\"node-17\",\"gpus\":[\"A100\",null]}",
                "\"comment\":\"a\\u0000b\"",
                "\"comment\":\"\\ud800\"",
                "\"a\\u0000\":1",
                "\"\":1",
                "\"x y\":1,\"z\":2",
                "\"metrics2\":[{\"key\":\"loss!\"}]",
                "\"tenant\":\"globex\"",
                "\"project\":\"llm-finetune\"",
                "\"project\":\"llm-pretrain\"",
                "\"project\":7");
    }

    @ParameterizedTest
    @MethodSource("dataMembers")
    void unknownMembersBesideTheMetricsGetTheFullResult(String members) {
        List<String> points = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            points.add(GOOD_POINT);
        }
        String metrics = "\"metrics\":[" + String.join(",", points) + "]";
        assertSameAsFull(event("{" + members + "," + metrics + "}"));
        assertSameAsFull(event("{" + metrics + "," + members + "}"));
    }

    static Stream<Integer> counts() {
        return Stream.of(0, 1, 2, Limits.MAX_METRIC_POINTS, Limits.MAX_METRIC_POINTS + 1);
    }

    private static void assertSameAsFull(byte[] bytes) {
        ValidationResult fast = VALIDATOR.validate(bytes);
        EventParser.Parsed parsed = PARSER.parse(bytes);
        if (parsed.error() != null) {
            assertThat(fast.errors()).containsExactly(parsed.error());
            return;
        }
        ValidationResult full = VALIDATOR.validateInFull(parsed.event());
        assertThat(fast.errors()).isEqualTo(full.errors());
        assertThat(fast.unknownMembers()).isEqualTo(full.unknownMembers());
        assertThat(fast.event()).isEqualTo(full.event());
    }

    static byte[] metricsEvent(List<String> points) {
        return event("{\"metrics\":[" + String.join(",", points) + "]}");
    }

    private static byte[] event(String data) {
        String json = "{\"specversion\":\"1.0\",\"id\":\"0194b1f2-3c4d-7e5f-8a6b-1c2d3e4f5c01\","
                + "\"source\":\"/tenants/acme/projects/llm-finetune\",\"type\":\"" + EventTypes.RUN_METRICS + "\","
                + "\"subject\":\"llama3-8b-lora-r16-0001\",\"time\":\"2025-02-03T08:41:10Z\",\"tenant\":\"acme\","
                + "\"data\":" + data + "}";
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
