package dev.labjournal.query.indexing.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labjournal.query.runs.Run;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The datasets of a run's search document: name and digest of each, nothing else. */
class RunDocumentsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Run run(JsonNode datasets) {
        return new Run(
                "acme",
                "run-1",
                "imagenet",
                "vision",
                "resnet50",
                "ada",
                "running",
                true,
                new Run.Source(null, null, null, null, null),
                null,
                datasets,
                JSON.createObjectNode(),
                JSON.createObjectNode(),
                null,
                null,
                null,
                OffsetDateTime.parse("2026-01-01T00:00:00Z"),
                null,
                OffsetDateTime.parse("2026-01-01T00:00:00Z"),
                1,
                Map.of(),
                Map.of(),
                List.of(),
                List.of(),
                List.of());
    }

    @Test
    void eachDatasetKeepsItsNameAndDigestWithoutTheUri() throws Exception {
        JsonNode datasets = JSON.readTree("[{\"name\": \"imagenet-1k\", \"digest\": \"sha256:1\", \"uri\": \"s3://x\"},"
                + " {\"name\": \"imagenet-1k-val\"}]");

        Object indexed = RunDocuments.of(run(datasets)).get("datasets");

        assertThat((JsonNode) JSON.valueToTree(indexed))
                .isEqualTo(JSON.readTree("[{\"name\": \"imagenet-1k\", \"digest\": \"sha256:1\"},"
                        + " {\"name\": \"imagenet-1k-val\", \"digest\": null}]"));
    }

    @Test
    void aRunWithoutDatasetsHasAnEmptyList() {
        assertThat(RunDocuments.of(run(null)).get("datasets")).isEqualTo(List.of());
        assertThat(RunDocuments.of(run(JSON.nullNode())).get("datasets")).isEqualTo(List.of());
    }
}
