package dev.labjournal.common.runs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.labjournal.common.Sha256;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The identity of what a run computes: sha256 over the canonical JSON of {project, source commit, dataset digests,
 * params}. Two runs with the same fingerprint repeat each other.
 */
public final class Fingerprint {

    private static final ObjectMapper CANONICAL =
            new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private Fingerprint() {}

    public static String of(String project, String commit, List<String> datasetDigests, Map<String, String> params) {
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("commit", commit);
        identity.put("datasets", datasetDigests.stream().sorted().toList());
        identity.put("params", new TreeMap<>(params));
        identity.put("project", project);
        try {
            return Sha256.hex(CANONICAL.writeValueAsString(new TreeMap<>(identity)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("strings and lists always serialise", e);
        }
    }
}
