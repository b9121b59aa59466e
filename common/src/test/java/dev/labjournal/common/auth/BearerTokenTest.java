package dev.labjournal.common.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BearerTokenTest {

    @Test
    void theKeyOfABearerHeader() {
        assertThat(BearerToken.parse("Bearer lj_key_0123")).contains("lj_key_0123");
    }

    @Test
    void theKeyIsTrimmed() {
        assertThat(BearerToken.parse("Bearer   lj_key_0123  ")).contains("lj_key_0123");
        assertThat(BearerToken.parse("Bearer lj_key_0123\t\r\n")).contains("lj_key_0123");
    }

    @Test
    void noHeaderNoKey() {
        assertThat(BearerToken.parse(null)).isEmpty();
        assertThat(BearerToken.parse("")).isEmpty();
    }

    @Test
    void anotherSchemeIsNoKey() {
        assertThat(BearerToken.parse("Basic dXNlcjpwYXNz")).isEmpty();
        assertThat(BearerToken.parse("Token lj_key_0123")).isEmpty();
        assertThat(BearerToken.parse("lj_key_0123")).isEmpty();
    }

    @Test
    void theSchemeIsMatchedAsWrittenWithOneSpace() {
        assertThat(BearerToken.parse("bearer lj_key_0123")).isEmpty();
        assertThat(BearerToken.parse("BEARER lj_key_0123")).isEmpty();
        assertThat(BearerToken.parse("Bearer\tlj_key_0123")).isEmpty();
        assertThat(BearerToken.parse("Bearerlj_key_0123")).isEmpty();
        assertThat(BearerToken.parse(" Bearer lj_key_0123")).isEmpty();
    }

    @Test
    void aBearerWithoutKeyIsNoKey() {
        assertThat(BearerToken.parse("Bearer")).isEmpty();
        assertThat(BearerToken.parse("Bearer ")).isEmpty();
    }

    @Test
    void aBearerOfWhitespaceIsNoKey() {
        assertThat(BearerToken.parse("Bearer    ")).isEmpty();
        assertThat(BearerToken.parse("Bearer \t ")).isEmpty();
    }

    @Test
    void spacesInsideTheKeyAreKept() {
        // Not a valid key, but the filter must look it up as sent rather than guess.
        assertThat(BearerToken.parse("Bearer lj_key a")).contains("lj_key a");
    }
}
