package dev.labjournal.common.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScopeTest {

    @Test
    void wireNamesAreTheLowerCaseNames() {
        assertThat(Scope.INGEST.wireName()).isEqualTo("ingest");
        assertThat(Scope.READ.wireName()).isEqualTo("read");
        assertThat(Scope.ADMIN.wireName()).isEqualTo("admin");
        assertThat(Scope.ALERTS.wireName()).isEqualTo("alerts");
    }

    @Test
    void fromWireNameReadsEachWireName() {
        assertThat(Scope.fromWireName("ingest")).isEqualTo(Scope.INGEST);
        assertThat(Scope.fromWireName("read")).isEqualTo(Scope.READ);
        assertThat(Scope.fromWireName("admin")).isEqualTo(Scope.ADMIN);
        assertThat(Scope.fromWireName("alerts")).isEqualTo(Scope.ALERTS);
    }

    @Test
    void wireNamesAreCaseSensitive() {
        assertThatThrownBy(() -> Scope.fromWireName("READ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Scope.fromWireName("Admin")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anUnknownScopeIsRefusedWithItsNameAndTheKnownOnes() {
        assertThatThrownBy(() -> Scope.fromWireName("write"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown scope 'write'; known scopes: ingest, read, admin, alerts");
    }

    @Test
    void parseAllReadsACommaSeparatedList() {
        assertThat(Scope.parseAll("admin,alerts,ingest,read")).containsExactlyInAnyOrder(Scope.values());
        assertThat(Scope.parseAll("read")).containsExactly(Scope.READ);
        assertThat(Scope.parseAll("ingest,read")).containsExactlyInAnyOrder(Scope.INGEST, Scope.READ);
    }

    @Test
    void parseAllTrimsNamesAndSkipsEmptyOnes() {
        assertThat(Scope.parseAll(" ingest , read ")).containsExactlyInAnyOrder(Scope.INGEST, Scope.READ);
        assertThat(Scope.parseAll("read,,read,")).containsExactly(Scope.READ);
        assertThat(Scope.parseAll("")).isEmpty();
        assertThat(Scope.parseAll(" , ")).isEmpty();
    }

    @Test
    void parseAllRefusesAListWithAnUnknownScope() {
        assertThatThrownBy(() -> Scope.parseAll("read,delete"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'delete'");
    }

    @Test
    void joinAllIsSortedAndParsesBackToTheSameSet() {
        Set<Scope> all = EnumSet.allOf(Scope.class);
        assertThat(Scope.joinAll(all)).isEqualTo("admin,alerts,ingest,read");
        assertThat(Scope.joinAll(EnumSet.of(Scope.READ, Scope.INGEST))).isEqualTo("ingest,read");
        assertThat(Scope.joinAll(EnumSet.noneOf(Scope.class))).isEmpty();
        assertThat(Scope.parseAll(Scope.joinAll(all))).isEqualTo(all);
    }
}
