package dev.labjournal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The README's tour works as written: its bash blocks run as they stand, in one shell, and the output of each block
 * is what the README promises. The tour names the default ports; against a platform on other ports (LJ_QUERY_PORT,
 * LJ_INGEST_PORT, LJ_KAFKA_PORT) those addresses, and nothing else, are replaced by the platform's. Its webhook
 * receiver listens on a free port (HOOK_PORT) so that tours of several platforms of one machine never collide.
 */
class ReadmeTourIT {

    private static final Pattern BASH_BLOCK = Pattern.compile("```bash\\n(.*?)```", Pattern.DOTALL);
    private static final String END_OF_BLOCK = "<<<end of tour block>>>";
    private static final Pattern KEY_LINE = Pattern.compile("^API key of (\\S+): (\\S*)$", Pattern.MULTILINE);
    /** kcat's {@code %h}: name=value pairs joined by commas (a value, such as a reason, may hold commas). */
    private static final Pattern HEADER_SEPARATOR = Pattern.compile(",(?=lj-[a-z-]+=)");

    @Test
    void everyBlockOfTheTourDoesWhatTheReadmeSays() throws Exception {
        Platform.ensureUp();
        List<String> outputs = runTour();
        assertThat(outputs).as("output of each block of the tour").hasSize(7);

        // 1. A tenant, and a key for it.
        String tenantBlock = outputs.get(0);
        JsonNode tenant = Platform.JSON.readTree(tenantBlock.lines().findFirst().orElseThrow());
        Matcher keyLine = KEY_LINE.matcher(tenantBlock);
        assertThat(keyLine.find()).as("the key line in:%n%s", tenantBlock).isTrue();
        String tenantId = keyLine.group(1);
        String key = keyLine.group(2);
        assertThat(tenantId).matches("acme-[0-9]+-[0-9]+");
        assertThat(tenant.get("id").asText()).isEqualTo(tenantId);
        assertThat(tenant.get("name").asText()).isEqualTo("Acme Research");
        assertThat(key).matches("lj_key_[0-9a-f]{40}");

        // 2. kcat published (the block ran to its end under set -e) and printed nothing.
        assertThat(outputs.get(1)).isBlank();

        // 3. HTTP ingest: 202 with the accepted ids, in request order.
        List<String> ingest = outputs.get(2).strip().lines().toList();
        assertThat(ingest).hasSize(2);
        assertThat(Platform.JSON.readTree(ingest.get(0)))
                .isEqualTo(Platform.JSON.readTree("{\"accepted\": [\"run-2-loss\", \"run-2-note\"]}"));
        assertThat(ingest.get(1)).isEqualTo("202");

        // 4. The first search finds run-1 by words of its stack trace, the second run-2 by its note; then run-2.
        List<JsonNode> found = jsonValues(outputs.get(3));
        assertThat(found)
                .as("one hit per search, then the run:%n%s", outputs.get(3))
                .hasSize(3);
        JsonNode failure = found.get(0);
        assertThat(failure.get("run_id").asText()).isEqualTo("run-1");
        assertThat(failure.get("status").asText()).isEqualTo("failed");
        assertThat(failure.get("failure_type").asText()).isEqualTo("torch.cuda.OutOfMemoryError");
        assertThat(failure.get("highlights").get("failure_type").get(0).asText())
                .isEqualTo("torch.cuda.<em>OutOfMemoryError</em>");
        assertThat(failure.get("highlights").get("failure_stacktrace").get(0).asText())
                .contains("loss.<em>backward</em>()")
                .contains("torch.cuda.<em>OutOfMemoryError</em>: CUDA out of memory");

        JsonNode note = found.get(1);
        assertThat(note.get("run_id").asText()).isEqualTo("run-2");
        assertThat(note.get("highlights").get("notes").get(0).asText())
                .isEqualTo("<em>NaN</em> loss after <em>warmup</em> with lr 0.1");

        JsonNode run = found.get(2);
        assertThat(run.get("run_id").asText()).isEqualTo("run-2");
        assertThat(run.get("status").asText()).as("no run.finished yet").isEqualTo("running");
        assertThat(run.get("metrics")).hasSize(1);
        JsonNode loss = run.get("metrics").get(0);
        assertThat(loss.get("key").asText()).isEqualTo("loss");
        assertThat(loss.get("count").asLong()).isEqualTo(2);
        assertThat(loss.get("last").asText()).isEqualTo("NaN");
        assertThat(loss.get("last_step").asLong()).isEqualTo(100);
        assertThat(loss.get("min").asDouble()).isEqualTo(2.3);
        assertThat(loss.get("max").asDouble()).isEqualTo(2.3);
        assertThat(run.get("notes")).hasSize(1);
        assertThat(run.get("notes").get(0).get("kind").asText()).isEqualTo("observation");
        assertThat(run.get("notes").get(0).get("text").asText()).isEqualTo("NaN loss after warmup with lr 0.1");

        // 5. The dead letter of this tour's broken event, with its reason.
        String deadLetter = outputs.get(4).strip();
        assertThat(deadLetter.lines()).as("one dead letter").hasSize(1);
        String deadKey = deadLetter.substring(0, deadLetter.indexOf(' '));
        Map<String, String> headers = headers(deadLetter.substring(deadLetter.indexOf(' ') + 1));
        assertThat(deadKey).isEqualTo("broken-" + tenantId);
        assertThat(headers)
                .containsEntry("lj-error-code", "malformed_json")
                .containsEntry("lj-error-path", "$")
                .containsEntry("lj-source-topic", "labjournal.run-events");
        assertThat(headers.get("lj-error-reason")).startsWith("$: Malformed JSON");

        // 6. run-2's loss history: both points, whole, in step order, the NaN as a string.
        JsonNode history = Platform.JSON.readTree(outputs.get(5).strip());
        assertThat(history.get("run_id").asText()).isEqualTo("run-2");
        assertThat(history.get("total_points").asLong()).isEqualTo(2);
        assertThat(history.get("downsampled").asBoolean()).isFalse();
        assertThat(history.get("points")).hasSize(2);
        assertThat(history.get("points").get(0).get("step").asLong()).isZero();
        assertThat(history.get("points").get(0).get("value").asDouble()).isEqualTo(2.3);
        assertThat(history.get("points").get(1).get("step").asLong()).isEqualTo(100);
        assertThat(history.get("points").get(1).get("value").asText()).isEqualTo("NaN");

        // 7. The alert for run-5 at the webhook (headers, then the body as received) and on the stream.
        checkAlert(outputs.get(6), key);

        // The tour's effects, checked another way: the key reads the failed run, and the dead letter's source
        // offset holds the broken event.
        Platform.Reply run1 = Runs.get(key, "run-1");
        assertThat(run1.status()).isEqualTo(200);
        assertThat(run1.body().get("tenant").asText()).isEqualTo(tenantId);
        assertThat(run1.body().get("name").asText()).isEqualTo("resnet50 bs512");
        assertThat(run1.body().get("failure").get("type").asText()).isEqualTo("torch.cuda.OutOfMemoryError");
        ConsumerRecord<String, String> source = recordAt(
                headers.get("lj-source-topic"),
                Integer.parseInt(headers.get("lj-source-partition")),
                Long.parseLong(headers.get("lj-source-offset")));
        assertThat(source.key()).isEqualTo("broken-" + tenantId);
        assertThat(source.value()).isEqualTo("{\"specversion\": \"1.0\", \"id\": ");
    }

