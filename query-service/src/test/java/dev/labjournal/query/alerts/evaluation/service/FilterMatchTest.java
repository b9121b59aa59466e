package dev.labjournal.query.alerts.evaluation.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labjournal.query.runs.Run;
import dev.labjournal.query.search.filter.FilterParser;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The in-memory filter follows the search semantics (AlertEvaluationIT checks it against OpenSearch itself). */
class FilterMatchTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Run run(String name, Map<String, String> params, Map<String, String> tags, Object loss)
            throws Exception {
        return new Run(
                "t",
                "r-" + name,
                "p",
                "vision",
                name,
                "ada",
                "failed",
                true,
                new Run.Source(null, null, null, null, null),
                null,
                JSON.readTree("[{\"name\": \"imagenet\", \"digest\": \"abc\"}, {\"name\": \"coco\"}]"),
                JSON.readTree("{}"),
                JSON.readTree("{}"),
                null,
                new Run.Failure("KeyError", "'labels'", null, null),
                null,
                OffsetDateTime.parse("2026-01-01T00:00:00.123456Z"),
                null,
                OffsetDateTime.parse("2026-01-01T00:00:00Z"),
                1,
                params,
                tags,
                loss == null ? List.of() : List.of(new Run.MetricSummary("loss", loss, 1, null, loss, loss, 1)),
                List.of(),
                List.of());
    }

    private static boolean matches(String filter, Run run) {
        return FilterMatch.matches(FilterParser.parse(filter), run);
    }

    @Test
    void aMissingKeyMatchesNoComparisonNotEvenNotEqual() throws Exception {
        Run run = run("a", Map.of("lr", "0.1"), Map.of(), null);
        assertThat(matches("params.lr = '0.1'", run)).isTrue();
        assertThat(matches("params.bs != '8'", run)).isFalse();
        assertThat(matches("params.bs IS NULL", run)).isTrue();
        assertThat(matches("tags.env IS NOT NULL", run)).isFalse();
        assertThat(matches("metrics.loss != 1", run)).isFalse();
    }

    @Test
    void nanMetricsMatchNothing() throws Exception {
        Run run = run("a", Map.of(), Map.of(), "NaN");
        assertThat(matches("metrics.loss != 1", run)).isFalse();
        assertThat(matches("metrics.loss > -1e300", run)).isFalse();
        assertThat(matches("metrics.loss < 1", run(("b"), Map.of(), Map.of(), 0.5)))
                .isTrue();
    }

    @Test
    void likeIlikeInAndNotIn() throws Exception {
        Run run = run("fx_1%", Map.of(), Map.of(), null);
        assertThat(matches("attributes.run_name LIKE 'fx%'", run)).isTrue();
        assertThat(matches("attributes.run_name LIKE 'FX%'", run)).isFalse();
        assertThat(matches("attributes.run_name ILIKE 'FX%'", run)).isTrue();
        assertThat(matches("attributes.run_name LIKE 'fx__%'", run)).isTrue();
        assertThat(matches("attributes.run_name LIKE 'f.%'", run))
                .as("regex characters are literal")
                .isFalse();
        assertThat(matches("attributes.failure_type IN ('KeyError', 'X')", run)).isTrue();
        assertThat(matches("attributes.failure_type NOT IN ('KeyError')", run)).isFalse();
        assertThat(matches("attributes.status = 'FAILED'", run)).isTrue();
    }

    @Test
    void datasetsMatchWhenAnyDatasetDoesAndTimesInEpochMilliseconds() throws Exception {
        Run run = run("a", Map.of(), Map.of(), null);
        assertThat(matches("datasets.name = 'coco'", run)).isTrue();
        assertThat(matches("datasets.digest != 'abc'", run))
                .as("coco has no digest")
                .isFalse();
        assertThat(matches("datasets.name != 'coco'", run)).isTrue();
        assertThat(matches("attributes.start_time = 1767225600123", run)).isTrue();
        assertThat(matches("attributes.start_time > '2026-01-01T00:00:00.123Z'", run))
                .isFalse();
        assertThat(matches("attributes.end_time > 0", run)).as("no end time").isFalse();
    }

    @Test
    void andBindsTighterThanOr() throws Exception {
        Run run = run("a", Map.of("lr", "0.1"), Map.of("env", "dev"), 0.5);
        assertThat(matches("params.lr = '0.2' AND tags.env = 'dev' OR metrics.loss = 0.5", run))
                .isTrue();
        assertThat(matches("params.lr = '0.2' AND (tags.env = 'dev' OR metrics.loss = 0.5)", run))
                .isFalse();
    }
}
