package dev.labjournal.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;

@ConfigMapping(prefix = "labjournal.ingest")
public interface IngestConfig {

    /** Kafka bootstrap servers for the producer of run events, dead letters and run changes. */
    @WithName("kafka.bootstrap-servers")
    @WithDefault("${kafka.bootstrap.servers}")
    String kafkaBootstrapServers();

    /** A running run with no event for this long is marked lost (like W&B's "crashed"). */
    @WithDefault("30m")
    Duration lostAfter();

    /** How often to look for lost runs. */
    @WithDefault("1m")
    Duration lostCheckInterval();

    /** First pause before a batch is retried after a transient failure (database or Kafka down). */
    @WithDefault("200ms")
    Duration retryInitialBackoff();

    /** Longest pause between retries of a batch; retries go on until the batch is stored. */
    @WithDefault("10s")
    Duration retryMaxBackoff();
}
