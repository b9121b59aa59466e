package dev.labjournal.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.function.Supplier;

/** What a log call enqueues: a metric point, or any other event of the run. */
sealed interface Item {

    /** One metric point; points in a row become one run.metrics event. */
    record MetricPoint(String key, double value, long step, Instant time) implements Item {}

    /**
     * An event other than metrics, with its id and time fixed when it was logged. Its data is made by the sender
     * (run.started's environment is captured off the caller's thread).
     */
    record Control(String type, String id, Instant time, Supplier<ObjectNode> data) implements Item {}
}
