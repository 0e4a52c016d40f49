package io.github.pcapunit.core.check.internal;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.capture.EvidenceStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/** Builds the {@link MessageContext} of some traffic, and formats relative times. */
public final class Contexts {

    private Contexts() {
    }

    /** File, capture loss and kernel evidence status of {@code traffic}, as message sentences. */
    public static MessageContext of(CapturedTraffic traffic) {
        MessageContext context = MessageContext.none().withFile(traffic.path());
        Optional<String> loss = traffic.incompleteness();
        if (loss.isPresent()) {
            context = context.withCaptureLoss(sentence(loss.get()));
        }
        Optional<EvidenceStatus> status = traffic.evidenceStatus();
        if (status.isEmpty()) {
            context = context.withKernelEvidenceMissing("Kernel drop evidence: none in this file (it is recorded"
                    + " only by a pcapunit capture that may use tracefs, e.g. as root).");
        } else if (!status.get().recorded(EvidenceStatus.Source.KERNEL_TRACE)) {
            context = context.withKernelEvidenceMissing(sentence(status.get().describe()));
        }
        return context;
    }

    /** Capitalized, ending with a period. */
    static String sentence(String text) {
        String s = text.strip();
        if (s.isEmpty()) {
            return s;
        }
        s = Character.toUpperCase(s.charAt(0)) + s.substring(1);
        return s.endsWith(".") ? s : s + ".";
    }

    /**
     * {@code +1.022 s} after {@code base}, or {@code -0.000 s} for a time a hair before it (never
     * {@code +-}), as the verdicts print it.
     */
    public static String relative(Instant time, Instant base) {
        Duration d = Duration.between(base, time);
        return (d.isNegative() ? "-" : "+") + String.format(Locale.ROOT, "%.3f s", d.abs().toNanos() / 1e9);
    }
}
