package dev.labjournal.ingest.domain;

import dev.labjournal.ingest.domain.RunEvent.RunKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a committed batch changed: the new version of every touched run, and the events (or parts of events) that
 * were refused.
 */
public record IngestResult(
        Map<RunKey, Long> runVersions, List<Rejection> rejections, int appliedEvents, long appliedPoints) {

    public static IngestResult empty() {
        return new IngestResult(Map.of(), List.of(), 0, 0);
    }

    public static IngestResult rejected(Rejection rejection) {
        return new IngestResult(Map.of(), List.of(rejection), 0, 0);
    }

    public IngestResult plus(IngestResult other) {
        Map<RunKey, Long> versions = new HashMap<>(runVersions);
        other.runVersions.forEach((run, version) -> versions.merge(run, version, Math::max));
        List<Rejection> all = new ArrayList<>(rejections);
        all.addAll(other.rejections);
        return new IngestResult(
                versions, all, appliedEvents + other.appliedEvents, appliedPoints + other.appliedPoints);
    }
}
