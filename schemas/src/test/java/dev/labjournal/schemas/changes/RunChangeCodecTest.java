package dev.labjournal.schemas.changes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labjournal.schemas.changes.RunChange.MetricChange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class RunChangeCodecTest {
    private static final String EXAMPLES = "labjournal/examples/run-changes";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RunChange FAILED_RUN = new RunChange(
            "acme",
            "resnet50-bs1024-cosine-7f3b",
            7,
            "failed",
            true,
            true,
            List.of(
                    new MetricChange("train/loss", Double.NaN, 1.8297, 6.9071, 1221, 1220),
                    new MetricChange(
                            "train/grad_norm", Double.POSITIVE_INFINITY, 0.0, Double.POSITIVE_INFINITY, 2, 1210),
                    new MetricChange("train/nan_probe", Double.NaN, null, null, 1, 1220)),
            Map.of("stage", "ablation"),
            Map.of("lr", "0.4", "batch_size", "1024"));

    static List<Path> examples() throws IOException, URISyntaxException {
        Path directory = Path.of(
                RunChangeCodecTest.class.getClassLoader().getResource(EXAMPLES).toURI());
        try (Stream<Path> files = Files.list(directory)) {
            return files.sorted().toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void everyExampleReadsAndIsWrittenBackAsTheSameJson(Path example) throws IOException {
        byte[] json = Files.readAllBytes(example);

        RunChange change = RunChangeCodec.fromJson(json);

        assertThat(JSON.readTree(RunChangeCodec.toJson(change))).isEqualTo(JSON.readTree(json));
    }

    @Test
    void theFailedRunExampleIsTheChangeItDescribes() throws IOException {
        assertThat(RunChangeCodec.fromJson(example("run-failed.json"))).isEqualTo(FAILED_RUN);
    }

    @Test
    void roundTripsNanAndBothInfinities() {
        RunChange change = new RunChange(
                "acme",
                "r1",
                3,
                "running",
                false,
                false,
                List.of(new MetricChange("m", Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.5, 4, 9)),
                Map.of(),
                Map.of());

        assertThat(RunChangeCodec.fromJson(RunChangeCodec.toJson(change))).isEqualTo(change);
        assertThat(RunChangeCodec.fromJson(RunChangeCodec.toJson(FAILED_RUN))).isEqualTo(FAILED_RUN);
    }

    @Test
    void writesSnakeCaseWithSpecialFloatsAsStringsAndSortedMaps() {
        String json = new String(RunChangeCodec.toJson(FAILED_RUN), StandardCharsets.UTF_8);

        assertThat(json)
                .isEqualTo("{\"tenant\":\"acme\",\"run_id\":\"resnet50-bs1024-cosine-7f3b\",\"version\":7,"
                        + "\"status\":\"failed\",\"finished\":true,\"failed\":true,\"metrics\":["
                        + "{\"key\":\"train/loss\",\"last\":\"NaN\",\"min\":1.8297,\"max\":6.9071,\"count\":1221,"
                        + "\"last_step\":1220},"
                        + "{\"key\":\"train/grad_norm\",\"last\":\"Infinity\",\"min\":0.0,\"max\":\"Infinity\","
                        + "\"count\":2,\"last_step\":1210},"
                        + "{\"key\":\"train/nan_probe\",\"last\":\"NaN\",\"count\":1,\"last_step\":1220}],"
                        + "\"tags\":{\"stage\":\"ablation\"},\"params\":{\"batch_size\":\"1024\",\"lr\":\"0.4\"}}");
    }

    @Test
    void aReAnnouncementIsOnlyTenantRunIdAndVersion() {
        RunChange change = new RunChange("acme", "r1", 42);

        assertThat(new String(RunChangeCodec.toJson(change), StandardCharsets.UTF_8))
                .isEqualTo("{\"tenant\":\"acme\",\"run_id\":\"r1\",\"version\":42}");
        assertThat(RunChangeCodec.fromJson(
                        "{\"version\":42,\"run_id\":\"r1\",\"tenant\":\"acme\"}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(change);
    }

    @Test
    void ignoresMembersItDoesNotKnowAtAnyLevel() {
        String json = "{\"tenant\":\"acme\",\"run_id\":\"r1\",\"version\":2,\"batch_id\":{\"n\":1},"
                + "\"metrics\":[{\"key\":\"m\",\"last\":1,\"count\":1,\"last_step\":0,\"unit\":\"s\"}]}";

        assertThat(RunChangeCodec.fromJson(json.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new RunChange(
                        "acme",
                        "r1",
                        2,
                        null,
                        false,
                        false,
                        List.of(new MetricChange("m", 1, null, null, 1, 0)),
                        Map.of(),
                        Map.of()));
    }

    @Test
    void theKeyIsTenantColonRunId() {
        assertThat(RunChangeCodec.key(new RunChange("acme", "resnet50-7f3a", 1)))
                .isEqualTo("acme:resnet50-7f3a");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "{\"tenant\":\"acme\",\"version\":1}|$.run_id|Required property \"run_id\" is missing.",
                "{\"tenant\":\"acme\",\"run_id\":\"r1\",\"version\":0}|$.version|0 is less than the minimum of 1.",
                "{\"tenant\":\"acme\",\"run_id\":\"r1\",\"version\":1.5}|$.version|Expected type integer but found number",
                "{\"tenant\":\"Acme\",\"run_id\":\"r1\",\"version\":1}|$.tenant|does not match the pattern",
                "{\"tenant\":\"acme\",\"run_id\":\"r1\",\"version\":1,\"status\":\"crashed\"}|$.status"
                        + "|\"crashed\" is not one of the allowed values",
                "{\"tenant\":\"acme\",\"run_id\":\"r1\",\"version\":1,\"failed\":true}|$.finished"
                        + "|Required property \"finished\" is missing.",
                "{\"tenant\":\"acme\",\"run_id\":\"r1\",\"version\":1,\"metrics\":[{\"key\":\"m\",\"last\":\"nan\","
                        + "\"count\":1,\"last_step\":0}]}|$.metrics[0].last|\"nan\" is not one of the allowed values",
                "{\"tenant\":\"acme\",\"run_id\":\"r1\",\"version\":1,\"metrics\":[{\"key\":\"m\",\"last\":1,"
                        + "\"min\":\"NaN\",\"count\":1,\"last_step\":0}]}|$.metrics[0].min|Matches none of the allowed forms",
                "{\"tenant\":\"acme\",\"run_id\":\"r1\",\"version\":1,\"metrics\":[{\"key\":\"m\",\"last\":1,"
                        + "\"count\":1}]}|$.metrics[0].last_step|Required property \"last_step\" is missing.",
                "{\"tenant\":\"acme\",\"run_id\":\"r1\",\"version\":1,\"tags\":{\"a{b}\":\"x\"}}|$.tags"
                        + "|Property name \"a{b}\" is invalid",
                "{\"tenant\":\"acme\",\"run_id\":\"r1\",\"version\":1,\"params\":{\"lr\":\"0.1\\u0000\"}}|$.params.lr"
                        + "|NUL character (U+0000)",
                "{\"tenant\":\"acme\",\"run_id\":\"r1\",\"version\":1,\"version\":2}|$|Duplicate field 'version'",
                "{\"tenant\":\"acme\"|$|Malformed JSON",
                "[1]|$|The run-changes message must be a JSON object, but it is an array."
            })
    void refusesABadMessageSayingWhereAndWhy(String json, String path, String reason) {
        assertThatThrownBy(() -> RunChangeCodec.fromJson(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "Not a valid labjournal.run-changes message (schema run-changes.v1.json): " + path + ": ")
                .hasMessageContaining(reason);
    }

    @Test
    void refusesToWriteAChangeItsConsumersWouldRefuse() {
        RunChange change = new RunChange(
                "acme",
                "r1",
                0,
                null,
                false,
                false,
                List.of(new MetricChange("m", 1, Double.NaN, null, 1, 0)),
                Map.of(),
                Map.of());

        assertThatThrownBy(() -> RunChangeCodec.toJson(change))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("The run change of acme:r1 cannot be written (schema run-changes.v1.json): ")
                .hasMessageContaining("$.version: 0 is less than the minimum of 1.")
                .hasMessageContaining("$.metrics[0].min: Matches none of the allowed forms");
    }

    private static byte[] example(String name) throws IOException {
        try (InputStream in = RunChangeCodecTest.class.getClassLoader().getResourceAsStream(EXAMPLES + "/" + name)) {
            return in.readAllBytes();
        }
    }
}