    /** Runs the tour's blocks in one bash, as a reader pasting them would, and returns each block's output. */
    private static List<String> runTour() throws Exception {
        String readme = Files.readString(Platform.ROOT.resolve("README.md"));
        String tour = readme.substring(readme.indexOf("<!-- tour:start -->"), readme.indexOf("<!-- tour:end -->"));
        StringBuilder script = new StringBuilder("set -euo pipefail\n");
        Matcher block = BASH_BLOCK.matcher(tour);
        while (block.find()) {
            script.append(onThisPlatform(block.group(1)))
                    .append("printf '\\n%s\\n' '")
                    .append(END_OF_BLOCK)
                    .append("'\n");
        }

        ProcessBuilder tourShell = new ProcessBuilder("bash", "-c", script.toString())
                .directory(Platform.ROOT.toFile())
                .redirectErrorStream(true);
        try (ServerSocket free = new ServerSocket(0)) {
            tourShell.environment().put("HOOK_PORT", Integer.toString(free.getLocalPort()));
        }
        Process bash = tourShell.start();
        boolean finished = bash.waitFor(2, TimeUnit.MINUTES);
        if (!finished) {
            bash.destroyForcibly();
        }
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        System.out.println(output);
        assertThat(finished)
                .as("the tour finished in 2 minutes; output:%n%s", output)
                .isTrue();
        assertThat(bash.exitValue())
                .as("exit code of the tour; output:%n%s", output)
                .isZero();

        List<String> outputs = new ArrayList<>(List.of(output.split(Pattern.quote(END_OF_BLOCK), -1)));
        assertThat(outputs.remove(outputs.size() - 1))
                .as("nothing after the last block")
                .isBlank();
        return outputs;
    }

