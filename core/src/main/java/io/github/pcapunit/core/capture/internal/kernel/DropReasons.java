package io.github.pcapunit.core.capture.internal.kernel;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel's {@code enum skb_drop_reason}, read from the {@code print fmt} of
 * {@code skb:kfree_skb}'s {@code format} file: the numbers change between kernel versions and the
 * event filter only accepts numbers, so they are never hard-coded.
 */
final class DropReasons {

    /**
     * Reasons that are not a network drop: generic frees without a reason, sockets closed with
     * unread data, AF_UNIX housekeeping, queue purges, and IPv6 packets on interfaces where IPv6 is
     * off (the lab disables it; router solicitations would be noise).
     */
    static final List<String> NOT_A_NETWORK_DROP = List.of("NOT_SPECIFIED", "SOCKET_CLOSE", "UNIX_DISCONNECT",
            "UNIX_SKIP_OOB", "QUEUE_PURGE", "IPV6DISABLED", "MAX");

    private static final Pattern SYMBOLIC = Pattern.compile("__print_symbolic\\(REC->reason,(.*?)\\)\\s*$",
            Pattern.DOTALL);
    /** One {@code { number, "NAME" }} pair; at most 9 digits, so any number read fits an int. */
    private static final Pattern ENTRY = Pattern.compile("\\{\\s*(\\d{1,9})\\s*,\\s*\"([A-Z0-9_]+)\"\\s*}");

    private final Map<String, Integer> numbers;

    private DropReasons(Map<String, Integer> numbers) {
        this.numbers = Collections.unmodifiableMap(numbers);
    }

    /** Parses the {@code format} file text; an empty table when the kernel has no reason field (before 5.17). */
    static DropReasons parse(String formatFile) {
        Map<String, Integer> numbers = new LinkedHashMap<>();
        int fmt = formatFile.indexOf("print fmt:");
        Matcher symbolic = SYMBOLIC.matcher(fmt < 0 ? "" : formatFile.substring(fmt).strip());
        if (symbolic.find()) {
            Matcher entry = ENTRY.matcher(symbolic.group(1));
            while (entry.find()) {
                numbers.put(entry.group(2), Integer.parseInt(entry.group(1)));
            }
        }
        return new DropReasons(numbers);
    }

    /** Whether this kernel reports drop reasons at all. */
    boolean available() {
        return !numbers.isEmpty();
    }

    /** The number of {@code name} on this kernel. */
    OptionalInt number(String name) {
        Integer n = numbers.get(name);
        return n == null ? OptionalInt.empty() : OptionalInt.of(n);
    }

    /** The name of reason {@code number}, or {@code "REASON_<n>"} when unknown. */
    String name(int number) {
        for (Map.Entry<String, Integer> e : numbers.entrySet()) {
            if (e.getValue() == number) {
                return e.getKey();
            }
        }
        return "REASON_" + number;
    }

    /**
     * The tracefs filter keeping only real network drops, e.g. {@code reason != 2 && reason != 4};
     * empty when the kernel has no reasons (then nothing can be filtered).
     */
    String filter() {
        StringBuilder filter = new StringBuilder();
        for (String name : NOT_A_NETWORK_DROP) {
            OptionalInt n = number(name);
            if (n.isPresent()) {
                filter.append(filter.length() == 0 ? "" : " && ").append("reason != ").append(n.getAsInt());
            }
        }
        return filter.toString();
    }
}
