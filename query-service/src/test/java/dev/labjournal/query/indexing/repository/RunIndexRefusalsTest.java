package dev.labjournal.query.indexing.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.labjournal.query.indexing.repository.RunIndex.Refusal;
import dev.labjournal.query.indexing.repository.RunIndex.Write;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opensearch.client.opensearch.core.BulkResponse;
import org.opensearch.client.opensearch.core.bulk.BulkResponseItem;
import org.opensearch.client.opensearch.core.bulk.OperationType;

/** How the items of a bulk response are judged: fine, the whole batch again, or one document refused. */
class RunIndexRefusalsTest {

    private static BulkResponseItem ok(String id) {
        return BulkResponseItem.of(i -> i.operationType(OperationType.Index)
                .index("labjournal-runs-v2")
                .id(id)
                .status(201));
    }

    private static BulkResponseItem failed(String id, int status, String type, String reason) {
        return BulkResponseItem.of(i -> i.operationType(OperationType.Index)
                .index("labjournal-runs-v2")
                .id(id)
                .status(status)
                .error(e -> e.type(type).reason(reason)));
    }

    private static List<Refusal> judge(BulkResponseItem... items) {
        List<Write> writes = new ArrayList<>();
        for (int i = 0; i < items.length; i++) {
            writes.add(new Write(null, "labjournal-runs"));
        }
        BulkResponse response = BulkResponse.of(b -> b.errors(true).took(3).items(List.of(items)));
        return RunIndex.refusals(writes, response);
    }

    @Test
    void aVersionConflictIsFine() {
        assertThat(judge(ok("t:a"), failed("t:b", 409, "version_conflict_engine_exception", "newer")))
                .isEmpty();
    }

    @Test
    void overloadServerErrorsAndAMissingIndexFailTheWholeBatch() {
        assertThatThrownBy(() -> judge(ok("t:a"), failed("t:b", 429, "es_rejected_execution_exception", "queue full")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("t:b")
                .hasMessageContaining("429");
        assertThatThrownBy(() -> judge(failed("t:a", 503, "unavailable_shards_exception", "primary not active")))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> judge(failed("t:a", 404, "index_not_found_exception", "no such index")))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aDocumentRefusedForItsContentIsOneRefusalWithThePhysicalIndex() {
        List<Refusal> refused = judge(
                ok("t:a"),
                failed(
                        "t:wide",
                        400,
                        "mapper_parsing_exception",
                        "The number of nested documents has exceeded the allowed limit of [10000]."),
                ok("t:c"));

        assertThat(refused).hasSize(1);
        Refusal refusal = refused.get(0);
        assertThat(refusal.type()).isEqualTo("mapper_parsing_exception");
        assertThat(refusal.status()).isEqualTo(400);
        assertThat(refusal.reason()).contains("nested documents");
        assertThat(refusal.index())
                .as("the index that refused it, not the alias")
                .isEqualTo("labjournal-runs-v2");
    }

    @Test
    void theCauseIsPartOfTheReason() {
        BulkResponseItem item = BulkResponseItem.of(i -> i.operationType(OperationType.Index)
                .index("labjournal-runs-v2")
                .id("t:x")
                .status(400)
                .error(e -> e.type("mapper_parsing_exception")
                        .reason("failed to parse field [start_time] of type [date]")
                        .causedBy(c -> c.type("illegal_argument_exception").reason("year out of range"))));

        assertThat(judge(item).get(0).reason())
                .isEqualTo("failed to parse field [start_time] of type [date]: illegal_argument_exception year out"
                        + " of range");
    }

    @Test
    void aResponseWithoutErrorsHasNoRefusal() {
        BulkResponse response = BulkResponse.of(b -> b.errors(false).took(1).items(List.of(ok("t:a"))));
        assertThat(RunIndex.refusals(List.of(new Write(null, "labjournal-runs")), response))
                .isEmpty();
    }
}
