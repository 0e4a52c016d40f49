package io.github.pcapunit.core.capture;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.CaptureNotPermittedException;
import io.github.pcapunit.core.LibpcapNotFoundException;

import io.github.pcapunit.core.capture.internal.AvailabilityProbe;

/**
 * Whether this process can capture packets here, and if not, why, in one sentence that says what
 * to do. Checked once per JVM by loading libpcap and briefly opening a capture on the loopback
 * interface.
 *
 * <pre>{@code
 * CaptureAvailability availability = CaptureAvailability.check();
 * if (!availability.isAvailable()) {
 *     System.err.println("skipping: " + availability.reason());
 * }
 * }</pre>
 */
public final class CaptureAvailability {

    private final boolean available;
    private final String reason;
    private final CaptureException failure;

    private CaptureAvailability(boolean available, String reason, CaptureException failure) {
        this.available = available;
        this.reason = reason;
        this.failure = failure;
    }

    /** Checks (once per JVM; later calls return the same answer). */
    public static CaptureAvailability check() {
        return AvailabilityProbe.result();
    }

    /** An available result; used by the engine. */
    public static CaptureAvailability available(String reason) {
        return new CaptureAvailability(true, reason, null);
    }

    /** An unavailable result carrying the exception a capture would throw; used by the engine. */
    public static CaptureAvailability unavailable(CaptureException failure) {
        return new CaptureAvailability(false, failure.getMessage(), failure);
    }

    /** Whether captures can start here. */
    public boolean isAvailable() {
        return available;
    }

    /**
     * One sentence: "capture available: libpcap 1.10.3, root" or the reason it is not and the fix,
     * e.g. "capture not permitted: ... (run as root or grant CAP_NET_RAW,CAP_NET_ADMIN)".
     */
    public String reason() {
        return reason;
    }

    /**
     * Throws the exception a capture would throw here ({@link CaptureNotPermittedException},
     * {@link LibpcapNotFoundException}); does nothing when capture is available.
     */
    public void orThrow() {
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return reason;
    }
}
