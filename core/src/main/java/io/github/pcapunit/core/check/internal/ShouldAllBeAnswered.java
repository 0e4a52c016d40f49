package io.github.pcapunit.core.check.internal;

import java.util.List;

/** Failure kind: ICMP echo requests without an echo reply. */
public final class ShouldAllBeAnswered {

    private ShouldAllBeAnswered() {
    }

    /**
     * Message for unanswered echo requests.
     *
     * @param total echo requests seen
     * @param lines one line per unanswered request
     * @param unanswered how many got no reply
     */
    public static String shouldAllBeAnswered(MessageContext context, int total, List<String> lines, int unanswered) {
        return FailureText.build(context,
                "to have all " + FailureText.count(total, "ICMP echo request", "ICMP echo requests") + " answered",
                "but " + unanswered + " of " + total + " got no echo reply", lines, unanswered, true);
    }
}
