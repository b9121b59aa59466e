package dev.labjournal.schemas;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The CloudEvents {@code type} values of Lab Journal run events (version 1). */
public final class EventTypes {
    /** A run started: name, user, code, datasets, initial params and tags. */
    public static final String RUN_STARTED = "dev.labjournal.run.started.v1";
    /** Parameters logged (immutable once set). */
    public static final String RUN_PARAMS = "dev.labjournal.run.params.v1";
    /** A batch of metric points. */
    public static final String RUN_METRICS = "dev.labjournal.run.metrics.v1";
    /** Tags set (last writer wins by event time). */
    public static final String RUN_TAGS = "dev.labjournal.run.tags.v1";
    /** A note: hypothesis, observation or conclusion. */
    public static final String RUN_NOTE = "dev.labjournal.run.note.v1";
    /** An artifact recorded by reference. */
    public static final String RUN_ARTIFACT = "dev.labjournal.run.artifact.v1";
    /** The run is alive. */
    public static final String RUN_HEARTBEAT = "dev.labjournal.run.heartbeat.v1";
    /** A run finished: succeeded, failed or killed. */
    public static final String RUN_FINISHED = "dev.labjournal.run.finished.v1";

    /** Every known type, in lifecycle order (unmodifiable). */
    public static final Set<String> ALL = Collections.unmodifiableSet(new LinkedHashSet<>(List.of(
            RUN_STARTED, RUN_PARAMS, RUN_METRICS, RUN_TAGS, RUN_NOTE, RUN_ARTIFACT, RUN_HEARTBEAT, RUN_FINISHED)));

    private EventTypes() {}
}
