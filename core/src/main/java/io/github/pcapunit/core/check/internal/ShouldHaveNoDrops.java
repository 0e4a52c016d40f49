package io.github.pcapunit.core.check.internal;

import java.util.List;

/** Failure kind: drops were found where none were expected. */
public final class ShouldHaveNoDrops {

    private ShouldHaveNoDrops() {
    }

    /**
     * Message for drops found, e.g. towards {@code "port 1433"}: the verdict first, then its
     * evidence, then the file and the expectation.
     *
     * @param target what the expectation is about ("port 1433", "10.0.1.20:1433"), or {@code null}
     *     for any destination
     * @param lead the verdict, one sentence (see {@link Verdicts#lead})
     * @param lines the evidence lines under it
     * @param failed how many flows failed (capture loss counted as one)
     */
    public static String shouldHaveNoDrops(MessageContext context, String target, String lead, List<String> lines,
                                           int failed) {
        String to = target == null ? "to have no dropped packets" : "to have no dropped packets to " + target;
        return FailureText.verdictFirst(context, lead, lines, to,
                "but found " + FailureText.count(failed, "drop", "drops") + " (see above)", true);
    }
}
