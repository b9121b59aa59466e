package dev.labjournal.query.search.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.labjournal.query.search.filter.Filter.And;
import dev.labjournal.query.search.filter.Filter.Comparison;
import dev.labjournal.query.search.filter.Filter.Field;
import dev.labjournal.query.search.filter.Filter.Kind;
import dev.labjournal.query.search.filter.Filter.ListValue;
import dev.labjournal.query.search.filter.Filter.NoValue;
import dev.labjournal.query.search.filter.Filter.NumberValue;
import dev.labjournal.query.search.filter.Filter.Op;
import dev.labjournal.query.search.filter.Filter.Or;
import dev.labjournal.query.search.filter.Filter.TextValue;
import dev.labjournal.query.search.filter.Filter.Value;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FilterParserTest {

    private static Comparison cmp(Kind kind, String key, Op op, Value value) {
        return new Comparison(new Field(kind, key), op, value);
    }

    private static Comparison text(Kind kind, String key, Op op, String value) {
        return cmp(kind, key, op, new TextValue(value));
    }

    private static Comparison metric(String key, Op op, double value) {
        return cmp(Kind.METRIC, key, op, new NumberValue(value));
    }

    private static FilterException error(String filter) {
        try {
            Filter parsed = FilterParser.parse(filter);
            throw new AssertionError("expected a FilterException for " + filter + " but got " + parsed);
        } catch (FilterException e) {
            return e;
        }
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "metrics.loss < 1|METRIC|loss",
                "metric.loss < 1|METRIC|loss",
                "METRICS.loss < 1|METRIC|loss",
                "`metrics`.loss < 1|METRIC|loss",
                "params.lr = 'x'|PARAM|lr",
                "param.lr = 'x'|PARAM|lr",
                "parameters.lr = 'x'|PARAM|lr",
                "tags.env = 'x'|TAG|env",
                "tag.env = 'x'|TAG|env",
                "`tags`.env = 'x'|TAG|env",
                "attributes.team = 'x'|ATTRIBUTE|team",
                "attribute.team = 'x'|ATTRIBUTE|team",
                "attr.team = 'x'|ATTRIBUTE|team",
                "run.team = 'x'|ATTRIBUTE|team",
                "datasets.name = 'x'|DATASET|name",
                "dataset.digest = 'x'|DATASET|digest",
            })
    void everyPrefixAndAlias(String filter, Kind kind, String key) {
        Comparison parsed = (Comparison) FilterParser.parse(filter);
        assertThat(parsed.field()).isEqualTo(new Field(kind, key));
    }

    @Test
    void quotedKeys() {
        assertThat(FilterParser.parse("metrics.`legit name` > 0.5")).isEqualTo(metric("legit name", Op.GT, 0.5));
        assertThat(FilterParser.parse("params.\"p.a.r.a.m\" = 'v'"))
                .isEqualTo(text(Kind.PARAM, "p.a.r.a.m", Op.EQ, "v"));
        assertThat(FilterParser.parse("tags.`mlflow.user name` = 'v'"))
                .isEqualTo(text(Kind.TAG, "mlflow.user name", Op.EQ, "v"));
        assertThat(FilterParser.parse("tags.`a``b` = 'v'")).isEqualTo(text(Kind.TAG, "a`b", Op.EQ, "v"));
        assertThat(FilterParser.parse("metrics.val-loss/x:1 <= 2")).isEqualTo(metric("val-loss/x:1", Op.LE, 2));
    }

    @Test
    void bareKeyWithDotIsRefused() {
        FilterException e = error("params.p.a = 'x'");
        assertThat(e.column()).isEqualTo(8);
        assertThat(e.getMessage()).contains("quoted");
    }

    @Test
    void stringLiteralsBothQuotesWithDoubledQuoteChar() {
        assertThat(FilterParser.parse("params.a = 'it''s'")).isEqualTo(text(Kind.PARAM, "a", Op.EQ, "it's"));
        assertThat(FilterParser.parse("params.a = \"say \"\"hi\"\"\""))
                .isEqualTo(text(Kind.PARAM, "a", Op.EQ, "say \"hi\""));
        assertThat(FilterParser.parse("params.a = \"it's\"")).isEqualTo(text(Kind.PARAM, "a", Op.EQ, "it's"));
        // a backslash is an ordinary character
        assertThat(FilterParser.parse("params.a = 'c:\\dir'")).isEqualTo(text(Kind.PARAM, "a", Op.EQ, "c:\\dir"));
    }

    @Test
    void metricComparators() {
        assertThat(FilterParser.parse("metrics.a = 1")).isEqualTo(metric("a", Op.EQ, 1));
        assertThat(FilterParser.parse("metrics.a != 1")).isEqualTo(metric("a", Op.NE, 1));
        assertThat(FilterParser.parse("metrics.a > 1")).isEqualTo(metric("a", Op.GT, 1));
        assertThat(FilterParser.parse("metrics.a >= 1")).isEqualTo(metric("a", Op.GE, 1));
        assertThat(FilterParser.parse("metrics.a < 1")).isEqualTo(metric("a", Op.LT, 1));
        assertThat(FilterParser.parse("metrics.a <= 1")).isEqualTo(metric("a", Op.LE, 1));
        assertThat(FilterParser.parse("metrics.a<=-1.5e3")).isEqualTo(metric("a", Op.LE, -1500));
        assertThat(FilterParser.parse("metrics.a > 0.25")).isEqualTo(metric("a", Op.GT, 0.25));
        assertThat(FilterParser.parse("metrics.a > .5")).isEqualTo(metric("a", Op.GT, 0.5));
        assertThat(FilterParser.parse("metrics.a > 2E-2")).isEqualTo(metric("a", Op.GT, 0.02));
    }

    @Test
    void paramAndTagComparators() {
        assertThat(FilterParser.parse("params.a = 'x'")).isEqualTo(text(Kind.PARAM, "a", Op.EQ, "x"));
        assertThat(FilterParser.parse("params.a != 'x'")).isEqualTo(text(Kind.PARAM, "a", Op.NE, "x"));
        assertThat(FilterParser.parse("params.a LIKE 'x%'")).isEqualTo(text(Kind.PARAM, "a", Op.LIKE, "x%"));
        assertThat(FilterParser.parse("tags.a ILIKE '%X'")).isEqualTo(text(Kind.TAG, "a", Op.ILIKE, "%X"));
        assertThat(FilterParser.parse("tags.a IS NULL")).isEqualTo(cmp(Kind.TAG, "a", Op.IS_NULL, new NoValue()));
        assertThat(FilterParser.parse("params.a is not null"))
                .isEqualTo(cmp(Kind.PARAM, "a", Op.IS_NOT_NULL, new NoValue()));
    }

    @Test
    void stringAttributesAndDatasets() {
        assertThat(FilterParser.parse("attributes.run_name = 'r'"))
                .isEqualTo(text(Kind.ATTRIBUTE, "run_name", Op.EQ, "r"));
        assertThat(FilterParser.parse("attributes.name LIKE 'r%'"))
                .isEqualTo(text(Kind.ATTRIBUTE, "run_name", Op.LIKE, "r%"));
        assertThat(FilterParser.parse("attributes.user != 'u'")).isEqualTo(text(Kind.ATTRIBUTE, "user_id", Op.NE, "u"));
        assertThat(FilterParser.parse("attributes.user_id ILIKE 'U'"))
                .isEqualTo(text(Kind.ATTRIBUTE, "user_id", Op.ILIKE, "U"));
        for (String key : List.of("run_id", "team", "project", "failure_type")) {
            assertThat(FilterParser.parse("attributes." + key + " = 'v'"))
                    .isEqualTo(text(Kind.ATTRIBUTE, key, Op.EQ, "v"));
        }
        assertThat(FilterParser.parse("attributes.run_id IN ('a', \"b\",'c')"))
                .isEqualTo(cmp(Kind.ATTRIBUTE, "run_id", Op.IN, new ListValue(List.of("a", "b", "c"))));
        assertThat(FilterParser.parse("attributes.project not in ('p')"))
                .isEqualTo(cmp(Kind.ATTRIBUTE, "project", Op.NOT_IN, new ListValue(List.of("p"))));
        assertThat(FilterParser.parse("datasets.digest IN ('d1','d2')"))
                .isEqualTo(cmp(Kind.DATASET, "digest", Op.IN, new ListValue(List.of("d1", "d2"))));
        assertThat(FilterParser.parse("datasets.name LIKE 'mnist%'"))
                .isEqualTo(text(Kind.DATASET, "name", Op.LIKE, "mnist%"));
    }

    @Test
    void statusMapping() {
        assertThat(FilterParser.parse("attributes.status = 'FINISHED'"))
                .isEqualTo(text(Kind.ATTRIBUTE, "status", Op.EQ, "succeeded"));
        assertThat(FilterParser.parse("attributes.status = 'Failed'"))
                .isEqualTo(text(Kind.ATTRIBUTE, "status", Op.EQ, "failed"));
        assertThat(FilterParser.parse("attributes.status != 'KILLED'"))
                .isEqualTo(text(Kind.ATTRIBUTE, "status", Op.NE, "killed"));
        assertThat(FilterParser.parse("attributes.status = 'running'"))
                .isEqualTo(text(Kind.ATTRIBUTE, "status", Op.EQ, "running"));
        assertThat(FilterParser.parse("attributes.status IN ('succeeded', 'LOST', 'finished')"))
                .isEqualTo(
                        cmp(Kind.ATTRIBUTE, "status", Op.IN, new ListValue(List.of("succeeded", "lost", "succeeded"))));
        assertThat(FilterParser.parse("attributes.status LIKE 'FAIL%'"))
                .isEqualTo(text(Kind.ATTRIBUTE, "status", Op.LIKE, "fail%"));
        FilterException e = error("attributes.status = 'SCHEDULED'");
        assertThat(e.column()).isEqualTo(21);
        assertThat(e.getMessage()).contains("FINISHED").contains("RUNNING");
        assertThat(error("attributes.status IN ('running', 'nope')").column()).isEqualTo(34);
    }

    @Test
    void timeAsNumberAndIsoString() {
        assertThat(FilterParser.parse("attributes.start_time >= 1714564800000"))
                .isEqualTo(cmp(Kind.ATTRIBUTE, "start_time", Op.GE, new NumberValue(1714564800000.0)));
        // 1714564800 from `date -u -d 2024-05-01T12:00:00Z +%s`
        assertThat(FilterParser.parse("attributes.end_time < '2024-05-01T12:00:00Z'"))
                .isEqualTo(cmp(Kind.ATTRIBUTE, "end_time", Op.LT, new NumberValue(1714564800000.0)));
        assertThat(FilterParser.parse("run.start_time > \"2024-05-01T14:00:00.250+02:00\""))
                .isEqualTo(cmp(Kind.ATTRIBUTE, "start_time", Op.GT, new NumberValue(1714564800250.0)));
        FilterException e = error("attributes.start_time > '2024-13-01T00:00:00Z'");
        assertThat(e.column()).isEqualTo(25);
        assertThat(e.getMessage()).contains("date-time");
        assertThat(error("attributes.start_time > '2024-05-01'").column()).isEqualTo(25);
        assertThat(error("attributes.start_time LIKE '2024%'").getMessage()).contains("not allowed");
    }

    @Test
    void precedenceAndParentheses() {
        Comparison a = metric("a", Op.EQ, 1);
        Comparison b = metric("b", Op.EQ, 2);
        Comparison c = metric("c", Op.EQ, 3);
        assertThat(FilterParser.parse("metrics.a = 1 AND metrics.b = 2 OR metrics.c = 3"))
                .isEqualTo(new Or(List.of(new And(List.of(a, b)), c)));
        assertThat(FilterParser.parse("metrics.a = 1 OR metrics.b = 2 AND metrics.c = 3"))
                .isEqualTo(new Or(List.of(a, new And(List.of(b, c)))));
        assertThat(FilterParser.parse("metrics.a = 1 AND (metrics.b = 2 OR metrics.c = 3)"))
                .isEqualTo(new And(List.of(a, new Or(List.of(b, c)))));
        assertThat(FilterParser.parse("((metrics.a = 1))")).isEqualTo(a);
        assertThat(FilterParser.parse("metrics.a = 1 and metrics.b = 2 and metrics.c = 3"))
                .isEqualTo(new And(List.of(a, b, c)));
        assertThat(FilterParser.parse("metrics.a = 1 oR metrics.b = 2")).isEqualTo(new Or(List.of(a, b)));
    }

    @Test
    void caseInsensitiveKeywords() {
        assertThat(FilterParser.parse("params.a like 'x' AnD tags.b iLiKe 'y' Or tags.c Is NoT nUlL"))
                .isEqualTo(new Or(List.of(
                        new And(List.of(text(Kind.PARAM, "a", Op.LIKE, "x"), text(Kind.TAG, "b", Op.ILIKE, "y"))),
                        cmp(Kind.TAG, "c", Op.IS_NOT_NULL, new NoValue()))));
        assertThat(FilterParser.parse("attributes.team In ('t') aNd attributes.team NOT iN ('u')"))
                .isInstanceOf(And.class);
    }

    @Test
    void theExample() {
        assertThat(FilterParser.parse("params.lr = '0.1' AND (tags.env = 'prod' OR attributes.status = 'failed')"))
                .isEqualTo(new And(List.of(
                        text(Kind.PARAM, "lr", Op.EQ, "0.1"),
                        new Or(List.of(
                                text(Kind.TAG, "env", Op.EQ, "prod"),
                                text(Kind.ATTRIBUTE, "status", Op.EQ, "failed"))))));
    }

    @Test
    void mlflowErrorCases() {
        // missing value
        FilterException missing = error("metrics.loss <");
        assertThat(missing.column()).isEqualTo(15);
        assertThat(missing.getMessage()).contains("expected a number after 'metrics.loss <'");
        assertThat(error("params.lr =").getMessage()).contains("expected a quoted string after 'params.lr ='");
        // wrong type
        FilterException paramNumber = error("params.lr = 0.1");
        assertThat(paramNumber.column()).isEqualTo(13);
        assertThat(paramNumber.getMessage())
                .isEqualTo("expected a quoted string after 'params.lr =' but found '0.1' at column 13");
        FilterException metricString = error("metrics.loss > '0.1'");
        assertThat(metricString.column()).isEqualTo(16);
        assertThat(metricString.getMessage()).contains("expected a number");
        assertThat(error("tags.env = prod").column()).isEqualTo(12);
        // unknown prefix, no prefix
        FilterException unknown = error("foo.bar = 'x'");
        assertThat(unknown.column()).isEqualTo(1);
        assertThat(unknown.getMessage())
                .contains("expected metrics., params., tags., attributes. or datasets.")
                .contains("'foo'");
        assertThat(error("loss < 1").getMessage()).contains("expected metrics., params.");
        assertThat(error("metrics < 1").column()).isEqualTo(1);
        assertThat(error("\"metrics\".loss < 1").column()).isEqualTo(1);
        // bad operators
        assertThat(error("params.a ~ 'x'").column()).isEqualTo(10);
        assertThat(error("metrics.a == 1").getMessage()).contains("use '='");
        assertThat(error("metrics.a <> 1").getMessage()).contains("use '!='");
        assertThat(error("params.a > 'x'").getMessage()).contains("not allowed");
        assertThat(error("metrics.a LIKE 1").column()).isEqualTo(11);
        assertThat(error("metrics.a IS NULL").column()).isEqualTo(11);
        assertThat(error("params.a IN ('x')").column()).isEqualTo(10);
        assertThat(error("params.a IS 'x'").column()).isEqualTo(13);
        assertThat(error("params.a NOT 'x'").column()).isEqualTo(14);
        assertThat(error("params.a 'x'").getMessage()).contains("comparison operator");
        // unknown attribute / dataset field
        FilterException attribute = error("attributes.artifact_uri = 'x'");
        assertThat(attribute.column()).isEqualTo(12);
        assertThat(attribute.getMessage()).contains("run_id").contains("failure_type");
        assertThat(error("datasets.context = 'x'").column()).isEqualTo(10);
        // bad numbers
        assertThat(error("metrics.a > 1abc").column()).isEqualTo(13);
        assertThat(error("metrics.a > 1e").column()).isEqualTo(13);
        assertThat(error("metrics.a > 1.2.3").column()).isEqualTo(13);
        assertThat(error("metrics.a > -1e999").getMessage()).contains("out of range");
    }

    @Test
    void structuralErrorsWithColumns() {
        assertThat(error("").column()).isEqualTo(1);
        assertThat(error("()").column()).isEqualTo(2);
        assertThat(error("metrics.a = 1 AND").column()).isEqualTo(18);
        assertThat(error("metrics.a = 1 OR OR metrics.b = 1").column()).isEqualTo(18);
        assertThat(error("AND metrics.a = 1").column()).isEqualTo(1);
        assertThat(error("(metrics.a = 1").column()).isEqualTo(1);
        assertThat(error("(metrics.a = 1 metrics.b = 1)").column()).isEqualTo(16);
        assertThat(error("metrics.a = 1)").column()).isEqualTo(14);
        FilterException trailing = error("metrics.a = 1 metrics.b = 2");
        assertThat(trailing.column()).isEqualTo(15);
        assertThat(trailing.getMessage()).startsWith("unexpected 'metrics'");
        assertThat(error("params.a = 'x").column()).isEqualTo(12);
        assertThat(error("params.`a = 'x'").column()).isEqualTo(8);
        assertThat(error("params. = 'x'").column()).isEqualTo(8);
        assertThat(error("params.`` = 'x'").column()).isEqualTo(8);
        assertThat(error("attributes.team IN ()").column()).isEqualTo(21);
        assertThat(error("attributes.team IN ('a',)").column()).isEqualTo(25);
        assertThat(error("attributes.team IN ('a' 'b')").column()).isEqualTo(25);
        assertThat(error("attributes.team IN ('a', 'b'").column()).isEqualTo(20);
        assertThat(error("attributes.team IN 'a'").column()).isEqualTo(20);
        assertThat(error("attributes.team IN ('a', 1)").column()).isEqualTo(26);
    }

    @Test
    void limitsAreNotHitByReasonableFilters() {
        String nested = "(".repeat(100) + "metrics.a = 1" + ")".repeat(100);
        assertThat(FilterParser.parse(nested)).isEqualTo(metric("a", Op.EQ, 1));
        String terms = String.join(" AND ", Collections.nCopies(200, "metrics.a = 1"));
        assertThat(((And) FilterParser.parse(terms)).terms()).hasSize(200);
        String items = String.join(",", Collections.nCopies(1000, "'x'"));
        assertThat(FilterParser.parse("attributes.team IN (" + items + ")")).isInstanceOf(Comparison.class);
        assertThat(FilterParser.parse("metrics." + "k".repeat(250) + " > 0")).isInstanceOf(Comparison.class);
    }

    @Test
    @Timeout(5)
    void hostileInputs() {
        // 20,000 nested parentheses: refused at level 101, no StackOverflowError
        FilterException deep = error("(".repeat(20_000));
        assertThat(deep.column()).isEqualTo(101);
        assertThat(deep.getMessage()).contains("levels of parentheses");
        assertThat(error("(".repeat(101) + "metrics.a = 1" + ")".repeat(101)).column())
                .isEqualTo(101);
        // 100,000 IN items: too long; 1,001 short ones: too many items
        String manyItems = String.join(",", Collections.nCopies(100_000, "'x'"));
        assertThat(error("attributes.team IN (" + manyItems + ")").getMessage()).contains("too long");
        String items = String.join(",", Collections.nCopies(1001, "'x'"));
        FilterException tooMany = error("attributes.team IN (" + items + ")");
        assertThat(tooMany.getMessage()).contains("more than 1000 items");
        assertThat(tooMany.column()).isEqualTo(21 + 4 * 1000);
        // a 100 KB key: too long; a 251-character key: too long a key
        assertThat(error("metrics." + "k".repeat(100_000) + " > 0").getMessage())
                .contains("too long");
        FilterException key = error("metrics.`" + "k".repeat(251) + "` > 0");
        assertThat(key.column()).isEqualTo(9);
        assertThat(key.getMessage()).contains("key too long");
        assertThat(error("tags." + "k".repeat(251) + " = 'x'").getMessage()).contains("key too long");
        // 5,000 ANDed terms: too long; 201 terms: too many comparisons
        assertThat(error(String.join(" AND ", Collections.nCopies(5000, "metrics.a = 1"))))
                .isInstanceOf(FilterException.class);
        FilterException terms = error(String.join(" AND ", Collections.nCopies(201, "metrics.a = 1")));
        assertThat(terms.getMessage()).contains("more than 200 comparisons");
        assertThat(terms.column()).isEqualTo(1 + 18 * 200);
        // deep nesting through OR/AND and 20,000 characters of operators fail fast too
        assertThat(error("metrics.a = 1 AND (".repeat(1000))).isInstanceOf(FilterException.class);
        assertThat(error("x".repeat(20_001)).column()).isEqualTo(20_001);
    }

    @Test
    void nullAndBlankAreRefused() {
        assertThatThrownBy(() -> FilterParser.parse(null)).isInstanceOf(FilterException.class);
        assertThatThrownBy(() -> FilterParser.parse("   ")).isInstanceOf(FilterException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"metrics.a = 1 AND", "metrics.a = 1 OR (", "tags.a IS", "tags.a IS NOT", "params.a NOT"})
    void danglingInputIsAnErrorNotACrash(String filter) {
        assertThat(error(filter).column()).isPositive();
    }
}
