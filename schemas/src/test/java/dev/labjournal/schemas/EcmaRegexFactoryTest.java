package dev.labjournal.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.regex.RegularExpression;
import org.junit.jupiter.api.Test;

class EcmaRegexFactoryTest {
    @Test
    void rewritesOnlyUnescapedDollarsOutsideCharacterClasses() {
        assertThat(EcmaRegexFactory.anchorEndOfInput("^[a-z$]+\\$x$")).isEqualTo("^[a-z$]+\\$x\\z");
    }

    @Test
    void dollarDoesNotMatchBeforeATrailingLineTerminator() {
        RegularExpression tenant = EcmaRegexFactory.INSTANCE.getRegularExpression("^[a-z0-9][a-z0-9-]{0,62}$");

        assertThat(tenant.matches("acme")).isTrue();
        assertThat(tenant.matches("acme\n")).isFalse();
        assertThat(tenant.matches("acme\u2028")).isFalse();
    }

    @Test
    void findsUnanchoredPatternsAnywhereLikeEcmaScript() {
        assertThat(EcmaRegexFactory.INSTANCE.getRegularExpression("b+").matches("abba"))
                .isTrue();
    }
}
