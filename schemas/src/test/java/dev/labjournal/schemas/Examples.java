package dev.labjournal.schemas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Reads the example events shipped under {@code labjournal/examples/}. */
final class Examples {
    static final String VALID = "labjournal/examples/valid";
    static final String INVALID = "labjournal/examples/invalid";
    static final String EXPECTATIONS = "expectations.json";

    private Examples() {}

    /** @return the JSON files of an example directory, sorted, without the expectations sidecar */
    static List<Path> files(String directory) {
        try (Stream<Path> files = Files.list(resource(directory))) {
            return files.filter(file -> file.getFileName().toString().endsWith(".json"))
                    .filter(file -> !file.getFileName().toString().equals(EXPECTATIONS))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path resource(String name) {
        URL url = Examples.class.getClassLoader().getResource(name);
        if (url == null) {
            throw new IllegalStateException("missing resource " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return a valid heartbeat event whose JSON text is exactly {@code size} bytes (padded with trailing spaces) */
    static byte[] heartbeatOfSize(int size) {
        String event = new String(bytes(resource(VALID + "/run.heartbeat.json")), StandardCharsets.UTF_8);
        return (event + " ".repeat(size - event.length())).getBytes(StandardCharsets.UTF_8);
    }

    /** @return a metrics event with {@code points} points, {@code value} written verbatim as each point's value */
    static byte[] metricsEvent(int points, String value) {
        StringBuilder json = new StringBuilder(points * 60 + 400)
                .append("{\"specversion\":\"1.0\",\"id\":\"0194b1f2-3c4d-7e5f-8a6b-1c2d3e4f5c01\",")
                .append("\"source\":\"/tenants/acme/projects/llm-finetune\",\"type\":\"")
                .append(EventTypes.RUN_METRICS)
                .append("\",\"subject\":\"llama3-8b-lora-r16-0001\",\"time\":\"2025-02-03T08:41:10Z\",")
                .append("\"tenant\":\"acme\",\"data\":{\"metrics\":[");
        for (int step = 0; step < points; step++) {
            if (step > 0) {
                json.append(',');
            }
            json.append("{\"key\":\"train/loss\",\"value\":")
                    .append(value)
                    .append(",\"step\":")
                    .append(step)
                    .append('}');
        }
        return json.append("]}}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
