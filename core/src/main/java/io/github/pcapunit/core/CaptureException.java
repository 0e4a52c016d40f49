package io.github.pcapunit.core;

import io.github.pcapunit.core.capture.Capture;

/**
 * Base type of every exception pcapunit throws. Unchecked: a capture that cannot be made is a
 * configuration or environment problem the caller fixes, not a condition code recovers from.
 *
 * <p>Subclasses name the conditions a caller can act on:
 * {@link CaptureNotPermittedException}, {@link InvalidFilterException},
 * {@link PcapFormatException}, {@link LibpcapNotFoundException},
 * {@link UnknownInterfaceException}.
 *
 * <pre>{@code
 * try (Capture capture = Capture.start(spec)) {
 *     ...
 * } catch (CaptureNotPermittedException e) {
 *     // e.getMessage() says what to grant
 * }
 * }</pre>
 */
public class CaptureException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A failure with a message that says what went wrong and how to fix it. */
    public CaptureException(String message) {
        super(message);
    }

    /** A failure caused by {@code cause}, which is always kept. */
    public CaptureException(String message, Throwable cause) {
        super(message, cause);
    }
}
