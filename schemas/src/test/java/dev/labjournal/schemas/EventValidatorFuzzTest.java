package dev.labjournal.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes {@link EventValidator#validate(byte[])}: whatever the bytes, it returns (never throws) either a valid result
 * with the parsed event, or at most {@value EventValidator#MAX_ERRORS} errors, each with a code, a JSONPath and a
 * reason; every unknown member it reports is a member of {@code data}; and it says exactly what the full validation
 * (without the run.metrics fast path) says, errors and unknown members alike.
 *
 * <p>In a normal build this runs in Jazzer's regression mode: once on the empty input and once per seed under {@code
 * EventValidatorFuzzTestInputs/} on the test classpath, which the build fills with the contract's examples
 * ({@code labjournal/examples/valid} and {@code invalid}) next to the committed findings. With {@code JAZZER_FUZZ=1}
 * it is a real, coverage-guided fuzzing run; {@code maxDuration} bounds it, {@code JAZZER_MAX_DURATION} overrides that,
 * and new findings are written as {@code crash-*} files next to the seeds in {@code src/test/resources}:
 *
 * <pre>
 * JAZZER_FUZZ=1 JAZZER_MAX_DURATION=60s \
 *   JAZZER_INSTRUMENT='dev.labjournal.**,com.networknt.**,com.fasterxml.jackson.**,io.cloudevents.**' \
 *   ./mvnw -B -pl schemas,common,ingest-service test -Dtest='*FuzzTest' -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * <p>(one fuzz test per module: Jazzer fuzzes a single test per JVM).
 */
class EventValidatorFuzzTest {
    private static final EventValidator VALIDATOR = new EventValidator();
    private static final EventParser PARSER = new EventParser();

    @FuzzTest(maxDuration = "60s")
    void validateNeverThrows(byte[] event) {
        ValidationResult result = VALIDATOR.validate(event);

        assertThat(result).isNotNull();
        EventParser.Parsed parsed = PARSER.parse(event);
        if (event.length <= Limits.MAX_EVENT_BYTES && parsed.event() != null) {
            ValidationResult full = VALIDATOR.validateInFull(parsed.event());
            assertThat(result.errors())
                    .as("the errors of the run.metrics fast path are those of the full validation")
                    .isEqualTo(full.errors());
            assertThat(result.unknownMembers())
                    .as("the unknown members of the run.metrics fast path are those of the full validation")
                    .isEqualTo(full.unknownMembers());
        }
        for (UnknownMember member : result.unknownMembers()) {
            assertThat(result.event().get("data").has(member.name()))
                    .as("%s is a member of data", member)
                    .isTrue();
            assertThat(member.path()).startsWith("$.data");
        }
        if (result.isValid()) {
            assertThat(result.event()).as("the parsed event of a valid result").isNotNull();
            assertThat(result.event().isObject()).isTrue();
        } else {
            assertThat(result.errors()).hasSizeLessThanOrEqualTo(EventValidator.MAX_ERRORS);
            for (ValidationError error : result.errors()) {
                assertThat(error.code()).as("code of %s", error).isNotBlank();
                assertThat(error.path()).as("path of %s", error).startsWith("$");
                assertThat(error.reason()).as("reason of %s", error).isNotBlank();
            }
        }
    }
}
