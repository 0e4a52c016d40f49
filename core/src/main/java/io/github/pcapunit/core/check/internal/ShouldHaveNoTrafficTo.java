package io.github.pcapunit.core.check.internal;

import java.util.List;

/** Failure kind: traffic went to a destination that must see none. */
public final class ShouldHaveNoTrafficTo {

    private ShouldHaveNoTrafficTo() {
    }

    /**
     * Message for traffic found to a forbidden destination.
     *
     * @param target the destination ("10.0.0.5", "10.0.0.5:443", "port 25")
     * @param flowLines one line per offending flow
     * @param flowCount number of offending flows
     */
    public static String shouldHaveNoTrafficTo(MessageContext context, String target, List<String> flowLines,
                                               int flowCount) {
        return FailureText.build(context, "to have no traffic to " + target,
                "but found " + FailureText.count(flowCount, "flow", "flows"), flowLines, flowCount, false);
    }
}
