package dev.labjournal.common.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeySecretsTest {

    @Test
    void theHashIsLowerCaseHexSha256OfTheSecret() {
        // FIPS 180-2 test vectors.
        assertThat(ApiKeySecrets.hash("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(ApiKeySecrets.hash(""))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        // Computed with: printf 'lj_key_0123456789abcdef0123456789abcdef01234567' | sha256sum
        assertThat(ApiKeySecrets.hash("lj_key_0123456789abcdef0123456789abcdef01234567"))
                .isEqualTo("3728ef5d217df431dc517bfe0342aca5dea55c515e9030b6891c1490c81b2515");
    }

    @Test
    void theHashReadsTheSecretAsUtf8() {
        // printf 'clé' | sha256sum (UTF-8 terminal)
        assertThat(ApiKeySecrets.hash("clé"))
                .isEqualTo("51cbcf30514d0802eb5c60a018f384ea3fb9b69307c554ee63ecb43177594de4");
    }

    @Test
    void theHashDependsOnEveryCharacter() {
        assertThat(ApiKeySecrets.hash("lj_key_a")).isNotEqualTo(ApiKeySecrets.hash("lj_key_b"));
        assertThat(ApiKeySecrets.hash("lj_key_a")).isNotEqualTo(ApiKeySecrets.hash("lj_key_a "));
    }

    @Test
    void thePrefixIsTheFirstTwelveCharacters() {
        assertThat(ApiKeySecrets.prefix("lj_key_0123456789abcdef")).isEqualTo("lj_key_01234");
        assertThat(ApiKeySecrets.prefix("lj_admin_c6b738b375")).isEqualTo("lj_admin_c6b");
    }

    @Test
    void aSecretShorterThanThePrefixIsItsOwnPrefix() {
        assertThat(ApiKeySecrets.prefix("short")).isEqualTo("short");
        assertThat(ApiKeySecrets.prefix("")).isEmpty();
        assertThat(ApiKeySecrets.prefix("exactly12chr")).isEqualTo("exactly12chr");
    }

    @Test
    void aNewSecretIsTheKindAndFortyHexDigitsOfRandomness() {
        assertThat(ApiKeySecrets.newSecret("key")).matches("lj_key_[0-9a-f]{40}");
        assertThat(ApiKeySecrets.newSecret("admin")).matches("lj_admin_[0-9a-f]{40}");
    }

    @Test
    void newSecretsDoNotRepeat() {
        Set<String> secrets = new HashSet<>();
        Set<String> prefixes = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String secret = ApiKeySecrets.newSecret("key");
            secrets.add(secret);
            prefixes.add(ApiKeySecrets.prefix(secret));
        }
        assertThat(secrets).hasSize(10_000);
        // 5 random hex digits in a prefix: 10,000 keys share some, but far from all.
        assertThat(prefixes).hasSizeGreaterThan(9_000);
    }
}
