package dev.labjournal.client;

/** One event as it goes out: its id, its run (the Kafka key) and its JSON (CloudEvents structured mode). */
record Outgoing(String id, String runId, byte[] json) {}
