package dev.labjournal.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The labelled corpus of ML failures in {@code src/test/resources/failures/corpus}: one file per root cause (label,
 * family, framework), each with variants as different teams hit it (written by {@code generate_corpus.py} beside it).
 */
record FailureCorpus(List<Case> cases) {

    /** One failed run of the corpus. */
    record Case(
            String rootCause,
            String family,
            String framework,
            int variant,
            String team,
            String project,
            String user,
            String type,
            String message,
            String stacktrace) {}

    static FailureCorpus load() throws IOException, URISyntaxException {
        Path dir = Path.of(FailureCorpus.class
                .getClassLoader()
                .getResource("failures/corpus")
                .toURI());
        List<Case> cases = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode rootCause = Platform.JSON.readTree(file.toFile());
                int i = 0;
                for (JsonNode v : rootCause.get("variants")) {
                    cases.add(new Case(
                            rootCause.get("root_cause").asText(),
                            rootCause.get("family").asText(),
                            rootCause.get("framework").asText(),
                            i++,
                            v.get("team").asText(),
                            v.get("project").asText(),
                            v.get("user").asText(),
                            v.get("type").asText(),
                            v.get("message").asText(),
                            v.get("stacktrace").asText()));
                }
            }
        }
        return new FailureCorpus(List.copyOf(cases));
    }
}
