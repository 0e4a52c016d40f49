package io.github.pcapunit.core;

import java.util.List;

/**
 * A capture was asked for on an interface this machine does not have. {@link #available()}
 * lists the ones it does, and the message repeats them.
 */
public class UnknownInterfaceException extends CaptureException {

    private static final long serialVersionUID = 1L;

    private final String requested;
    private final List<String> available;

    /**
     * An unknown interface.
     *
     * @param requested the name asked for
     * @param available the names libpcap offers here
     * @param message the whole message, naming both
     */
    public UnknownInterfaceException(String requested, List<String> available, String message) {
        super(message);
        this.requested = requested;
        this.available = List.copyOf(available);
    }

    /** The interface name that was asked for. */
    public String requested() {
        return requested;
    }

    /** The interface names available on this machine. */
    public List<String> available() {
        return available;
    }
}
