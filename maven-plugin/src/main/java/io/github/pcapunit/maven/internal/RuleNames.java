package io.github.pcapunit.maven.internal;

import java.util.List;

/** The rule elements of {@code capture:verify}, for messages that list them. */
public final class RuleNames {

    /** Every rule element {@code capture:verify} knows, in the order they are evaluated. */
    public static final List<String> ALL = List.of("complete", "noDrops", "noDropsTo",
            "onlyTalksTo", "noTrafficTo", "allEstablished", "noneReset", "noneRetransmitted",
            "echoRequestsAnswered");

    private RuleNames() {
    }
}
