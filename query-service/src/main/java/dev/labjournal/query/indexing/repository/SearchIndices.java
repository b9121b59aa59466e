package dev.labjournal.query.indexing.repository;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opensearch.client.opensearch.OpenSearchAsyncClient;
import org.opensearch.client.opensearch.generic.Body;
import org.opensearch.client.opensearch.generic.OpenSearchGenericClient;
import org.opensearch.client.opensearch.generic.Requests;

/**
 * Index and alias administration in OpenSearch: the few calls the typed client makes awkward (HEAD, alias lookups,
 * atomic alias moves, index creation from a JSON resource), each non-blocking.
 */
@ApplicationScoped
public class SearchIndices {

    static final ObjectMapper JSON = new ObjectMapper();

    private final OpenSearchGenericClient generic;

    public SearchIndices(OpenSearchAsyncClient client) {
        this.generic = new OpenSearchGenericClient(client._transport(), client._transportOptions());
    }

    /** A response, read and closed: status and body text. */
    public record Reply(int status, String body) {

        boolean ok() {
            return status >= 200 && status < 300;
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A failed administration call, with OpenSearch's answer. */
    public static class IndexAdminException extends RuntimeException {
        private final int status;

        IndexAdminException(String what, Reply reply) {
            super(what + ": HTTP " + reply.status() + " " + reply.body());
            this.status = reply.status();
        }

        public int status() {
            return status;
        }

        public boolean alreadyExists() {
            return getMessage().contains("resource_already_exists_exception");
        }
    }

    Uni<Reply> call(String method, String endpoint, JsonNode body) {
        try {
            return call(method, endpoint, body == null ? null : JSON.writeValueAsBytes(body), "application/json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Uni<Reply> call(String method, String endpoint, byte[] body, String contentType) {
        return Uni.createFrom()
                .completionStage(() -> {
                    var request = Requests.builder().method(method).endpoint(endpoint);
                    if (body != null) {
                        request.body(Body.from(body, contentType));
                    }
                    return generic.executeAsync(request.build());
                })
                .map(response -> {
                    try (response) {
                        return new Reply(
                                response.getStatus(),
                                response.getBody().map(Body::bodyAsString).orElse(""));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    /** The index an alias points to, if the alias exists (ours always point to exactly one). */
    public Uni<Optional<String>> aliasTarget(String alias) {
        return call("GET", "/_alias/" + alias, null).map(reply -> {
            if (reply.status() == 404) {
                return Optional.<String>empty();
            }
            if (!reply.ok()) {
                throw new IndexAdminException("cannot read alias " + alias, reply);
            }
            Iterator<String> names = reply.json().fieldNames();
            return names.hasNext() ? Optional.of(names.next()) : Optional.<String>empty();
        });
    }

    /** Whether an index (or alias) of this name exists. */
    public Uni<Boolean> exists(String name) {
        return call("HEAD", "/" + name, null).map(reply -> reply.status() == 200);
    }

    /** The names of the existing indices matching a wildcard pattern. */
    public Uni<List<String>> matching(String pattern) {
        return call("GET", "/_cat/indices/" + pattern + "?format=json&h=index&expand_wildcards=all", null)
                .map(reply -> {
                    List<String> names = new ArrayList<>();
                    if (reply.status() == 404) {
                        return names;
                    }
                    if (!reply.ok()) {
                        throw new IndexAdminException("cannot list indices " + pattern, reply);
                    }
                    reply.json().forEach(row -> names.add(row.get("index").asText()));
                    return names;
                });
    }

    /** Creates an index with this body (settings, mappings and perhaps aliases). */
    public Uni<Void> create(String index, JsonNode body) {
        return call("PUT", "/" + index, body).map(reply -> {
            if (!reply.ok()) {
                throw new IndexAdminException("cannot create index " + index, reply);
            }
            return null;
        });
    }

    /**
     * Moves the alias from {@code from} to {@code to} in one atomic {@code _aliases} request: a search through the
     * alias finds either index, never none. When {@code from} is a concrete index of the alias's own name (an
     * installation from before the alias), the same request deletes it ({@code remove_index}), since only that lets
     * the alias take the name; otherwise {@code from} is left for the caller to delete once the searches that resolved
     * the alias before the move are done.
     */
    public Uni<Void> moveAlias(String alias, String from, String to) {
        ObjectNode body = JSON.createObjectNode();
        var actions = body.putArray("actions");
        if (from.equals(alias)) {
            actions.addObject().putObject("remove_index").put("index", from);
        } else {
            actions.addObject().putObject("remove").put("index", from).put("alias", alias);
        }
        actions.addObject().putObject("add").put("index", to).put("alias", alias);
        return call("POST", "/_aliases", body).map(reply -> {
            if (!reply.ok()) {
                throw new IndexAdminException("cannot move alias " + alias + " from " + from + " to " + to, reply);
            }
            return null;
        });
    }

    /** Points the alias at this index (when no index had the alias). */
    public Uni<Void> addAlias(String alias, String index) {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("actions")
                .addObject()
                .putObject("add")
                .put("index", index)
                .put("alias", alias);
        return call("POST", "/_aliases", body).map(reply -> {
            if (!reply.ok()) {
                throw new IndexAdminException("cannot point alias " + alias + " at " + index, reply);
            }
            return null;
        });
    }

    public Uni<Void> delete(String index) {
        return call("DELETE", "/" + index, null).map(reply -> {
            if (!reply.ok() && reply.status() != 404) {
                throw new IndexAdminException("cannot delete index " + index, reply);
            }
            return null;
        });
    }

    /**
     * Adds fields to an index's mapping ({@code PUT _mapping}: additive, so fields it has keep their definition and
     * documents; a field defined differently is an error). {@code properties} is the mapping's {@code properties}
     * object; {@code _meta} is left as it is, so the index keeps its mapping version until a rebuild replaces it.
     */
    public Uni<Void> addFields(String index, JsonNode properties) {
        ObjectNode body = JSON.createObjectNode();
        body.set("properties", properties);
        return call("PUT", "/" + index + "/_mapping", body).map(reply -> {
            if (!reply.ok()) {
                throw new IndexAdminException("cannot add fields to the mapping of " + index, reply);
            }
            return null;
        });
    }

    /** Sets dynamic index settings ({@code PUT _settings}), e.g. {@code refresh_interval}. */
    public Uni<Void> updateSettings(String index, Map<String, String> settings) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode indexSettings = body.putObject("index");
        settings.forEach(indexSettings::put);
        return call("PUT", "/" + index + "/_settings", body).map(reply -> {
            if (!reply.ok()) {
                throw new IndexAdminException("cannot update the settings of " + index, reply);
            }
            return null;
        });
    }

    /** {@code _meta.mapping_version} of an index's mapping; 0 when it has none (an index from before versions). */
    public Uni<Integer> mappingVersion(String index) {
        return call("GET", "/" + index + "/_mapping", null).map(reply -> {
            if (!reply.ok()) {
                throw new IndexAdminException("cannot read the mapping of " + index, reply);
            }
            JsonNode version =
                    reply.json().path(index).path("mappings").path("_meta").path("mapping_version");
            return version.isInt() ? version.asInt() : 0;
        });
    }

    /** A JSON resource of this module, e.g. an index definition. */
    public static ObjectNode resource(String path) {
        try (InputStream in = SearchIndices.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
