package dev.labjournal.common.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FingerprintTest {

    @Test
    void theOrderOfParamsAndDatasetsDoesNotMatter() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("lr", "0.1");
        params.put("batch_size", "512");
        Map<String, String> reversed = new LinkedHashMap<>();
        reversed.put("batch_size", "512");
        reversed.put("lr", "0.1");

        assertThat(Fingerprint.of("imagenet", "abc123", List.of("sha256:a", "sha256:b"), params))
                .isEqualTo(Fingerprint.of("imagenet", "abc123", List.of("sha256:b", "sha256:a"), reversed))
                .hasSize(64);
    }

    @Test
    void anyDifferenceInWhatRunsChangesTheFingerprint() {
        String base = Fingerprint.of("imagenet", "abc123", List.of("sha256:a"), Map.of("lr", "0.1"));

        assertThat(Fingerprint.of("imagenet", "abc123", List.of("sha256:a"), Map.of("lr", "0.2")))
                .isNotEqualTo(base);
        assertThat(Fingerprint.of("imagenet", "abc124", List.of("sha256:a"), Map.of("lr", "0.1")))
                .isNotEqualTo(base);
        assertThat(Fingerprint.of("imagenet", "abc123", List.of("sha256:c"), Map.of("lr", "0.1")))
                .isNotEqualTo(base);
        assertThat(Fingerprint.of("cifar", "abc123", List.of("sha256:a"), Map.of("lr", "0.1")))
                .isNotEqualTo(base);
        assertThat(Fingerprint.of("imagenet", null, List.of("sha256:a"), Map.of("lr", "0.1")))
                .isNotEqualTo(base);
    }
}
