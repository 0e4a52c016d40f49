package io.github.pcapunit.core;

/**
 * The process may not open a capture here (libpcap's {@code PCAP_ERROR_PERM}). The message says
 * what to grant: run as root, or give the {@code java} binary {@code CAP_NET_RAW} and
 * {@code CAP_NET_ADMIN}.
 */
public class CaptureNotPermittedException extends CaptureException {

    private static final long serialVersionUID = 1L;

    /** A refusal explained by {@code message}. */
    public CaptureNotPermittedException(String message) {
        super(message);
    }

    /** A refusal explained by {@code message}, reported by {@code cause}. */
    public CaptureNotPermittedException(String message, Throwable cause) {
        super(message, cause);
    }
}
