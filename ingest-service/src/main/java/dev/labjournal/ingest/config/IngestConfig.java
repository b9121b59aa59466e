package dev.labjournal.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "labjournal.ingest")
public interface IngestConfig {

    /** Kafka bootstrap servers for the producer of run events, dead letters and run changes. */
    @WithName("kafka.bootstrap-servers")
    @WithDefault("${kafka.bootstrap.servers}")
    String kafkaBootstrapServers();

    /** The topic invalid events go to. */
    @WithDefault("labjournal.run-events.dlq")
    String deadLetterTopic();

    /** A running run with no event for this long is marked lost (like W&B's "crashed"). */
    @WithDefault("30m")
    Duration lostAfter();

    /** How often to look for lost runs. */
    @WithDefault("1m")
    Duration lostCheckInterval();

    /** First pause before a batch is retried after a failure (database or Kafka down, or an internal error). */
    @WithDefault("200ms")
    Duration retryInitialBackoff();

    /** Longest pause between retries of a batch. */
    @WithDefault("10s")
    Duration retryMaxBackoff();

    /**
     * How often a batch, and then each of its events alone, is retried after a failure that is neither the
     * infrastructure's (retried without end) nor the data's (refused at once): a programming error. After that the
     * event goes to the dead-letter topic as {@code internal_error} and the partition moves on.
     */
    @WithDefault("3")
    int internalErrorRetries();

    /** A batch still unfinished after this long (its partition has made no progress) makes the service unready. */
    @WithDefault("2m")
    Duration stallAfter();

    /** Fault injection, for the tests of the failure paths only; off unless configured. */
    Faults faults();

    interface Faults {
        /** Events whose id matches this regular expression fail while they are applied. */
        Optional<String> failEventIds();

        /** How they fail: {@code internal} (a programming error) or {@code infrastructure} (a lost connection). */
        @WithDefault("internal")
        String kind();
    }
}