    /**
     * The last block's output: the rule's id and secret, the webhook request's headers and body, the stream's event.
     * One alert, for run-5 against run-4, the same document with the same id on both, signed with the secret.
     */
    private static void checkAlert(String output, String key) throws Exception {
        List<String> lines = output.strip().lines().toList();
        assertThat(lines.size())
                .as("rule, webhook headers and body, SSE event:%n%s", output)
                .isGreaterThanOrEqualTo(6);
        JsonNode rule = Platform.JSON.readTree(lines.get(0));
        String secret = rule.get("secret").asText();
        assertThat(secret).startsWith("whsec_");
        JsonNode headers = Platform.JSON.readTree(lines.get(1));
        byte[] body = lines.get(2).getBytes(StandardCharsets.UTF_8);
        JsonNode alert = Platform.JSON.readTree(body);
        assertThat(alert.get("rule_id").asText()).isEqualTo(rule.get("id").asText());
        assertThat(alert.get("run_id").asText()).isEqualTo("run-5");
        assertThat(alert.get("observed").asDouble()).isEqualTo(0.45);
        assertThat(alert.get("baseline").asDouble()).isEqualTo(0.40);
        assertThat(alert.get("baseline_run_ids").get(0).asText()).isEqualTo("run-4");
        assertThat(alert.get("baseline_run_ids")).hasSize(1);
        assertThat(alert.get("relative_delta").asDouble()).isCloseTo((0.45 - 0.40) / 0.40, within(1e-12));
        assertThat(headers.get("webhook-id").asText()).isEqualTo(alert.get("id").asText());
        assertThat(headers.get("webhook-signature").asText())
                .as("signed with the secret of the 201")
                .isEqualTo(AlertDeliveryIT.sign(
                        secret,
                        headers.get("webhook-id").asText(),
                        headers.get("webhook-timestamp").asText(),
                        body));

        List<String> event = lines.subList(3, lines.size()).stream()
                .filter(line -> !line.isEmpty() && !line.startsWith(":"))
                .toList();
        assertThat(event).as("one event on the stream:%n%s", output).hasSize(3);
        String seq = field(event.get(0), "id");
        assertThat(seq).matches("[0-9]+");
        assertThat(field(event.get(1), "event")).isEqualTo("alert");
        assertThat(Platform.JSON.readTree(field(event.get(2), "data")))
                .as("the stream's alert is the webhook's")
                .isEqualTo(alert);

        Platform.Reply listed = Platform.get(
                Platform.QUERY_URL + "/api/v1/alerts?rule_id="
                        + alert.get("rule_id").asText(),
                key);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.body().get("alerts")).as("one alert of the rule").hasSize(1);
        assertThat(listed.body().at("/alerts/0/seq").asText()).isEqualTo(seq);
    }

    /** The value of an event stream's line {@code name:value} (one space after the colon is not part of it). */
    private static String field(String line, String name) {
        assertThat(line).startsWith(name + ":");
        String value = line.substring(name.length() + 1);
        return value.startsWith(" ") ? value.substring(1) : value;
    }

    /** A block with the default addresses of the tour replaced by those of the platform under test. */
    private static String onThisPlatform(String block) {
        return block.replace("127.0.0.1:8080", Platform.QUERY_URL.substring("http://".length()))
                .replace("127.0.0.1:8081", Platform.INGEST_URL.substring("http://".length()))
                .replace("127.0.0.1:9092", Platform.KAFKA);
    }

    private static List<JsonNode> jsonValues(String text) throws Exception {
        List<JsonNode> values = new ArrayList<>();
        try (var parser = Platform.JSON.createParser(text)) {
            Platform.JSON.readValues(parser, JsonNode.class).forEachRemaining(values::add);
        }
        return values;
    }

    private static Map<String, String> headers(String formatted) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header : HEADER_SEPARATOR.split(formatted)) {
            int eq = header.indexOf('=');
            assertThat(eq).as("a header name=value: %s", header).isPositive();
            headers.put(header.substring(0, eq), header.substring(eq + 1));
        }
        return headers;
    }

    private static ConsumerRecord<String, String> recordAt(String topic, int partition, long offset) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Platform.KAFKA);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, partition);
            consumer.assign(List.of(tp));
            consumer.seek(tp, offset);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.offset() == offset) {
                        return record;
                    }
                }
            }
            throw new AssertionError("no record at " + topic + "-" + partition + "@" + offset);
        }
    }
}
