package io.github.pcapunit.core.check.internal;

import java.util.List;

/** Failure kind: drops were found where none were expected. */
public final class ShouldHaveNoDrops {

    private ShouldHaveNoDrops() {
    }

    /**
     * Message for drops found, e.g. towards {@code "port 1433"}.
     *
     * @param target what the expectation is about ("port 1433", "10.0.1.20:1433"), or {@code null}
     *     for any destination
     * @param dropLines one line per drop, as {@link Summaries} renders them
     * @param dropCount number of drops found
     */
    public static String shouldHaveNoDrops(MessageContext context, String target, List<String> dropLines,
                                           int dropCount) {
        String to = target == null ? "to have no dropped packets" : "to have no dropped packets to " + target;
        return FailureText.build(context, to, "but found " + FailureText.count(dropCount, "drop", "drops"),
                dropLines, dropCount, true);
    }
}
