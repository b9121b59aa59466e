package dev.labjournal.client;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Where and how runs are published. {@link #builder()} starts from the environment, and every setter overrides it:
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><th>variable</th><th>what</th></tr>
 *   <tr><td>{@code LABJOURNAL_URL}</td><td>the query service, which tells the tenant and the ingest address
 *       ({@code GET /api/v1/client-config})</td></tr>
 *   <tr><td>{@code LABJOURNAL_API_KEY}</td><td>an API key with the {@code ingest} scope</td></tr>
 *   <tr><td>{@code LABJOURNAL_INGEST_URL}</td><td>overrides the ingest address the server tells</td></tr>
 *   <tr><td>{@code LABJOURNAL_TENANT}</td><td>the tenant, when the server is not asked (Kafka carries no key)</td></tr>
 *   <tr><td>{@code LABJOURNAL_KAFKA_BOOTSTRAP}</td><td>publish to Kafka at these brokers instead of over HTTP</td></tr>
 * </table>
 */
public final class LabJournalConfig {

    /** How events travel. */
    public enum Transport {
        /** {@code POST /api/v1/events} of the ingest service, with the API key. */
        HTTP,
        /** Straight to the run-events topic with an idempotent Kafka producer. */
        KAFKA
    }

    /** The topic of run events, unless the server or the builder names another. */
    public static final String DEFAULT_TOPIC = "labjournal.run-events";

    private final URI url;
    private final String apiKey;
    private final URI ingestUrl;
    private final String tenant;
    private final String kafkaBootstrap;
    private final String topic;
    private final Transport transport;
    private final Duration flushInterval;
    private final int maxBatchPoints;
    private final int queueCapacity;
    private final Duration closeTimeout;
    private final Duration retryInitialBackoff;
    private final Duration retryMaxBackoff;
    private final Duration heartbeatInterval;

    private LabJournalConfig(Builder builder) {
        url = builder.url;
        apiKey = builder.apiKey;
        ingestUrl = builder.ingestUrl;
        tenant = builder.tenant;
        kafkaBootstrap = builder.kafkaBootstrap;
        topic = builder.topic;
        transport = builder.transport != null
                ? builder.transport
                : builder.kafkaBootstrap != null ? Transport.KAFKA : Transport.HTTP;
        flushInterval = builder.flushInterval;
        maxBatchPoints = builder.maxBatchPoints;
        queueCapacity = builder.queueCapacity;
        closeTimeout = builder.closeTimeout;
        retryInitialBackoff = builder.retryInitialBackoff;
        retryMaxBackoff = builder.retryMaxBackoff;
        heartbeatInterval = builder.heartbeatInterval;
    }

    /** The configuration of the environment variables alone. */
    public static LabJournalConfig fromEnv() {
        return builder().build();
    }

    /** A builder that starts from the process's environment variables. */
    public static Builder builder() {
        return builder(System.getenv());
    }

    /** A builder that starts from the given environment variables (tests, launchers). */
    public static Builder builder(Map<String, String> env) {
        Builder builder = new Builder();
        String url = blankToNull(env.get("LABJOURNAL_URL"));
        String ingestUrl = blankToNull(env.get("LABJOURNAL_INGEST_URL"));
        builder.url = url == null ? null : URI.create(url);
        builder.ingestUrl = ingestUrl == null ? null : URI.create(ingestUrl);
        builder.apiKey = blankToNull(env.get("LABJOURNAL_API_KEY"));
        builder.tenant = blankToNull(env.get("LABJOURNAL_TENANT"));
        builder.kafkaBootstrap = blankToNull(env.get("LABJOURNAL_KAFKA_BOOTSTRAP"));
        return builder;
    }

    public URI url() {
        return url;
    }

    public String apiKey() {
        return apiKey;
    }

    public URI ingestUrl() {
        return ingestUrl;
    }

    public String tenant() {
        return tenant;
    }

    public String kafkaBootstrap() {
        return kafkaBootstrap;
    }

    /** The topic named by the builder, or null to take the server's (or {@link #DEFAULT_TOPIC}). */
    public String topic() {
        return topic;
    }

    public Transport transport() {
        return transport;
    }

    /** How long a metric point waits at most for others to share its request: 1 s. */
    public Duration flushInterval() {
        return flushInterval;
    }

    /** The most metric points one request carries; as many waiting send at once: 1,000. */
    public int maxBatchPoints() {
        return maxBatchPoints;
    }

    /** The most metric points waiting to be sent; past it the oldest are dropped: 100,000. */
    public int queueCapacity() {
        return queueCapacity;
    }

    /** How long {@link Run#close()} waits for what is queued to be delivered: 30 s. */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    public Duration retryInitialBackoff() {
        return retryInitialBackoff;
    }

    public Duration retryMaxBackoff() {
        return retryMaxBackoff;
    }

    /** After this long without an event, a heartbeat keeps the run from being marked lost: 5 min. */
    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** Builds a configuration; {@link #build()} says what is missing. */
    public static final class Builder {
        private URI url;
        private String apiKey;
        private URI ingestUrl;
        private String tenant;
        private String kafkaBootstrap;
        private String topic;
        private Transport transport;
        private Duration flushInterval = Duration.ofSeconds(1);
        private int maxBatchPoints = 1000;
        private int queueCapacity = 100_000;
        private Duration closeTimeout = Duration.ofSeconds(30);
        private Duration retryInitialBackoff = Duration.ofMillis(200);
        private Duration retryMaxBackoff = Duration.ofSeconds(10);
        private Duration heartbeatInterval = Duration.ofMinutes(5);

        private Builder() {}

        public Builder url(String url) {
            this.url = URI.create(url);
            return this;
        }

        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        public Builder ingestUrl(String ingestUrl) {
            this.ingestUrl = URI.create(ingestUrl);
            return this;
        }

        public Builder tenant(String tenant) {
            this.tenant = tenant;
            return this;
        }

        /** Publishes to Kafka at these brokers (the transport becomes {@link Transport#KAFKA} unless set). */
        public Builder kafkaBootstrap(String bootstrapServers) {
            this.kafkaBootstrap = bootstrapServers;
            return this;
        }

        public Builder topic(String topic) {
            this.topic = topic;
            return this;
        }

        public Builder transport(Transport transport) {
            this.transport = transport;
            return this;
        }

        public Builder flushInterval(Duration flushInterval) {
            this.flushInterval = positive(flushInterval, "flushInterval");
            return this;
        }

        public Builder maxBatchPoints(int maxBatchPoints) {
            if (maxBatchPoints < 1 || maxBatchPoints > 10_000) {
                throw new IllegalArgumentException("maxBatchPoints must be 1 to 10000 (one run.metrics event)");
            }
            this.maxBatchPoints = maxBatchPoints;
            return this;
        }

        public Builder queueCapacity(int queueCapacity) {
            if (queueCapacity < 1) {
                throw new IllegalArgumentException("queueCapacity must be at least 1");
            }
            this.queueCapacity = queueCapacity;
            return this;
        }

        public Builder closeTimeout(Duration closeTimeout) {
            this.closeTimeout = positive(closeTimeout, "closeTimeout");
            return this;
        }

        public Builder retryBackoff(Duration initial, Duration max) {
            this.retryInitialBackoff = positive(initial, "initial backoff");
            this.retryMaxBackoff = positive(max, "max backoff");
            return this;
        }

        public Builder heartbeatInterval(Duration heartbeatInterval) {
            this.heartbeatInterval = positive(heartbeatInterval, "heartbeatInterval");
            return this;
        }

        /**
         * The configuration.
         *
         * @throws IllegalStateException when the target cannot be known: HTTP needs an API key and either
         *     LABJOURNAL_URL or both the ingest URL and the tenant; Kafka needs the brokers and the tenant, or
         *     LABJOURNAL_URL and a key to learn them
         */
        public LabJournalConfig build() {
            LabJournalConfig config = new LabJournalConfig(this);
            boolean canAsk = config.url != null && config.apiKey != null;
            if (config.transport == Transport.HTTP) {
                if (config.apiKey == null) {
                    throw new IllegalStateException("Lab Journal over HTTP needs an API key: set LABJOURNAL_API_KEY");
                }
                if (!canAsk && (config.ingestUrl == null || config.tenant == null)) {
                    throw new IllegalStateException("Lab Journal over HTTP needs LABJOURNAL_URL (the server tells"
                            + " the tenant and the ingest address), or LABJOURNAL_INGEST_URL and LABJOURNAL_TENANT");
                }
            } else if (!canAsk && (config.kafkaBootstrap == null || config.tenant == null)) {
                throw new IllegalStateException("Lab Journal over Kafka needs LABJOURNAL_KAFKA_BOOTSTRAP and"
                        + " LABJOURNAL_TENANT, or LABJOURNAL_URL and LABJOURNAL_API_KEY to learn them");
            }
            return config;
        }

        private static Duration positive(Duration value, String what) {
            Objects.requireNonNull(value, what);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(what + " must be positive");
            }
            return value;
        }
    }
}
