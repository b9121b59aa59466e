package dev.labjournal.query.clientconfig;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The addresses a client learns from query-service, so that a user sets one URL (query-service's) and a key: where
 * ingest-service takes events over HTTP, and the Kafka cluster and topic for clients that publish to Kafka.
 */
@ConfigMapping(prefix = "labjournal.clients")
public interface ClientConfig {

    /** ingest-service's address as clients reach it (behind a proxy, the proxy's). */
    @WithDefault("http://127.0.0.1:8081")
    String ingestUrl();

    /** The Kafka bootstrap servers as clients reach them. */
    @WithDefault("${kafka.bootstrap.servers}")
    String kafkaBootstrapServers();

    /** The topic run events are published to. */
    @WithDefault("labjournal.run-events")
    String runEventsTopic();
}
