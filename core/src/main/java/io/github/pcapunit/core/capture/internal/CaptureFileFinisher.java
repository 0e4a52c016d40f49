package io.github.pcapunit.core.capture.internal;

import java.nio.file.Path;
import java.util.List;

/**
 * Finishes each pcapng the engine writes for a caller (a capture's file, a shared capture's
 * slice; never a snapshot read inside a test): e.g. the kernel package comments the packets a
 * drop record refers to. Listed in
 * {@code META-INF/services/io.github.pcapunit.core.capture.internal.CaptureFileFinisher}; see
 * {@link CaptureSidecars#finishers()}.
 */
public interface CaptureFileFinisher {

    /**
     * Finishes {@code pcapng}, just written with journal {@code entries}. Must keep the file valid
     * and within {@code maxFileSize} bytes (0: no cap), and never throw.
     */
    void finish(Path pcapng, List<JournalFields> entries, long maxFileSize);
}
