package io.github.pcapunit.core.check.internal;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What every failure message says about the capture as a whole: which file, whether the capture
 * lost packets, and whether kernel drop evidence was recorded.
 *
 * @param file the pcapng/pcap file the traffic was read from, or {@code null} for traffic that
 *     only lives in memory
 * @param captureLoss one sentence stating capture loss, or {@code null} when the capture is complete
 * @param kernelEvidence one sentence saying why kernel drop evidence is missing, or {@code null}
 *     when it was recorded
 */
public record MessageContext(Path file, String captureLoss, String kernelEvidence) {

    /** A context for a complete capture with kernel evidence and no file. */
    public static MessageContext none() {
        return new MessageContext(null, null, null);
    }

    /** The file, if the traffic came from one. */
    public Optional<Path> fileIfAny() {
        return Optional.ofNullable(file);
    }

    /** A copy with another file. */
    public MessageContext withFile(Path newFile) {
        return new MessageContext(newFile, captureLoss, kernelEvidence);
    }

    /** A copy with capture loss stated by {@code sentence}. */
    public MessageContext withCaptureLoss(String sentence) {
        return new MessageContext(file, Objects.requireNonNull(sentence, "sentence"), kernelEvidence);
    }

    /** A copy saying kernel evidence is missing, for the reason in {@code sentence}. */
    public MessageContext withKernelEvidenceMissing(String sentence) {
        return new MessageContext(file, captureLoss, Objects.requireNonNull(sentence, "sentence"));
    }
}
