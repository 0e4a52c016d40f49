package io.github.pcapunit.core.check.internal;

import java.util.List;

/** Failure kind: the capture itself lost packets. */
public final class ShouldBeComplete {

    private ShouldBeComplete() {
    }

    /**
     * Message for an incomplete capture.
     *
     * @param lostPackets packets the capture lost in total
     * @param lossLines one line per interface that lost packets
     */
    public static String shouldBeComplete(MessageContext context, long lostPackets, List<String> lossLines) {
        // The loss is the finding itself here, so the context's loss sentence would only repeat it.
        MessageContext withoutLoss = new MessageContext(context.file(), null, context.kernelEvidence());
        return FailureText.build(withoutLoss, "to be complete (no packet lost by the capture)",
                "but the capture lost " + FailureText.count(lostPackets, "packet", "packets"),
                lossLines, lossLines.size(), false);
    }

    /**
     * Message for a check that found no offender in an incomplete capture, so cannot pass: the
     * lost packets may be {@code lostMayBe} ("some to 10.0.0.5:443"). The context states the loss.
     *
     * @param to the expectation, starting with "to "
     */
    public static String cannotProve(MessageContext context, String to, String lostMayBe) {
        return FailureText.build(context, to,
                "but that cannot be shown: the capture is incomplete, and the packets it lost may include "
                        + lostMayBe, List.of(), 0, false);
    }
}
