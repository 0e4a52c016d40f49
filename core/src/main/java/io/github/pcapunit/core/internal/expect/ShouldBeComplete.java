package io.github.pcapunit.core.internal.expect;

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
}
