package io.github.pcapunit.core.check.internal;

import java.util.List;

/** Failure kinds about how many packets a selection holds: an exact count, none, some. */
public final class ShouldHavePacketCount {

    private ShouldHavePacketCount() {
    }

    /**
     * Message for a selection of {@code actual} packets where {@code expected} were expected.
     *
     * @param selection the packets looked at ("packets matching \"tcp port 1433\"")
     * @param packetLines the first packets of the selection as one-line summaries
     */
    public static String shouldHaveSize(MessageContext context, String selection, long expected, long actual,
                                        List<String> packetLines) {
        return FailureText.build(context, "to have " + expected + " " + selection,
                "but found " + actual, packetLines, (int) Math.min(Integer.MAX_VALUE, actual), false);
    }

    /** Message for a selection expected to be empty that holds {@code actual} packets. */
    public static String shouldBeEmpty(MessageContext context, String selection, long actual,
                                       List<String> packetLines) {
        return FailureText.build(context, "to have no " + selection,
                "but found " + actual, packetLines, (int) Math.min(Integer.MAX_VALUE, actual), false);
    }

    /** Message for a selection expected to hold packets that is empty. */
    public static String shouldNotBeEmpty(MessageContext context, String selection) {
        return FailureText.build(context, "to have at least one of the " + selection, "but found none.",
                List.of(), 0, true);
    }

    /**
     * Message for packets of a selection that do not match a condition.
     *
     * @param condition what every packet should satisfy, as the caller described it
     * @param packetLines the offending packets
     * @param failing how many packets failed
     * @param total how many packets the selection holds
     */
    public static String shouldAllMatch(MessageContext context, String selection, String condition,
                                        List<String> packetLines, long failing, long total) {
        return FailureText.build(context, "to have all " + total + " " + selection + " " + condition,
                "but " + failing + " did not", packetLines, (int) Math.min(Integer.MAX_VALUE, failing), false);
    }

    /** Message for a selection where no packet satisfies a condition. */
    public static String shouldAnyMatch(MessageContext context, String selection, String condition, long total) {
        return FailureText.build(context, "to have at least one of the " + total + " " + selection + " " + condition,
                "but none did.", List.of(), 0, false);
    }
}
