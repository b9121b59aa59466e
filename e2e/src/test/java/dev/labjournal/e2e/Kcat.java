package dev.labjournal.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Publishes with kcat (librdkafka, C): the proof that a non-Java client needs nothing but the JSON contract. */
final class Kcat {

    private Kcat() {}

    /** Produces each line as one record keyed by its run id (key TAB value, as kcat -K reads it). */
    static void produce(String topic, List<KeyedLine> records) throws IOException, InterruptedException {
        Process kcat = new ProcessBuilder(
                        "kcat", "-b", Platform.KAFKA, "-t", topic, "-P", "-K", "\t", "-X", "partitioner=murmur2_random")
                .redirectErrorStream(true)
                .start();
        try (OutputStream in = kcat.getOutputStream()) {
            for (KeyedLine record : records) {
                in.write((record.key() + "\t" + record.line() + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        assertThat(kcat.waitFor(30, TimeUnit.SECONDS)).as("kcat finished").isTrue();
        String output = new String(kcat.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(kcat.exitValue()).as("kcat exit code; output: %s", output).isZero();
    }

    /** One record: a key and a value that holds no newline. */
    record KeyedLine(String key, String line) {}
}
