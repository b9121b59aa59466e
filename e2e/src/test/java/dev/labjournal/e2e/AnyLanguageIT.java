package dev.labjournal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labjournal.client.LabJournal;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * "Publish from any language" works as written: each example of docs/examples/ runs as a process against the live
 * platform (curl and Python over HTTP; kcat, Node.js with kafkajs and Go with franz-go over Kafka; Java with the SDK)
 * and its run arrives with its three loss points, its param and its status, as the REST API shows. The README section
 * shows every example file verbatim. A missing tool (kcat, node, npm, go, ...) fails the test that needs it, saying
 * so: nothing is skipped. npm and Go install into e2e/target/any-language/.
 */
class AnyLanguageIT {

    private static final Path EXAMPLES = Platform.ROOT.resolve("docs/examples");
    private static final Path WORK = Platform.ROOT.resolve("e2e/target/any-language");
    /** A block that shows a file: the marker naming it, then a fenced block holding exactly the file. */
    private static final Pattern SHOWN_FILE =
            Pattern.compile("<!-- example: (\\S+) -->\\n```[a-z]*\\n(.*?)```\\n", Pattern.DOTALL);

    private static final List<String> SHOWN = List.of(
            "docs/examples/curl/publish.sh",
            "docs/examples/kcat/publish.sh",
            "docs/examples/python/publish.py",
            "docs/examples/java/Publish.java",
            "docs/examples/node/package.json",
            "docs/examples/node/publish.js",
            "docs/examples/go/go.mod",
            "docs/examples/go/main.go");

    private static TestTenant tenant;

    @BeforeAll
    static void tenant() throws Exception {
        tenant = TestTenant.create("any-language");
        Files.createDirectories(WORK);
    }

    @Test
    void theReadmeShowsEveryExampleFileAsItIs() throws IOException {
        Path readme = Platform.ROOT.resolve("README.md");
        List<String> shown = new ArrayList<>();
        Matcher block = SHOWN_FILE.matcher(Files.readString(readme));
        while (block.find()) {
            String file = block.group(1);
            assertThat(block.group(2))
                    .as("README.md shows %s as it is (copy the file into the block)", file)
                    .isEqualTo(Files.readString(Platform.ROOT.resolve(file)));
            shown.add(file);
        }
        assertThat(shown).as("example files shown in README.md").containsAll(SHOWN);
    }

    @Test
    void curlOverHttp() throws Exception {
        String runId = runId("curl");
        String output = run(Platform.ROOT, Duration.ofMinutes(1), "bash", example("curl/publish.sh"), runId);
        assertThat(output).contains("\"accepted\":[\"" + runId + "-started\"");
        assertArrived(runId, "curl example");
    }

    @Test
    void kcatOverKafka() throws Exception {
        String runId = runId("kcat");
        require("kcat");
        run(Platform.ROOT, Duration.ofMinutes(1), "bash", example("kcat/publish.sh"), runId);
        assertArrived(runId, "kcat example");
    }

    @Test
    void pythonOverHttp() throws Exception {
        require("python3");
        String runId = runId("python");
        String output = run(Platform.ROOT, Duration.ofMinutes(1), "python3", example("python/publish.py"), runId);
        assertThat(output).startsWith("202 ");
        assertArrived(runId, "python example");
    }

    @Test
    void javaWithTheSdkOverHttp() throws Exception {
        javaWithTheSdk("java-http", Map.of("LABJOURNAL_KAFKA_BOOTSTRAP", ""));
    }

    @Test
    void javaWithTheSdkOverKafka() throws Exception {
        javaWithTheSdk("java-kafka", Map.of("LABJOURNAL_API_KEY", "", "LABJOURNAL_INGEST_URL", ""));
    }

    private void javaWithTheSdk(String language, Map<String, String> env) throws Exception {
        String runId = runId(language);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String output = run(
                Platform.ROOT,
                Duration.ofMinutes(2),
                env,
                java,
                "-cp",
                sdkClassPath(),
                example("java/Publish.java"),
                runId);
        assertThat(output).contains("published run " + runId).doesNotContain("WARNING", "SEVERE");
        assertArrived(runId, "java example");
    }

