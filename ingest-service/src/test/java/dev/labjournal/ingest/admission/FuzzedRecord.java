package dev.labjournal.ingest.admission;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A Kafka record decoded from a fuzzer input, in a line format chosen so that a plain JSON event is itself a
 * structured-mode record (and the contract's examples are good seeds) while the fuzzer can still grow headers.
 *
 * <p>Lines at the start of the input that begin with {@code ce_} or {@code content-type} are headers, {@code
 * name=value}: the value is every byte after the first {@code =} up to the newline (any bytes, invalid UTF-8
 * included); a line without {@code =} is a header whose value is null. A line {@code !null} among them makes the
 * record value null. Everything after the header lines is the record value.
 *
 * @param value the record value, null for a tombstone-like record
 */
record FuzzedRecord(Headers headers, byte[] value) {

    private static final byte[][] HEADER_PREFIXES = {utf8("ce_"), utf8("content-type")};
    private static final byte[] NULL_VALUE = utf8("!null");

    static FuzzedRecord decode(byte[] input) {
        Headers headers = new RecordHeaders();
        boolean nullValue = false;
        int start = 0;
        while (start < input.length) {
            int end = indexOf(input, (byte) '\n', start);
            int lineEnd = end < 0 ? input.length : end;
            if (startsWith(input, start, HEADER_PREFIXES[0]) || startsWith(input, start, HEADER_PREFIXES[1])) {
                int equals = indexOf(input, (byte) '=', start);
                if (equals < 0 || equals > lineEnd) {
                    headers.add(text(input, start, lineEnd), null);
                } else {
                    headers.add(text(input, start, equals), Arrays.copyOfRange(input, equals + 1, lineEnd));
                }
            } else if (lineEnd - start == NULL_VALUE.length && startsWith(input, start, NULL_VALUE)) {
                nullValue = true;
            } else {
                break;
            }
            start = end < 0 ? input.length : end + 1;
        }
        return new FuzzedRecord(headers, nullValue ? null : Arrays.copyOfRange(input, start, input.length));
    }

    private static boolean startsWith(byte[] input, int at, byte[] prefix) {
        return input.length - at >= prefix.length
                && Arrays.equals(input, at, at + prefix.length, prefix, 0, prefix.length);
    }

    private static int indexOf(byte[] input, byte b, int from) {
        for (int i = from; i < input.length; i++) {
            if (input[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** Header names travel as UTF-8 strings: decode as the Kafka consumer does. */
    private static String text(byte[] input, int from, int to) {
        return new String(input, from, to - from, StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
