package dev.labjournal.common.auth;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** What an API key may do. */
public enum Scope {
    /** Publish run events. */
    INGEST,
    /** Search and read runs. */
    READ,
    /** Manage tenants and keys (and everything a tenant's key may do). */
    ADMIN,
    /** Create and delete alert rules. */
    ALERTS;

    /** The wire names of every scope, for error messages. */
    public static final String KNOWN = "ingest, read, admin, alerts";

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses "ingest,read"; unknown names raise {@link IllegalArgumentException}. */
    public static Set<Scope> parseAll(String commaSeparated) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String name : commaSeparated.split(",")) {
            if (!name.isBlank()) {
                scopes.add(fromWireName(name.trim()));
            }
        }
        return scopes;
    }

    public static Scope fromWireName(String name) {
        return Arrays.stream(values())
                .filter(s -> s.wireName().equals(name))
                .findFirst()
                .orElseThrow(
                        () -> new IllegalArgumentException("unknown scope '" + name + "'; known scopes: " + KNOWN));
    }

    public static String joinAll(Set<Scope> scopes) {
        return scopes.stream().map(Scope::wireName).sorted().collect(Collectors.joining(","));
    }
}
