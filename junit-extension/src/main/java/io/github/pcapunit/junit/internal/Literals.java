package io.github.pcapunit.junit.internal;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Values written the way a user writes them in an annotation, for messages: {@code "tcp"},
 * {@code {"lo", "eth0"}}, {@code Keep.ALWAYS}, {@code -1}.
 *
 * <pre>{@code
 * Literals.of(new String[] {"lo"});   // {"lo"}
 * }</pre>
 */
final class Literals {

    private Literals() {
    }

    /** {@code value} as a Java literal: strings quoted, arrays and lists in braces, enums with their type. */
    static String of(Object value) {
        if (value instanceof String) {
            return "\"" + value + "\"";
        }
        if (value instanceof Object[]) {
            return of(Arrays.asList((Object[]) value));
        }
        if (value instanceof List) {
            return ((List<?>) value).stream().map(Literals::of).collect(Collectors.joining(", ", "{", "}"));
        }
        if (value instanceof Enum) {
            Enum<?> constant = (Enum<?>) value;
            return constant.getDeclaringClass().getSimpleName() + "." + constant.name();
        }
        return String.valueOf(value);
    }
}
