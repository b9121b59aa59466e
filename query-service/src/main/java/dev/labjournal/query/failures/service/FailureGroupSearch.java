package dev.labjournal.query.failures.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.labjournal.query.failures.FailureGroup;
import dev.labjournal.query.failures.FailuresConfig;
import dev.labjournal.query.opensearch.SearchConfig;
import dev.labjournal.query.tenancy.TenantScope;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.opensearch.client.json.JsonData;
import org.opensearch.client.opensearch.OpenSearchAsyncClient;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.SortOrder;
import org.opensearch.client.opensearch._types.aggregations.Aggregation;
import org.opensearch.client.opensearch._types.aggregations.StringTermsBucket;
import org.opensearch.client.opensearch._types.query_dsl.Query;
import org.opensearch.client.opensearch.core.SearchRequest;
import org.opensearch.client.opensearch.core.SearchResponse;
import org.opensearch.client.opensearch.core.search.Hit;

/**
 * Failure groups of a tenant, counted by one aggregation over its failed runs of a window of days: a terms
 * aggregation on {@code failure_group} (most runs first), and per group its teams, its first and last end time and
 * its most recent runs. Every query carries the tenant filter of the scope.
 */
@ApplicationScoped
public class FailureGroupSearch {

    private static final String GROUPS = "groups";
    private static final String TEAMS = "teams";
    private static final String FIRST = "first";
    private static final String LAST = "last";
    private static final String RECENT = "recent";

    private final OpenSearchAsyncClient client;
    private final SearchConfig search;
    private final FailuresConfig config;

    public FailureGroupSearch(OpenSearchAsyncClient client, SearchConfig search, FailuresConfig config) {
        this.client = client;
        this.search = search;
        this.config = config;
    }

    /** The tenant's failure groups of the last {@code days} days, most runs first. */
    public Uni<List<FailureGroup>> list(TenantScope scope, int days, int limit) {
        return groups(scope, days, null, limit, 1);
    }

    /** One failure group of the tenant over the last {@code days} days; null when it has no run there. */
    public Uni<FailureGroup> find(TenantScope scope, String group, int days) {
        return groups(scope, days, group, 1, config.runsPerGroup()).map(found -> found.isEmpty() ? null : found.get(0));
    }

    private Uni<List<FailureGroup>> groups(TenantScope scope, int days, String group, int limit, int runs) {
        List<Query> filters = new ArrayList<>(List.of(
                scope.searchFilter(),
                term("status", "failed"),
                Query.of(q -> q.exists(e -> e.field("failure_group"))),
                Query.of(q -> q.range(r -> r.field("end_time").gte(JsonData.of("now-" + days + "d"))))));
        if (group != null) {
            filters.add(term("failure_group", group));
        }
        SearchRequest request = SearchRequest.of(s -> s.index(search.index())
                .size(0)
                .query(q -> q.bool(b -> b.filter(filters)))
                .aggregations(GROUPS, groupsAggregation(limit, runs)));
        return Uni.createFrom()
                .completionStage(() -> {
                    try {
                        return client.search(request, ObjectNode.class);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .map(FailureGroupSearch::toGroups);
    }

    private Aggregation groupsAggregation(int limit, int runs) {
        return Aggregation.of(a -> a.terms(t -> t.field("failure_group").size(limit))
                .aggregations(TEAMS, team -> team.terms(t -> t.field("team").size(config.teamsPerGroup())))
                .aggregations(FIRST, first -> first.min(m -> m.field("end_time")))
                .aggregations(LAST, last -> last.max(m -> m.field("end_time")))
                .aggregations(
                        RECENT,
                        recent -> recent.topHits(h -> h.size(runs)
                                .sort(o -> o.field(f -> f.field("end_time").order(SortOrder.Desc)))
                                .sort(o -> o.field(f -> f.field("run_id").order(SortOrder.Asc)))
                                .source(src -> src.filter(f ->
                                        f.includes("run_id", "failure_exception", "failure_message_normalised"))))));
    }

    private static List<FailureGroup> toGroups(SearchResponse<ObjectNode> response) {
        return response.aggregations().get(GROUPS).sterms().buckets().array().stream()
                .map(FailureGroupSearch::toGroup)
                .toList();
    }

    private static FailureGroup toGroup(StringTermsBucket bucket) {
        List<FailureGroup.TeamCount> teams = bucket.aggregations().get(TEAMS).sterms().buckets().array().stream()
                .map(team -> new FailureGroup.TeamCount(team.key(), team.docCount()))
                .toList();
        List<JsonNode> recent = bucket.aggregations().get(RECENT).topHits().hits().hits().stream()
                .map(Hit::source)
                .filter(source -> source != null)
                .map(source -> source.to(JsonNode.class))
                .toList();
        JsonNode latest = recent.isEmpty() ? null : recent.get(0);
        return new FailureGroup(
                bucket.key(),
                text(latest, "failure_exception"),
                text(latest, "failure_message_normalised"),
                bucket.docCount(),
                teams,
                bucket.aggregations().get(FIRST).min().valueAsString(),
                bucket.aggregations().get(LAST).max().valueAsString(),
                text(latest, "run_id"),
                recent.stream().map(r -> text(r, "run_id")).toList());
    }

    private static String text(JsonNode doc, String field) {
        JsonNode value = doc == null ? null : doc.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Query term(String field, String value) {
        return Query.of(q -> q.term(t -> t.field(field).value(FieldValue.of(value))));
    }
}
