package dev.labjournal.query.failures.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labjournal.query.failures.signature.FailureSignature;
import dev.labjournal.query.tenancy.TenantScope;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimilarFailureSearchTest {

    private static final String TRACE = """
            Traceback (most recent call last):
              File "/home/ada/vision/train.py", line 88, in main
                trainer.fit(model)
              File "/opt/conda/lib/python3.10/site-packages/torch/nn/modules/conv.py", line 456, in _conv_forward
                return F.conv2d(input)
            torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB.
            """;

    private static JsonNode query() throws Exception {
        FailureSignature signature = FailureSignature.of(
                "torch.cuda.OutOfMemoryError", "CUDA out of memory. Tried to allocate 2.00 GiB.", TRACE);
        return new ObjectMapper()
                .readTree(SimilarFailureSearch.query(new TenantScope("acme"), "run-1", signature)
                        .toJsonString());
    }

    @Test
    void theQueryIsConfinedToTheTenantsFailedRunsOtherThanThisOne() throws Exception {
        JsonNode bool = query().get("bool");
        assertThat(bool.get("filter").toString())
                .contains("{\"term\":{\"tenant\":{\"value\":\"acme\"}}}")
                .contains("{\"term\":{\"status\":{\"value\":\"failed\"}}}");
        assertThat(bool.get("must_not").toString()).contains("{\"term\":{\"run_id\":{\"value\":\"run-1\"}}}");
        assertThat(bool.get("minimum_should_match").asText()).isEqualTo("1");
    }

    @Test
    void theGroupOutweighsEverythingAndProjectFramesOutweighLibraryFrames() throws Exception {
        List<String> clauses = new ArrayList<>();
        query().get("bool").get("should").forEach(clause -> clauses.add(clause.toString()));
        assertThat(clauses.get(0))
                .contains("constant_score")
                .contains("failure_group")
                .contains("100.0");
        assertThat(clauses)
                .anySatisfy(c ->
                        assertThat(c).contains("failure_message_normalised").contains("<size>"))
                .anySatisfy(
                        c -> assertThat(c).contains("failure_exception_types").contains("OutOfMemoryError"))
                .anySatisfy(c -> assertThat(c).contains("vision/train.py:main").contains("1.5"))
                .anySatisfy(c -> assertThat(c)
                        .contains("torch/nn/modules/conv.py:_conv_forward")
                        .contains("1.0"));
    }
}