    @Test
    void nodeWithKafkajsOverKafka() throws Exception {
        require("node");
        require("npm");
        Path node = WORK.resolve("node");
        Files.createDirectories(node);
        for (String file : List.of("package.json", "package-lock.json", "publish.js")) {
            Files.copy(EXAMPLES.resolve("node").resolve(file), node.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        run(
                node,
                Duration.ofMinutes(5),
                "npm",
                "ci",
                "--no-audit",
                "--no-fund",
                "--cache",
                WORK.resolve("npm-cache").toString());
        String runId = runId("node");
        String output = run(node, Duration.ofMinutes(1), "node", "publish.js", runId);
        assertThat(output).contains("published run " + runId);
        assertArrived(runId, "node example");
    }

    @Test
    void goWithFranzGoOverKafka() throws Exception {
        require("go");
        Path binary = WORK.resolve("go/publish");
        run(EXAMPLES.resolve("go"), Duration.ofMinutes(10), "go", "build", "-o", binary.toString(), ".");
        String runId = runId("go");
        String output = run(WORK, Duration.ofMinutes(1), binary.toString(), runId);
        assertThat(output).contains("published run " + runId);
        assertArrived(runId, "go example");
    }

    /** The run of an example: started with its name and param, three loss points 0.9, 0.5, 0.3, succeeded. */
    private static void assertArrived(String runId, String name) {
        JsonNode run = Runs.awaitRun(
                tenant.readKey(),
                runId,
                stored -> "succeeded".equals(stored.get("status").asText()));
        assertThat(run.get("project").asText()).isEqualTo("demo");
        assertThat(run.get("name").asText()).isEqualTo(name);
        assertThat(run.get("params")).isEqualTo(Platform.JSON.valueToTree(Map.of("lr", "0.1")));
        assertThat(run.get("metrics")).hasSize(1);
        JsonNode loss = run.get("metrics").get(0);
        assertThat(loss.get("key").asText()).isEqualTo("loss");
        assertThat(loss.get("count").asLong()).isEqualTo(3);
        assertThat(loss.get("last_step").asLong()).isEqualTo(2);
        assertThat(loss.get("last").asDouble()).isEqualTo(0.3);
        assertThat(loss.get("min").asDouble()).isEqualTo(0.3);
        assertThat(loss.get("max").asDouble()).isEqualTo(0.9);
    }

    private static String runId(String language) {
        return language + "-example-" + UUID.randomUUID();
    }

    private static String example(String file) {
        return EXAMPLES.resolve(file).toString();
    }

    /** The SDK and its runtime dependencies, where this test's class path has them. */
    private static String sdkClassPath() throws Exception {
        List<String> entries = new ArrayList<>();
        for (Class<?> type : List.of(
                LabJournal.class,
                ObjectMapper.class,
                JsonFactory.class,
                JsonAutoDetect.class,
                KafkaProducer.class,
                LoggerFactory.class)) {
            entries.add(Path.of(type.getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    /** Fails the test, naming the tool, when it is not on the PATH. */
    private static void require(String tool) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(directory, tool))) {
                return;
            }
        }
        fail(
                "%s is not on the PATH: the any-language examples need it (deploy/local/labjournal up installs"
                        + " kcat; node, npm, go and python3 come with the machine)",
                tool);
    }

    /** Runs the command with the platform as its target and returns its output; a failure or a time-out fails. */
    private static String run(Path directory, Duration timeout, String... command) throws Exception {
        return run(directory, timeout, Map.of(), command);
    }

    /** As {@link #run(Path, Duration, String...)}, with these variables changed (an empty value: removed). */
    private static String run(Path directory, Duration timeout, Map<String, String> changes, String... command)
            throws Exception {
        if (!command[0].contains(File.separator)) {
            require(command[0]);
        }
        Path log = Files.createTempFile(WORK, "process-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.remove("LABJOURNAL_URL");
        env.put("LABJOURNAL_TENANT", tenant.id());
        env.put("LABJOURNAL_API_KEY", tenant.ingestKey());
        env.put("LABJOURNAL_INGEST_URL", Platform.INGEST_URL);
        env.put("LABJOURNAL_KAFKA_BOOTSTRAP", Platform.KAFKA);
        env.put("KAFKAJS_NO_PARTITIONER_WARNING", "1");
        env.put("npm_config_update_notifier", "false");
        env.put("GOMODCACHE", WORK.resolve("go/mod").toString());
        env.put("GOCACHE", WORK.resolve("go/cache").toString());
        env.put("GOFLAGS", "-mod=readonly -modcacherw");
        env.put("GOTOOLCHAIN", "local");
        changes.forEach((name, value) -> {
            if (value.isEmpty()) {
                env.remove(name);
            } else {
                env.put(name, value);
            }
        });
        long start = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            fail("%s did not finish in %s; output:%n%s", String.join(" ", command), timeout, Files.readString(log));
        }
        String output = Files.readString(log);
        assertThat(process.exitValue())
                .as(
                        "exit code of %s (after %d ms); output:%n%s",
                        String.join(" ", command), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), output)
                .isZero();
        return output;
    }
}
