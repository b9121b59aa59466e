package dev.labjournal.ingest.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labjournal.ingest.domain.RunEvent.RunKey;
import dev.labjournal.schemas.UnknownMember;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunExtrasTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RunKey RUN = new RunKey("acme", "run-1");
    private static final RunKey OTHER = new RunKey("acme", "run-2");

    @Test
    void aLaterEventsMemberOfTheSameNameOverwritesAndOthersAddUp() throws Exception {
        List<RunEvent> events = List.of(
                event(
                        RUN,
                        "dev.labjournal.run.started.v1",
                        "{\"name\":\"n\",\"gpu_count\":4,\"zone\":\"eu\"}",
                        "gpu_count",
                        "zone"),
                event(OTHER, "dev.labjournal.run.started.v1", "{\"name\":\"m\"}"),
                event(
                        RUN,
                        "dev.labjournal.run.metrics.v1",
                        "{\"metrics\":[],\"gpu_count\":8,\"node\":{\"id\":[1,2]}}",
                        "gpu_count",
                        "node"));

        Map<RunKey, ? extends JsonNode> extras = RunExtras.of(events);

        assertThat(extras).containsOnlyKeys(RUN);
        assertThat(extras.get(RUN))
                .isEqualTo(JSON.readTree("{\"gpu_count\":8,\"zone\":\"eu\",\"node\":{\"id\":[1,2]}}"));
    }

    @Test
    void aNullValueIsKeptAsNull() throws Exception {
        Map<RunKey, ? extends JsonNode> extras =
                RunExtras.of(List.of(event(RUN, "dev.labjournal.run.tags.v1", "{\"later\":null}", "later")));

        assertThat(extras.get(RUN)).isEqualTo(JSON.readTree("{\"later\":null}"));
    }

    @Test
    void countsUnknownMembersByEventType() throws Exception {
        List<RunEvent> events = List.of(
                event(RUN, "dev.labjournal.run.started.v1", "{\"a\":1,\"b\":2}", "a", "b"),
                event(OTHER, "dev.labjournal.run.started.v1", "{\"a\":1}", "a"),
                event(RUN, "dev.labjournal.run.note.v1", "{\"c\":1}", "c"),
                event(RUN, "dev.labjournal.run.tags.v1", "{}"));

        assertThat(RunExtras.countByType(events))
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("dev.labjournal.run.started.v1", 3L, "dev.labjournal.run.note.v1", 1L));
    }

    private static RunEvent event(RunKey run, String type, String data, String... unknown) throws Exception {
        List<UnknownMember> members = java.util.Arrays.stream(unknown)
                .map(name -> new UnknownMember(name, "$.data." + name))
                .toList();
        return new RunEvent(
                "id-" + System.nanoTime(),
                type,
                run.tenant(),
                "project",
                run.runId(),
                OffsetDateTime.parse("2026-12-01T10:00:00Z"),
                JSON.readTree(data),
                members,
                new byte[0],
                RunEvent.SourcePosition.NONE);
    }
}
