package dev.labjournal.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventValidatorTest {
    private static final EventValidator VALIDATOR = new EventValidator();

    @Test
    void acceptsExactlyTheMaximumNumberOfMetricPoints() {
        ValidationResult result = VALIDATOR.validate(Examples.metricsEvent(Limits.MAX_METRIC_POINTS, "0.5"));

        assertThat(result.errors()).isEmpty();
        assertThat(result.event().get("data").get("metrics").size()).isEqualTo(Limits.MAX_METRIC_POINTS);
    }

    @Test
    void rejectsOneMetricPointTooManyAtTheMetricsArray() {
        ValidationResult result = VALIDATOR.validate(Examples.metricsEvent(Limits.MAX_METRIC_POINTS + 1, "0.5"));

        assertThat(result.errors())
                .containsExactly(new ValidationError(
                        "schema_violation",
                        "$.data.metrics",
                        "The array has 10001 items, more than the maximum of 10000."));
    }

    @Test
    void rejectsOneByteOverOneMebibyteWithoutParsing() {
        byte[] event = Examples.heartbeatOfSize(Limits.MAX_EVENT_BYTES + 1);

        ValidationResult result = VALIDATOR.validate(event);

        assertThat(result.event()).isNull();
        assertThat(result.errors()).singleElement().satisfies(error -> {
            assertThat(error.code()).isEqualTo("too_large");
            assertThat(error.path()).isEqualTo("$");
            assertThat(error.reason()).contains("1048577 bytes", "limit of 1048576 bytes");
        });
    }

    @Test
    void acceptsAnEventOfExactlyOneMebibyte() {
        assertThat(VALIDATOR
                        .validate(Examples.heartbeatOfSize(Limits.MAX_EVENT_BYTES))
                        .errors())
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "0", "-1.5e-12", "1E+300"})
    void acceptsNumbersAndTheThreeSpecialFloatStrings(String value) {
        assertThat(VALIDATOR.validate(Examples.metricsEvent(1, value)).errors()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"nan\"", "\"NAN\"", "\"inf\"", "\"+Infinity\"", "\"0.5\"", "null", "{}"})
    void rejectsOtherMetricValues(String value) {
        assertThat(VALIDATOR.validate(Examples.metricsEvent(1, value)).errors())
                .singleElement()
                .satisfies(error -> {
                    assertThat(error.code()).isEqualTo("schema_violation");
                    assertThat(error.path()).isEqualTo("$.data.metrics[0].value");
                });
    }

    @Test
    void reportsLowercaseNanWithAReadableReason() {
        assertThat(VALIDATOR.validate(Examples.metricsEvent(1, "\"nan\"")).errors())
                .extracting(ValidationError::reason)
                .containsExactly(
                        "Matches none of the allowed forms: expected type number but found string \"nan\"; or \"nan\""
                                + " is not one of the allowed values [\"NaN\", \"Infinity\", \"-Infinity\"] (case-sensitive).");
    }

    @Test
    void capsTheNumberOfErrorsAtTwenty() {
        ValidationResult result = VALIDATOR.validate(Examples.metricsEvent(5_000, "\"nan\""));

        assertThat(result.errors()).hasSize(20);
        assertThat(result.errors().get(19).path()).isEqualTo("$.data.metrics[19].value");
    }

    @Test
    void collectsErrorsFromEveryCheck() {
        String event = """
                {"specversion": "1.0", "id": "e-1", "source": "/tenants/acme/projects/p1",
                 "type": "dev.labjournal.run.note.v1", "subject": "run 1", "time": "2025-01-31T14:03:22Z",
                 "tenant": "globex", "data": {"text": "x\\u0000y", "kind": "insight"}}
                """;

        assertThat(VALIDATOR.validate(event.getBytes(StandardCharsets.UTF_8)).errors())
                .extracting(ValidationError::code, ValidationError::path)
                .containsExactlyInAnyOrder(
                        tuple("schema_violation", "$.subject"),
                        tuple("schema_violation", "$.data.kind"),
                        tuple("schema_violation", "$.data.text"),
                        tuple("tenant_mismatch", "$.tenant"));
    }

    @Test
    void rejectsUnpairedSurrogatesButAcceptsPairs() {
        String template = """
                {"specversion": "1.0", "id": "e-1", "source": "/tenants/acme/projects/p1",
                 "type": "dev.labjournal.run.note.v1", "subject": "r1", "time": "2025-01-31T14:03:22Z",
                 "tenant": "acme", "data": {"text": "%s", "kind": "observation"}}
                """;

        assertThat(VALIDATOR
                        .validate(template.formatted("loss \\ud83d\\udcc9 ok").getBytes(StandardCharsets.UTF_8))
                        .errors())
                .isEmpty();
        assertThat(VALIDATOR
                        .validate(template.formatted("broken \\ud83d").getBytes(StandardCharsets.UTF_8))
                        .errors())
                .singleElement()
                .satisfies(error -> {
                    assertThat(error.path()).isEqualTo("$.data.text");
                    assertThat(error.reason()).contains("unpaired UTF-16 surrogate (U+D83D)");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "{} {}", "{\"a\":1}x", "[]", "\"text\"", "null"})
    void rejectsWhatIsNotExactlyOneJsonObject(String text) {
        ValidationResult result = VALIDATOR.validate(text.getBytes(StandardCharsets.UTF_8));

        assertThat(result.event()).isNull();
        assertThat(result.errors()).singleElement().satisfies(error -> {
            assertThat(error.code()).isEqualTo("malformed_json");
            assertThat(error.path()).isEqualTo("$");
        });
    }

    @Test
    void rejectsUtf16EvenWhenItWouldDecodeToAValidEvent() {
        byte[] utf8 = Examples.bytes(Examples.resource(Examples.VALID + "/run.heartbeat.json"));
        byte[] utf16 = new String(utf8, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_16BE);

        assertThat(VALIDATOR.validate(utf16).errors())
                .singleElement()
                .satisfies(error -> assertThat(error.reason()).contains("NUL byte (0x00) at byte offset 0"));
    }

    @Test
    void acceptsUnknownMembersOfDataAndReportsThemInDocumentOrder() {
        ValidationResult result = VALIDATOR.validate(note("""
                "gpu_count": 8, "text": "loss plateaus", "x y": {"nested": [1, {"deep": true}]}, "kind": "observation"
                """));

        assertThat(result.isValid()).isTrue();
        assertThat(result.unknownMembers())
                .containsExactly(
                        new UnknownMember("gpu_count", "$.data.gpu_count"), new UnknownMember("x y", "$.data['x y']"));
    }

    @Test
    void reportsNoUnknownMembersForDefinedOnesNorForExtensionAttributes() {
        String event = """
                {"specversion": "1.0", "id": "e-1", "source": "/tenants/acme/projects/p1", "traceparent": "00-ab",
                 "type": "dev.labjournal.run.note.v1", "subject": "r1", "time": "2025-01-31T14:03:22Z",
                 "tenant": "acme", "data": {"text": "loss plateaus", "kind": "observation"}}
                """;

        ValidationResult result = VALIDATOR.validate(event.getBytes(StandardCharsets.UTF_8));

        assertThat(result.isValid()).isTrue();
        assertThat(result.unknownMembers()).isEmpty();
    }

    @Test
    void definedMembersStayStrictBesideUnknownOnes() {
        ValidationResult result =
                VALIDATOR.validate(note("\"text\": \"x\", \"kind\": \"insight\", \"mood\": \"good\""));

        assertThat(result.errors()).extracting(ValidationError::path).containsExactly("$.data.kind");
        assertThat(result.unknownMembers()).extracting(UnknownMember::name).containsExactly("mood");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "dev.labjournal.run.started.v1|{\"source\": {\"commit\": \"abc\", \"tag\": \"v1\"}}|$.data.source.tag",
                "dev.labjournal.run.started.v1|{\"datasets\": [{\"name\": \"d\", \"rows\": 5}]}|$.data.datasets[0].rows",
                "dev.labjournal.run.finished.v1|{\"status\": \"failed\", \"failure\": {\"type\": \"E\", \"code\": 1}}"
                        + "|$.data.failure.code",
                "dev.labjournal.run.metrics.v1|{\"metrics\": [{\"key\": \"k\", \"value\": 1, \"step\": 0, \"unit\": \"s\"}]}"
                        + "|$.data.metrics[0].unit"
            })
    void objectsNestedInDefinedMembersStayStrict(String typeDataAndPath) {
        String[] parts = typeDataAndPath.split("\\|");

        ValidationResult result = VALIDATOR.validate(event(parts[0], parts[1]));

        assertThat(result.errors()).singleElement().satisfies(error -> {
            assertThat(error.path()).isEqualTo(parts[2]);
            assertThat(error.reason())
                    .contains("is not defined by the schema, and this object allows no other properties");
        });
        assertThat(result.unknownMembers()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\"comment\": \"a\\u0000b\"|$.data.comment|NUL character",
                "\"extra\": {\"deep\": [\"ok\", \"\\ud800\"]}|$.data.extra.deep[1]|unpaired UTF-16 surrogate",
                "\"bad\\u0000name\": 1|$.data|The property name \"bad\\u0000name\" contains the NUL character"
            })
    void unknownMembersAreTextCheckedLikeTheRest(String memberPathAndReason) {
        String[] parts = memberPathAndReason.split("\\|");

        ValidationResult result = VALIDATOR.validate(note("\"text\": \"x\", \"kind\": \"observation\", " + parts[0]));

        assertThat(result.errors()).singleElement().satisfies(error -> {
            assertThat(error.code()).isEqualTo("schema_violation");
            assertThat(error.path()).isEqualTo(parts[1]);
            assertThat(error.reason()).contains(parts[2]);
        });
        assertThat(result.unknownMembers()).hasSize(1);
    }

    @Test
    void unknownMembersCountAgainstTheEventSizeLimit() {
        ValidationResult atTheLimit = VALIDATOR.validate(heartbeatWithUnknownMemberOfSize(Limits.MAX_EVENT_BYTES));
        ValidationResult overTheLimit =
                VALIDATOR.validate(heartbeatWithUnknownMemberOfSize(Limits.MAX_EVENT_BYTES + 1));

        assertThat(atTheLimit.isValid()).isTrue();
        assertThat(atTheLimit.unknownMembers()).extracting(UnknownMember::name).containsExactly("blob");
        assertThat(overTheLimit.errors()).extracting(ValidationError::code).containsExactly("too_large");
    }

    @Test
    void reportsNoUnknownMembersWhenTheTypeIsUnknown() {
        ValidationResult result =
                VALIDATOR.validate(event("dev.labjournal.run.paused.v1", "{\"reason\": \"preempted\"}"));

        assertThat(result.errors()).extracting(ValidationError::code).containsExactly("unknown_type");
        assertThat(result.unknownMembers()).isEmpty();
    }

    @Test
    void acceptsADataProjectThatEqualsTheProjectOfSourceOnEveryType() {
        for (String type : EventTypes.ALL) {
            ValidationResult result = VALIDATOR.validate(event(type, "{\"project\": \"p1\"}"));

            assertThat(result.errors())
                    .as(type)
                    .extracting(ValidationError::path)
                    .doesNotContain("$.data.project");
            assertThat(result.unknownMembers()).as(type).isEmpty();
        }
    }

    @Test
    void refusesADataProjectThatDiffersFromTheProjectOfSource() {
        ValidationResult result =
                VALIDATOR.validate(note("\"text\": \"x\", \"kind\": \"observation\", \"project\": \"p2\""));

        assertThat(result.errors())
                .containsExactly(new ValidationError(
                        "project_mismatch",
                        "$.data.project",
                        "The project \"p2\" in data differs from the project \"p1\" named by source"
                                + " \"/tenants/acme/projects/p1\"; the project travels in source, so omit data.project"
                                + " or make them equal."));
    }

    @ParameterizedTest
    @ValueSource(strings = {"7", "null", "\"\"", "\"p1/x\"", "\"p1\\n\""})
    void aDataProjectThatIsNoProjectNameIsASchemaViolationNotAMismatch(String project) {
        ValidationResult result =
                VALIDATOR.validate(note("\"text\": \"x\", \"kind\": \"observation\", \"project\": " + project));

        assertThat(result.errors()).singleElement().satisfies(error -> {
            assertThat(error.code()).isEqualTo("schema_violation");
            assertThat(error.path()).isEqualTo("$.data.project");
        });
    }

    @Test
    void validatesConcurrentlyFromFourThreads() throws Exception {
        List<byte[]> events = Stream.concat(
                        Examples.files(Examples.VALID).stream(), Examples.files(Examples.INVALID).stream())
                .map(Examples::bytes)
                .toList();
        List<ValidationResult> expected =
                events.stream().map(VALIDATOR::validate).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Boolean>> tasks = new ArrayList<>();
            for (int thread = 0; thread < 4; thread++) {
                int offset = thread;
                tasks.add(() -> {
                    for (int round = 0; round < 25; round++) {
                        for (int i = 0; i < events.size(); i++) {
                            int index = (i + offset * 7) % events.size();
                            ValidationResult actual = VALIDATOR.validate(events.get(index));
                            if (!actual.errors().equals(expected.get(index).errors())) {
                                return false;
                            }
                        }
                    }
                    return true;
                });
            }
            for (Future<Boolean> result : pool.invokeAll(tasks)) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void exposesEveryTypeOnce() {
        assertThat(EventTypes.ALL)
                .containsExactly(
                        EventTypes.RUN_STARTED,
                        EventTypes.RUN_PARAMS,
                        EventTypes.RUN_METRICS,
                        EventTypes.RUN_TAGS,
                        EventTypes.RUN_NOTE,
                        EventTypes.RUN_ARTIFACT,
                        EventTypes.RUN_HEARTBEAT,
                        EventTypes.RUN_FINISHED);
        assertThat(SchemaCatalog.schemaId(EventTypes.RUN_FINISHED))
                .isEqualTo("https://labjournal.dev/schemas/run.finished.v1.json");
    }

    private static byte[] note(String dataMembers) {
        return event(EventTypes.RUN_NOTE, "{" + dataMembers + "}");
    }

    private static byte[] event(String type, String data) {
        String event = """
                {"specversion": "1.0", "id": "e-1", "source": "/tenants/acme/projects/p1", "type": "%s",
                 "subject": "r1", "time": "2025-01-31T14:03:22Z", "tenant": "acme", "data": %s}
                """;
        return event.formatted(type, data).getBytes(StandardCharsets.UTF_8);
    }

    /** @return a heartbeat of exactly {@code size} bytes, all but a few of them in the unknown member {@code blob} */
    private static byte[] heartbeatWithUnknownMemberOfSize(int size) {
        String empty = new String(event(EventTypes.RUN_HEARTBEAT, "{\"blob\": \"\"}"), StandardCharsets.UTF_8);
        byte[] event = empty.replace("\"blob\": \"\"", "\"blob\": \"" + "x".repeat(size - empty.length()) + "\"")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(event).hasSize(size);
        return event;
    }
}
