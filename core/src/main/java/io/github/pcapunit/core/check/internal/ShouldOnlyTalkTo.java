package io.github.pcapunit.core.check.internal;

import java.util.List;

/** Failure kind: traffic went to a host outside the allowed set. */
public final class ShouldOnlyTalkTo {

    private ShouldOnlyTalkTo() {
    }

    /**
     * Message for traffic outside the allowed hosts/networks.
     *
     * @param allowed the allowed hosts and networks as the caller wrote them
     * @param flowLines one line per offending flow
     * @param flowCount number of offending flows
     */
    public static String shouldOnlyTalkTo(MessageContext context, List<String> allowed, List<String> flowLines,
                                          int flowCount) {
        return FailureText.build(context, "to only talk to " + String.join(", ", allowed),
                "but found " + FailureText.count(flowCount, "flow", "flows") + " to other hosts",
                flowLines, flowCount, false);
    }
}
