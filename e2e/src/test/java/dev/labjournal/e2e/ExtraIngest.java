package dev.labjournal.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A second ingest-service, started from the same build with settings of a test's own (a short lost-after, fault
 * injection, ...). It consumes a topic of its own in a consumer group of its own, so the shared instance never sees
 * what the test publishes there, and the test's settings never touch the shared instance.
 */
final class ExtraIngest implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final Path log;
    private final String url;

    private ExtraIngest(Process process, Path log, String url) {
        this.process = process;
        this.log = log;
        this.url = url;
    }

    /**
     * Starts an instance that consumes {@code topic} and waits until it is ready.
     *
     * @param name names its log file, {@code e2e/target/<name>-ingest.log}
     * @param settings system properties, {@code -Dkey=value} each
     */
    static ExtraIngest start(String name, String topic, List<String> settings) throws Exception {
        Path jar = Platform.ROOT.resolve("ingest-service/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    jar + " is missing: build it first (./mvnw -DskipTests package -pl ingest-service -am)");
        }
        Path log = Platform.ROOT.resolve("e2e/target/" + name + "-ingest.log");
        Files.createDirectories(log.getParent());
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-Dquarkus.http.port=" + port,
                "-Dmp.messaging.incoming.run-events.topic=" + topic,
                // A group of its own, so no other member (say, of a killed earlier run) holds the partition.
                "-Dmp.messaging.incoming.run-events.group.id=labjournal-" + name + "-" + UUID.randomUUID(),
                // One consumer for the one partition of its topic.
                "-Dmp.messaging.incoming.run-events.concurrency=1"));
        command.addAll(settings);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(log.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("LJ_KAFKA_BOOTSTRAP", Platform.KAFKA);
        builder.environment().put("LJ_DB_PORT", Platform.env("LJ_PG_PORT", "5432"));
        Process process = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        ExtraIngest ingest = new ExtraIngest(process, log, "http://127.0.0.1:" + port);
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (ingest.readiness() != 200) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                ingest.close();
                throw new IllegalStateException("the extra ingest-service "
                        + (process.isAlive() ? "is not ready after " + READY_TIMEOUT : "exited")
                        + "; the end of " + log + ":\n" + ingest.tail());
            }
            Thread.sleep(250);
        }
        return ingest;
    }

    /** Creates a topic of one partition with these topic settings, unless it exists. */
    static void createTopic(String topic, Map<String, String> configs) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Platform.KAFKA);
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(configs)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    /** Deletes the topics a test made for itself. */
    static void deleteTopics(List<String> topics) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Platform.KAFKA);
        try (Admin admin = Admin.create(props)) {
            admin.deleteTopics(topics).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** The HTTP status of {@code /q/health/ready}, or -1 when it does not answer. */
    int readiness() {
        return status("/q/health/ready");
    }

    Platform.Reply get(String path) throws IOException, InterruptedException {
        return Platform.send(HttpRequest.newBuilder(URI.create(url + path))
                .timeout(Duration.ofSeconds(5))
                .build());
    }

    /** Its Prometheus metrics. */
    String metrics() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/q/metrics"))
                .timeout(Duration.ofSeconds(5))
                .build();
        return Platform.sendForText(request);
    }

    private int status(String path) {
        try {
            return get(path).status();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
