package dev.labjournal.query.runs.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.labjournal.common.rest.ApiException;
import org.junit.jupiter.api.Test;

class RunIdsParamTest {

    @Test
    void distinctIdsInTheirFirstOrderWithBlanksAndEmptyItemsIgnored() {
        assertThat(RunIdsParam.parse(" b,a, ,b,c,", 3)).containsExactly("b", "a", "c");
    }

    @Test
    void anIdTheEnvelopeWouldRefuseIsNamedInThe400() {
        assertThatThrownBy(() -> RunIdsParam.parse("good,bad id", 10))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo("invalid_run_ids"))
                .hasMessageContaining("'bad id' is not a run id");
        assertThatThrownBy(() -> RunIdsParam.parse("a" + "b".repeat(128), 10))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("is not a run id");
    }

    @Test
    void noIdsOrTooManyAreRefused() {
        assertThatThrownBy(() -> RunIdsParam.parse(null, 3)).hasMessageContaining("at least one run");
        assertThatThrownBy(() -> RunIdsParam.parse(",,", 3)).hasMessageContaining("at least one run");
        assertThatThrownBy(() -> RunIdsParam.parse("a,b,c,d", 3)).hasMessageContaining("names 4 distinct runs");
        assertThat(RunIdsParam.parse("a,b,c,a", 3)).hasSize(3);
    }
}
