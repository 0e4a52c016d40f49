package io.github.pcapunit.core.capture.internal;

import io.github.pcapunit.core.capture.CaptureAvailability;
import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.capture.internal.libpcap.Libpcap;
import io.github.pcapunit.core.capture.internal.libpcap.NativeHandle;

/** Answers {@code CaptureAvailability.check()} once per JVM. */
public final class AvailabilityProbe {

    private static volatile CaptureAvailability result;

    private AvailabilityProbe() {
    }

    /** The cached answer, computed on first use. */
    public static CaptureAvailability result() {
        CaptureAvailability r = result;
        if (r == null) {
            synchronized (AvailabilityProbe.class) {
                r = result;
                if (r == null) {
                    r = probe();
                    result = r;
                }
            }
        }
        return r;
    }

    private static CaptureAvailability probe() {
        try {
            String version = Libpcap.version();
            NativeHandle.probeLoopback();
            return CaptureAvailability.available("capture available: " + version);
        } catch (CaptureException e) {
            return CaptureAvailability.unavailable(e);
        } catch (LinkageError e) {
            // e.g. JNA missing when the loopback probe opens a handle: the real cause, not a hint
            return CaptureAvailability.unavailable(Libpcap.notLoaded(e, System.getProperty("org.pcap4j.core.pcapLibName")));
        }
    }
}
