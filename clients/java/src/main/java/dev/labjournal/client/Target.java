package dev.labjournal.client;

import java.net.URI;

/** Where a run's events go, once known: its tenant and the ingest address or the Kafka brokers and topic. */
record Target(String tenant, URI ingestUrl, String kafkaBootstrap, String topic) {}
