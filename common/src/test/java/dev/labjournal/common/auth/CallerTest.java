package dev.labjournal.common.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.labjournal.common.rest.ApiException;
import jakarta.ws.rs.core.Response.Status;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CallerTest {

    private static Caller caller(String tenant, Set<Scope> scopes) {
        return new Caller(UUID.randomUUID(), tenant, null, scopes);
    }

    @Test
    void requirePassesForAScopeTheKeyHas() {
        Caller reader = caller("acme", EnumSet.of(Scope.READ, Scope.INGEST));
        assertThatCode(() -> reader.require(Scope.READ)).doesNotThrowAnyException();
        assertThatCode(() -> reader.require(Scope.INGEST)).doesNotThrowAnyException();
    }

    @Test
    void requireIsForbiddenForAScopeTheKeyLacks() {
        Caller reader = caller("acme", EnumSet.of(Scope.READ));
        ApiException refused = catchThrowableOfType(ApiException.class, () -> reader.require(Scope.INGEST));
        assertThat(refused.status()).isEqualTo(Status.FORBIDDEN);
        assertThat(refused.code()).isEqualTo("forbidden");
        assertThat(refused).hasMessage("this API key lacks the 'ingest' scope");
    }

    @Test
    void requireAnyOfPassesForEitherScopeAndNamesBothWhenRefused() {
        assertThatCode(() -> caller("acme", EnumSet.of(Scope.ALERTS)).requireAnyOf(Scope.ALERTS, Scope.ADMIN))
                .doesNotThrowAnyException();
        assertThatCode(() -> caller("acme", EnumSet.of(Scope.ADMIN)).requireAnyOf(Scope.ALERTS, Scope.ADMIN))
                .doesNotThrowAnyException();
        ApiException refused = catchThrowableOfType(
                ApiException.class,
                () -> caller("acme", EnumSet.of(Scope.READ)).requireAnyOf(Scope.ALERTS, Scope.ADMIN));
        assertThat(refused.status()).isEqualTo(Status.FORBIDDEN);
        assertThat(refused).hasMessage("this API key lacks the 'alerts' or 'admin' scope");
    }

    @Test
    void aKeyWithoutScopesHasNone() {
        Caller none = caller("acme", EnumSet.noneOf(Scope.class));
        for (Scope scope : Scope.values()) {
            assertThat(catchThrowableOfType(ApiException.class, () -> none.require(scope))
                            .status())
                    .isEqualTo(Status.FORBIDDEN);
        }
    }

    @Test
    void requireTenantIsTheKeysTenant() {
        assertThat(caller("acme", EnumSet.of(Scope.READ)).requireTenant()).isEqualTo("acme");
        assertThat(caller("acme", EnumSet.of(Scope.ADMIN)).requireTenant()).isEqualTo("acme");
    }

    @Test
    void requireTenantIsForbiddenForAKeyWithoutTenant() {
        Caller platformAdmin = caller(null, EnumSet.allOf(Scope.class));
        ApiException refused = catchThrowableOfType(ApiException.class, platformAdmin::requireTenant);
        assertThat(refused.status()).isEqualTo(Status.FORBIDDEN);
        assertThat(refused.code()).isEqualTo("forbidden");
    }

    @Test
    void aPlatformAdminIsAnAdminKeyWithoutTenant() {
        assertThat(caller(null, EnumSet.of(Scope.ADMIN)).isPlatformAdmin()).isTrue();
        assertThat(caller(null, EnumSet.allOf(Scope.class)).isPlatformAdmin()).isTrue();
    }

    @Test
    void aTenantsAdminKeyIsNotAPlatformAdmin() {
        assertThat(caller("acme", EnumSet.of(Scope.ADMIN)).isPlatformAdmin()).isFalse();
    }

    @Test
    void aKeyWithoutTenantOrAdminScopeIsNotAPlatformAdmin() {
        assertThat(caller(null, EnumSet.of(Scope.READ, Scope.INGEST)).isPlatformAdmin())
                .isFalse();
        assertThat(caller(null, EnumSet.noneOf(Scope.class)).isPlatformAdmin()).isFalse();
    }
}
