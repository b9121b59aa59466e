package dev.labjournal.query.search.filter;

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
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses a run filter (MLflow's {@code search_runs} grammar, extended with {@code OR} and parentheses) into a
 * {@link Filter}. A hand-written tokenizer and recursive-descent parser; every error is a {@link FilterException}
 * with the 1-based column of the offending token.
 *
 * <pre>
 * expr       := and (OR and)*
 * and        := primary (AND primary)*
 * primary    := '(' expr ')' | comparison
 * comparison := identifier op value
 * identifier := prefix '.' key
 * prefix     := metrics | metric | params | param | parameters | tags | tag
 *             | attributes | attribute | attr | run | datasets | dataset      (any case, optionally `backquoted`)
 * key        := bare | `backquoted` | "double quoted"      (bare: letters, digits, _ - / :)
 * </pre>
 *
 * <p>Keywords ({@code AND OR IN NOT LIKE ILIKE IS NULL}) ignore case; {@code AND} binds tighter than {@code OR}.
 * String literals are quoted with {@code '} or {@code "}; the quote character is written twice inside
 * ({@code 'it''s'}); a backslash is an ordinary character. Backquoted keys escape {@code `} the same way.
 *
 * <ul>
 *   <li>metrics: {@code = != > >= < <=} with a number;
 *   <li>attributes.start_time / end_time: the same with a number (epoch ms) or a quoted ISO-8601 instant or offset
 *       date-time (converted to epoch ms);
 *   <li>params, tags: {@code = != LIKE ILIKE} with a quoted string, {@code IS [NOT] NULL};
 *   <li>attributes run_id, run_name (name), status, user_id (user), team, project, failure_type, failure_group and datasets name,
 *       digest: {@code = != LIKE ILIKE} with a quoted string, {@code [NOT] IN ('a', 'b', ...)}. Status values are
 *       mapped to the stored names (FINISHED → succeeded, ...).
 * </ul>
 *
 * <p>The same identifiers serve two lists: {@link #parseSort} ({@code sort=}, MLflow's {@code order_by}) and
 * {@link #parseNames} ({@code facets=}).
 *
 * <p>Limits: {@value #MAX_LENGTH} characters, {@value #MAX_DEPTH} levels of parentheses, {@value #MAX_COMPARISONS}
 * comparisons, {@value #MAX_IN_ITEMS} items in one IN list, keys of {@value #MAX_KEY_LENGTH} characters.
 */
public final class FilterParser {

    static final int MAX_LENGTH = 20_000;
    static final int MAX_DEPTH = 100;
    static final int MAX_COMPARISONS = 200;
    static final int MAX_IN_ITEMS = 1_000;
    static final int MAX_KEY_LENGTH = 250;
    static final int MAX_SORT_KEYS = 10;
    static final int MAX_NAMES = 50;

    private static final String PREFIXES = "metrics., params., tags., attributes. or datasets.";

    private static final Map<String, Kind> PREFIX_KINDS = Map.ofEntries(
            Map.entry("metrics", Kind.METRIC),
            Map.entry("metric", Kind.METRIC),
            Map.entry("params", Kind.PARAM),
            Map.entry("param", Kind.PARAM),
            Map.entry("parameters", Kind.PARAM),
            Map.entry("tags", Kind.TAG),
            Map.entry("tag", Kind.TAG),
            Map.entry("attributes", Kind.ATTRIBUTE),
            Map.entry("attribute", Kind.ATTRIBUTE),
            Map.entry("attr", Kind.ATTRIBUTE),
            Map.entry("run", Kind.ATTRIBUTE),
            Map.entry("datasets", Kind.DATASET),
            Map.entry("dataset", Kind.DATASET));

    private static final Map<String, String> ATTRIBUTES = Map.ofEntries(
            Map.entry("run_id", "run_id"),
            Map.entry("run_name", "run_name"),
            Map.entry("name", "run_name"),
            Map.entry("status", "status"),
            Map.entry("user_id", "user_id"),
            Map.entry("user", "user_id"),
            Map.entry("team", "team"),
            Map.entry("project", "project"),
            Map.entry("failure_type", "failure_type"),
            Map.entry("failure_group", "failure_group"),
            Map.entry("start_time", "start_time"),
            Map.entry("end_time", "end_time"));

    private static final String ATTRIBUTE_NAMES =
            "run_id, run_name (name), status, user_id (user), team, project, failure_type, failure_group, start_time,"
                    + " end_time";

    private static final Set<String> DATASET_KEYS = Set.of("name", "digest");

    private static final Map<String, String> STATUSES = Map.of(
            "finished", "succeeded",
            "succeeded", "succeeded",
            "failed", "failed",
            "killed", "killed",
            "running", "running",
            "lost", "lost");

    private static final String STATUS_NAMES = "FINISHED (succeeded), FAILED, KILLED, RUNNING, SUCCEEDED, LOST";

    private static final Set<Op> NUMERIC_OPS = EnumSet.of(Op.EQ, Op.NE, Op.GT, Op.GE, Op.LT, Op.LE);
    private static final Set<Op> KEY_VALUE_OPS =
            EnumSet.of(Op.EQ, Op.NE, Op.LIKE, Op.ILIKE, Op.IS_NULL, Op.IS_NOT_NULL);
    private static final Set<Op> STRING_OPS = EnumSet.of(Op.EQ, Op.NE, Op.LIKE, Op.ILIKE, Op.IN, Op.NOT_IN);

    private enum Type {
        LPAREN,
        RPAREN,
        COMMA,
        DOT,
        OP,
        WORD,
        STRING,
        BACKQUOTED,
        NUMBER,
        EOF
    }

    /** A token; {@code value} is the unquoted text of strings and backquoted names, else the raw text. */
    private record Token(Type type, String raw, String value, int column) {

        boolean isKeyword(String keyword) {
            return type == Type.WORD && raw.equalsIgnoreCase(keyword);
        }

        String describe() {
            if (type == Type.EOF) {
                return "end of filter";
            }
            return "'" + (raw.length() > 40 ? raw.substring(0, 40) + "..." : raw) + "'";
        }
    }

    private final String text;
    private int pos;
    private Token peeked;
    private int depth;
    private int comparisons;

    private FilterParser(String text) {
        this.text = text;
    }

    /** Parses {@code text}; throws {@link FilterException} for anything invalid, null or blank included. */
    public static Filter parse(String text) {
        if (text == null || text.isBlank()) {
            throw new FilterException(1, "empty filter");
        }
        if (text.length() > MAX_LENGTH) {
            throw new FilterException(
                    MAX_LENGTH + 1, "filter too long: " + text.length() + " characters, at most " + MAX_LENGTH);
        }
        FilterParser parser = new FilterParser(text);
        Filter filter = parser.expr();
        Token rest = parser.peek();
        if (rest.type() != Type.EOF) {
            throw new FilterException(
                    rest.column(), "unexpected " + rest.describe() + ", expected AND, OR or the end of the filter");
        }
        return filter;
    }

    /**
     * Parses an MLflow {@code order_by} list: {@code key [ASC|DESC] (, key [ASC|DESC])*}, each key an identifier of
     * the filter language ({@code metrics.loss}, {@code params.`a.b`}, {@code attributes.start_time}) or a bare
     * attribute name ({@code start_time}); ASC when neither is given. Datasets cannot be sorted on. At most
     * {@value #MAX_SORT_KEYS} keys.
     */
    public static List<SortKey> parseSort(String text) {
        FilterParser parser = start(text, "sort");
        List<SortKey> keys = new ArrayList<>();
        while (true) {
            Token first = parser.next();
            if (keys.size() == MAX_SORT_KEYS) {
                throw new FilterException(first.column(), "more than " + MAX_SORT_KEYS + " sort keys");
            }
            Field field = parser.fieldOrAttribute(first, "a sort key such as metrics.loss or start_time");
            if (field.kind() == Kind.DATASET) {
                throw new FilterException(first.column(), "datasets cannot be sorted on");
            }
            Token next = parser.next();
            boolean descending = false;
            if (next.isKeyword("ASC") || next.isKeyword("DESC")) {
                descending = next.isKeyword("DESC");
                next = parser.next();
            }
            keys.add(new SortKey(field, descending, first.column()));
            if (next.type() == Type.EOF) {
                return keys;
            }
            if (next.type() != Type.COMMA) {
                throw new FilterException(
                        next.column(), "expected ASC, DESC, ',' or the end of the sort but found " + next.describe());
            }
        }
    }

    /**
     * Parses a comma-separated list of names, each a bare word ({@code team}) or an identifier of the filter language
     * ({@code tags.env}); what the names mean is the caller's business. At most {@value #MAX_NAMES} names.
     */
    public static List<FieldName> parseNames(String text) {
        FilterParser parser = start(text, "list");
        List<FieldName> names = new ArrayList<>();
        while (true) {
            Token first = parser.next();
            if (names.size() == MAX_NAMES) {
                throw new FilterException(first.column(), "more than " + MAX_NAMES + " names");
            }
            if (first.type() == Type.WORD && parser.peekChar() != '.') {
                names.add(new FieldName(first.value(), null, first.column()));
            } else {
                names.add(new FieldName(null, parser.field(first, "a name such as team or tags.env"), first.column()));
            }
            Token next = parser.next();
            if (next.type() == Type.EOF) {
                return names;
            }
            if (next.type() != Type.COMMA) {
                throw new FilterException(next.column(), "expected ',' or the end but found " + next.describe());
            }
        }
    }

    private static FilterParser start(String text, String what) {
        if (text == null || text.isBlank()) {
            throw new FilterException(1, "empty " + what);
        }
        if (text.length() > MAX_LENGTH) {
            throw new FilterException(
                    MAX_LENGTH + 1, what + " too long: " + text.length() + " characters, at most " + MAX_LENGTH);
        }
        return new FilterParser(text);
    }

    /** An identifier, or a bare attribute name ({@code start_time}, {@code name}). */
    private Field fieldOrAttribute(Token first, String expected) {
        if (first.type() == Type.WORD && peekChar() != '.') {
            String canonical = ATTRIBUTES.get(first.value().toLowerCase(Locale.ROOT));
            if (canonical == null) {
                throw new FilterException(
                        first.column(),
                        "expected " + PREFIXES + " and a key, or an attribute (" + ATTRIBUTE_NAMES + "), but found "
                                + first.describe());
            }
            return new Field(Kind.ATTRIBUTE, canonical);
        }
        return field(first, expected);
    }

    // ---- parser ----

    private Filter expr() {
        List<Filter> terms = new ArrayList<>();
        terms.add(and());
        while (peek().isKeyword("OR")) {
            next();
            terms.add(and());
        }
        return terms.size() == 1 ? terms.get(0) : new Or(terms);
    }

    private Filter and() {
        List<Filter> terms = new ArrayList<>();
        terms.add(primary());
        while (peek().isKeyword("AND")) {
            next();
            terms.add(primary());
        }
        return terms.size() == 1 ? terms.get(0) : new And(terms);
    }

    private Filter primary() {
        Token token = peek();
        if (token.type() != Type.LPAREN) {
            return comparison();
        }
        next();
        if (++depth > MAX_DEPTH) {
            throw new FilterException(token.column(), "more than " + MAX_DEPTH + " levels of parentheses");
        }
        if (peek().type() == Type.RPAREN) {
            throw new FilterException(peek().column(), "empty parentheses");
        }
        Filter inner = expr();
        Token close = next();
        if (close.type() == Type.EOF) {
            throw new FilterException(token.column(), "unclosed '('");
        }
        if (close.type() != Type.RPAREN) {
            throw new FilterException(close.column(), "unexpected " + close.describe() + ", expected AND, OR or ')'");
        }
        depth--;
        return inner;
    }

    private Filter comparison() {
        Token first = next();
        if (++comparisons > MAX_COMPARISONS) {
            throw new FilterException(first.column(), "more than " + MAX_COMPARISONS + " comparisons");
        }
        Field field = field(first, "a comparison such as metrics.loss < 0.5");
        String name = text.substring(first.column() - 1, pos);

        Token opToken = next();
        Op op = operator(opToken, name);
        String opText = text.substring(opToken.column() - 1, pos);
        String after = "'" + name + " " + opText + "'";
        Set<Op> allowed = allowedOps(field);
        if (!allowed.contains(op)) {
            throw new FilterException(
                    opToken.column(),
                    "operator " + opText + " is not allowed for " + name + ", allowed: " + describe(allowed));
        }

        Value value;
        if (op == Op.IS_NULL || op == Op.IS_NOT_NULL) {
            value = new NoValue();
        } else if (op == Op.IN || op == Op.NOT_IN) {
            value = list(field, after);
        } else if (NUMERIC_OPS.equals(allowed)) {
            value = number(field, after);
        } else {
            Token token = next();
            if (token.type() != Type.STRING) {
                throw new FilterException(
                        token.column(), "expected a quoted string after " + after + " but found " + token.describe());
            }
            value = new TextValue(text(field, op, token));
        }
        return new Comparison(field, op, value);
    }

    private Field field(Token first, String expected) {
        if (first.type() == Type.EOF) {
            throw new FilterException(first.column(), "expected " + expected + " but reached the end");
        }
        if (first.type() != Type.WORD && first.type() != Type.BACKQUOTED) {
            throw new FilterException(
                    first.column(), "expected " + PREFIXES + " and a key but found " + first.describe());
        }
        Kind kind = PREFIX_KINDS.get(first.value().toLowerCase(Locale.ROOT));
        if (kind == null || peekChar() != '.') {
            String problem = kind == null ? "unknown prefix " + first.describe() : first.describe() + " has no key";
            throw new FilterException(first.column(), "expected " + PREFIXES + " followed by a key (" + problem + ")");
        }
        pos++; // the dot
        int keyColumn = pos + 1;
        String key = key(first.raw());
        return switch (kind) {
            case ATTRIBUTE -> {
                String canonical = ATTRIBUTES.get(key.toLowerCase(Locale.ROOT));
                if (canonical == null) {
                    throw new FilterException(
                            keyColumn, "unknown attribute '" + key + "', allowed: " + ATTRIBUTE_NAMES);
                }
                yield new Field(kind, canonical);
            }
            case DATASET -> {
                String lower = key.toLowerCase(Locale.ROOT);
                if (!DATASET_KEYS.contains(lower)) {
                    throw new FilterException(keyColumn, "unknown dataset field '" + key + "', allowed: name, digest");
                }
                yield new Field(kind, lower);
            }
            default -> new Field(kind, key);
        };
    }

    private Op operator(Token token, String name) {
        switch (token.type()) {
            case OP:
                return switch (token.raw()) {
                    case "=" -> Op.EQ;
                    case "!=" -> Op.NE;
                    case ">" -> Op.GT;
                    case ">=" -> Op.GE;
                    case "<" -> Op.LT;
                    default -> Op.LE;
                };
            case WORD:
                if (token.isKeyword("LIKE")) {
                    return Op.LIKE;
                }
                if (token.isKeyword("ILIKE")) {
                    return Op.ILIKE;
                }
                if (token.isKeyword("IN")) {
                    return Op.IN;
                }
                if (token.isKeyword("NOT")) {
                    Token in = next();
                    if (!in.isKeyword("IN")) {
                        throw new FilterException(in.column(), "expected IN after NOT but found " + in.describe());
                    }
                    return Op.NOT_IN;
                }
                if (token.isKeyword("IS")) {
                    Token word = next();
                    boolean not = word.isKeyword("NOT");
                    if (not) {
                        word = next();
                    }
                    if (!word.isKeyword("NULL")) {
                        throw new FilterException(
                                word.column(),
                                "expected " + (not ? "NULL after IS NOT" : "NULL or NOT NULL after IS") + " but found "
                                        + word.describe());
                    }
                    return not ? Op.IS_NOT_NULL : Op.IS_NULL;
                }
                break;
            default:
                break;
        }
        throw new FilterException(
                token.column(),
                "expected a comparison operator (=, !=, >, >=, <, <=, LIKE, ILIKE, IN, NOT IN, IS NULL, IS NOT NULL)"
                        + " after '" + name + "' but found " + token.describe());
    }

    private static Set<Op> allowedOps(Field field) {
        return switch (field.kind()) {
            case METRIC -> NUMERIC_OPS;
            case PARAM, TAG -> KEY_VALUE_OPS;
            case DATASET -> STRING_OPS;
            case ATTRIBUTE -> isTime(field) ? NUMERIC_OPS : STRING_OPS;
        };
    }

    private static boolean isTime(Field field) {
        return field.kind() == Kind.ATTRIBUTE
                && (field.key().equals("start_time") || field.key().equals("end_time"));
    }

    private static String describe(Set<Op> ops) {
        List<String> names = new ArrayList<>();
        for (Op op : ops) {
            names.add(
                    switch (op) {
                        case EQ -> "=";
                        case NE -> "!=";
                        case GT -> ">";
                        case GE -> ">=";
                        case LT -> "<";
                        case LE -> "<=";
                        case NOT_IN -> "NOT IN";
                        case IS_NULL -> "IS NULL";
                        case IS_NOT_NULL -> "IS NOT NULL";
                        default -> op.name();
                    });
        }
        return String.join(", ", names);
    }

    private Value number(Field field, String after) {
        Token token = next();
        if (token.type() == Type.NUMBER) {
            double number = Double.parseDouble(token.raw());
            if (Double.isInfinite(number)) {
                throw new FilterException(token.column(), "number out of range " + token.describe());
            }
            return new NumberValue(number);
        }
        if (token.type() == Type.STRING && isTime(field)) {
            return new NumberValue(epochMillis(token));
        }
        String expected = isTime(field) ? "a number (epoch ms) or a quoted ISO-8601 date-time" : "a number";
        throw new FilterException(
                token.column(), "expected " + expected + " after " + after + " but found " + token.describe());
    }

    private static long epochMillis(Token token) {
        String value = token.value().trim();
        try {
            return Instant.parse(value).toEpochMilli();
        } catch (DateTimeException | ArithmeticException e) {
            try {
                return OffsetDateTime.parse(value).toInstant().toEpochMilli();
            } catch (DateTimeException | ArithmeticException e2) {
                throw new FilterException(
                        token.column(),
                        "invalid date-time " + token.describe()
                                + ", expected an ISO-8601 instant or offset date-time such as 2024-05-01T12:00:00Z");
            }
        }
    }

    private String text(Field field, Op op, Token token) {
        String value = token.value();
        if (field.kind() != Kind.ATTRIBUTE || !field.key().equals("status")) {
            return value;
        }
        if (op == Op.LIKE || op == Op.ILIKE) {
            return value.toLowerCase(Locale.ROOT);
        }
        String status = STATUSES.get(value.toLowerCase(Locale.ROOT));
        if (status == null) {
            throw new FilterException(
                    token.column(), "unknown status " + token.describe() + ", allowed: " + STATUS_NAMES);
        }
        return status;
    }

    private Value list(Field field, String after) {
        Token open = next();
        if (open.type() != Type.LPAREN) {
            throw new FilterException(open.column(), "expected '(' after " + after + " but found " + open.describe());
        }
        if (peek().type() == Type.RPAREN) {
            throw new FilterException(peek().column(), "empty list after " + after);
        }
        List<String> values = new ArrayList<>();
        while (true) {
            Token item = next();
            if (item.type() == Type.EOF) {
                throw new FilterException(open.column(), "unclosed '(' of the list after " + after);
            }
            if (item.type() != Type.STRING) {
                throw new FilterException(
                        item.column(),
                        "expected a quoted string in the list after " + after + " but found " + item.describe());
            }
            if (values.size() == MAX_IN_ITEMS) {
                throw new FilterException(item.column(), "more than " + MAX_IN_ITEMS + " items in the list");
            }
            values.add(text(field, Op.IN, item));
            Token sep = next();
            if (sep.type() == Type.RPAREN) {
                return new ListValue(values);
            }
            if (sep.type() == Type.EOF) {
                throw new FilterException(open.column(), "unclosed '(' of the list after " + after);
            }
            if (sep.type() != Type.COMMA) {
                throw new FilterException(sep.column(), "expected ',' or ')' but found " + sep.describe());
            }
        }
    }

    // ---- tokenizer ----

    private Token peek() {
        if (peeked == null) {
            peeked = scan();
        }
        return peeked;
    }

    private Token next() {
        Token token = peek();
        peeked = null;
        return token;
    }

    private char peekChar() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private Token scan() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
        int start = pos;
        int column = start + 1;
        if (pos >= text.length()) {
            return new Token(Type.EOF, "", "", column);
        }
        char c = text.charAt(pos);
        char following = pos + 1 < text.length() ? text.charAt(pos + 1) : '\0';
        switch (c) {
            case '(':
                pos++;
                return new Token(Type.LPAREN, "(", "(", column);
            case ')':
                pos++;
                return new Token(Type.RPAREN, ")", ")", column);
            case ',':
                pos++;
                return new Token(Type.COMMA, ",", ",", column);
            case '.':
                if (!Character.isDigit(following)) {
                    pos++;
                    return new Token(Type.DOT, ".", ".", column);
                }
                return number();
            case '=':
                if (following == '=') {
                    throw new FilterException(column, "'==' is not supported, use '='");
                }
                return operator(1);
            case '!':
                if (following != '=') {
                    throw new FilterException(column, "unexpected character '!', did you mean '!='?");
                }
                return operator(2);
            case '<':
                if (following == '>') {
                    throw new FilterException(column, "'<>' is not supported, use '!='");
                }
                return operator(following == '=' ? 2 : 1);
            case '>':
                return operator(following == '=' ? 2 : 1);
            case '\'':
            case '"':
            case '`':
                return quoted(c);
            default:
                break;
        }
        if (Character.isDigit(c) || (c == '-' && (Character.isDigit(following) || following == '.'))) {
            return number();
        }
        if (Character.isLetter(c) || c == '_') {
            while (pos < text.length() && isKeyChar(text.charAt(pos))) {
                pos++;
            }
            String word = text.substring(start, pos);
            return new Token(Type.WORD, word, word, column);
        }
        throw new FilterException(column, "unexpected character '" + c + "'");
    }

    private Token operator(int length) {
        int start = pos;
        pos += length;
        String op = text.substring(start, pos);
        return new Token(Type.OP, op, op, start + 1);
    }

    /** A number: optional '-', digits with an optional fraction, an optional exponent. */
    private Token number() {
        int start = pos;
        if (peekChar() == '-') {
            pos++;
        }
        int digits = skipDigits();
        if (peekChar() == '.') {
            pos++;
            digits += skipDigits();
        }
        boolean valid = digits > 0;
        if (valid && (peekChar() == 'e' || peekChar() == 'E')) {
            pos++;
            if (peekChar() == '+' || peekChar() == '-') {
                pos++;
            }
            valid = skipDigits() > 0;
        }
        if (!valid || (pos < text.length() && (isKeyChar(text.charAt(pos)) || text.charAt(pos) == '.'))) {
            while (pos < text.length() && (isKeyChar(text.charAt(pos)) || text.charAt(pos) == '.')) {
                pos++;
            }
            throw new FilterException(start + 1, "invalid number '" + text.substring(start, pos) + "'");
        }
        String number = text.substring(start, pos);
        return new Token(Type.NUMBER, number, number, start + 1);
    }

    private int skipDigits() {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        return pos - start;
    }

    /** A quoted string or name; the quote character written twice stands for itself. */
    private Token quoted(char quote) {
        int start = pos;
        StringBuilder value = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= text.length()) {
                throw new FilterException(start + 1, "unclosed " + quote);
            }
            char c = text.charAt(pos++);
            if (c == quote) {
                if (peekChar() == quote) {
                    value.append(quote);
                    pos++;
                } else {
                    break;
                }
            } else {
                value.append(c);
            }
        }
        Type type = quote == '`' ? Type.BACKQUOTED : Type.STRING;
        return new Token(type, text.substring(start, pos), value.toString(), start + 1);
    }

    /** The key right after {@code prefix.}: bare, backquoted or double-quoted. */
    private String key(String prefix) {
        int start = pos;
        String key;
        char c = peekChar();
        if (c == '`' || c == '"') {
            key = quoted(c).value();
            if (key.isEmpty()) {
                throw new FilterException(start + 1, "empty key after '" + prefix + ".'");
            }
        } else {
            while (pos < text.length() && isKeyChar(text.charAt(pos))) {
                pos++;
            }
            if (pos == start) {
                throw new FilterException(
                        start + 1,
                        "expected a key after '" + prefix + ".' (quote keys with `backquotes` or \"double"
                                + " quotes\")");
            }
            if (peekChar() == '.') {
                throw new FilterException(
                        start + 1, "keys with dots must be quoted: `" + text.substring(start, pos) + ".…`");
            }
            key = text.substring(start, pos);
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw new FilterException(
                    start + 1, "key too long: " + key.length() + " characters, at most " + MAX_KEY_LENGTH);
        }
        return key;
    }

    private static boolean isKeyChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '/' || c == ':';
    }
}
