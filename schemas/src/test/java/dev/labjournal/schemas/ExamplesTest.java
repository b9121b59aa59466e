package dev.labjournal.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ExamplesTest {
    private static final EventValidator VALIDATOR = new EventValidator();
    private static final ObjectMapper JSON = new ObjectMapper();

    static List<Path> validExamples() {
        return Examples.files(Examples.VALID);
    }

    static List<Path> invalidExamples() {
        return Examples.files(Examples.INVALID);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validExamples")
    void validExampleValidates(Path file) {
        ValidationResult result = VALIDATOR.validate(Examples.bytes(file));

        assertThat(result.errors()).as(file.getFileName().toString()).isEmpty();
        assertThat(result.isValid()).isTrue();
        assertThat(result.event().get("type").textValue()).isIn(EventTypes.ALL);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validExamples")
    void validExampleReportsUnknownMembersOnlyWhenItsNameSaysSo(Path file) {
        ValidationResult result = VALIDATOR.validate(Examples.bytes(file));

        if (file.getFileName().toString().contains(".with-unknown-member")) {
            assertThat(result.unknownMembers()).isNotEmpty();
        } else {
            assertThat(result.unknownMembers())
                    .as(file.getFileName().toString())
                    .isEmpty();
        }
    }

    @Test
    void aFinishedEventWithAnUnknownMemberIsKeptAndTheMemberReported() {
        ValidationResult result = VALIDATOR.validate(
                Examples.bytes(Examples.resource(Examples.VALID + "/run.finished.with-unknown-member.json")));

        assertThat(result.isValid()).isTrue();
        assertThat(result.unknownMembers()).containsExactly(new UnknownMember("duration_s", "$.data.duration_s"));
        assertThat(result.event().at("/data/duration_s").intValue()).isEqualTo(35880);
    }

    @Test
    void everyTypeHasAValidExample() throws IOException {
        Set<String> types = new TreeSet<>();
        for (Path file : validExamples()) {
            types.add(JSON.readTree(file.toFile()).get("type").textValue());
        }
        assertThat(types).containsExactlyInAnyOrderElementsOf(EventTypes.ALL);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidExamples")
    void invalidExampleFailsWhereItsExpectationSays(Path file) throws IOException {
        JsonNode expected = expectations().get(file.getFileName().toString());
        assertThat(expected).as("expectation for " + file.getFileName()).isNotNull();

        ValidationResult result = VALIDATOR.validate(Examples.bytes(file));

        assertThat(result.isValid()).isFalse();
        assertThat(result.errors()).as("errors of " + file.getFileName()).anySatisfy(error -> {
            assertThat(error.code()).isEqualTo(expected.get("code").textValue());
            assertThat(error.path()).isEqualTo(expected.get("path").textValue());
            assertThat(error.reason()).contains(expected.get("reason_contains").textValue());
        });
    }

    @Test
    void everyExpectationNamesAnExistingFileAndThereAreAtLeastTwelve() throws IOException {
        Set<String> files = invalidExamples().stream()
                .map(file -> file.getFileName().toString())
                .collect(Collectors.toSet());
        Set<String> named = new TreeSet<>();
        expectations().fieldNames().forEachRemaining(named::add);

        assertThat(named).isEqualTo(files).hasSizeGreaterThanOrEqualTo(12);
    }

    private static JsonNode expectations() throws IOException {
        return JSON.readTree(Examples.resource(Examples.INVALID + "/" + Examples.EXPECTATIONS)
                .toFile());
    }
}
