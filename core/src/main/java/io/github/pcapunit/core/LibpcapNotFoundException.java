package io.github.pcapunit.core;

/**
 * libpcap (or Npcap on Windows) could not be loaded. The message says which package to install
 * and how to point pcapunit at a library in an unusual place
 * ({@code -Dorg.pcap4j.core.pcapLibName=/path/to/libpcap.so}).
 */
public class LibpcapNotFoundException extends CaptureException {

    private static final long serialVersionUID = 1L;

    /** A missing library, explained by {@code message}; {@code cause} is the loader's error. */
    public LibpcapNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
