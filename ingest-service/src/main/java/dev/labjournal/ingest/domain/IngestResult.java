package dev.labjournal.ingest.domain;

import dev.labjournal.ingest.domain.RunEvent.RunKey;
import dev.labjournal.schemas.changes.RunChange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a committed batch changed: one run change per touched run (its new version and what changed, or only its
 * version for a run announced again), and the events (or parts of events) that were refused.
 *
 * @param unknownMembers how many unknown members of data the applied events carried (kept in their runs' extra), by
 *     event type
 */
public record IngestResult(
        Map<RunKey, RunChange> changes,
        List<Rejection> rejections,
        int appliedEvents,
        long appliedPoints,
        Map<String, Long> unknownMembers) {

    public IngestResult {
        unknownMembers = Map.copyOf(unknownMembers);
    }

    /** A result whose events carried no unknown member. */
    public IngestResult(
            Map<RunKey, RunChange> changes, List<Rejection> rejections, int appliedEvents, long appliedPoints) {
        this(changes, rejections, appliedEvents, appliedPoints, Map.of());
    }

    public static IngestResult empty() {
        return new IngestResult(Map.of(), List.of(), 0, 0);
    }

    public static IngestResult rejected(Rejection rejection) {
        return new IngestResult(Map.of(), List.of(rejection), 0, 0);
    }

    /** Both results as one; two changes of the same run are merged ({@link BatchChanges#merge}). */
    public IngestResult plus(IngestResult other) {
        Map<RunKey, RunChange> merged = new LinkedHashMap<>(changes);
        other.changes.forEach((run, change) -> merged.merge(run, change, BatchChanges::merge));
        List<Rejection> all = new ArrayList<>(rejections);
        all.addAll(other.rejections);
        Map<String, Long> unknown = new HashMap<>(unknownMembers);
        other.unknownMembers.forEach((type, count) -> unknown.merge(type, count, Long::sum));
        return new IngestResult(
                merged, all, appliedEvents + other.appliedEvents, appliedPoints + other.appliedPoints, unknown);
    }
}
