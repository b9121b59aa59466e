package dev.labjournal.client;

import java.util.Objects;
import java.util.regex.Pattern;

/** The limits of the event contract (schemas/…/common.v1.json and the event schemas) that the client checks early. */
final class Limits {

    static final int NAME = 500;
    static final int USER = 250;
    static final int HYPOTHESIS = 10_000;
    static final int PARAM_VALUE = 6000;
    static final int TAG_VALUE = 5000;
    static final int NOTE = 100_000;
    static final int FAILURE_TYPE = 500;
    static final int FAILURE_MESSAGE = 100_000;
    static final int STACKTRACE = 500_000;
    static final int ENVIRONMENT_VALUE = 5000;

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_\\-. /:]{1,250}");

    private Limits() {}

    static boolean isKey(String key) {
        return key != null && KEY.matcher(key).matches();
    }

    /** The key, or an IllegalArgumentException that says what a key may hold. */
    static String key(String key) {
        if (!isKey(key)) {
            throw new IllegalArgumentException(
                    "invalid key '" + key + "': 1 to 250 characters of A-Z a-z 0-9 _ - . / : and space");
        }
        return key;
    }

    static String atMost(String value, int max, String what) {
        Objects.requireNonNull(value, what);
        if (value.length() > max) {
            throw new IllegalArgumentException(what + " is " + value.length() + " characters, more than " + max);
        }
        return value;
    }

    /** The text cut to at most max characters, never inside a surrogate pair. */
    static String cut(String value, int max) {
        if (value.length() <= max) {
            return value;
        }
        int end = Character.isHighSurrogate(value.charAt(max - 1)) ? max - 1 : max;
        return value.substring(0, end);
    }
}
