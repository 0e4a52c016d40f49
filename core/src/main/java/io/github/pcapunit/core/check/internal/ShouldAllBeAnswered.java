package io.github.pcapunit.core.check.internal;

import java.util.List;

/** Failure kind: ICMP echo requests without an echo reply. */
public final class ShouldAllBeAnswered {

    private ShouldAllBeAnswered() {
    }

    /**
     * Message for unanswered echo requests.
     *
     * @param lead the verdict that leads the message
     * @param host the one target looked at, or {@code null} for all
     * @param total echo requests seen
     * @param lines one line per unanswered request
     * @param unanswered how many got no reply
     */
    public static String shouldAllBeAnswered(MessageContext context, String lead, String host, int total,
                                             List<String> lines, int unanswered) {
        return FailureText.verdictFirst(context, lead, lines,
                "to have all " + FailureText.count(total, "ICMP echo request", "ICMP echo requests")
                        + (host == null ? "" : " to " + host) + " answered",
                "but " + unanswered + " of " + total + " got no echo reply", true);
    }
}
