package io.github.pcapunit.core;

import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.KernelEvidence;
import java.nio.file.Path;

/** A JVM that starts a capture with kernel evidence, prints its bpftrace's pid and waits to be killed (for BpfRecorderFaultTest). */
public final class BpfRecorderChild {

    private BpfRecorderChild() {
    }

    /** Starts the capture writing {@code args[0]}, prints the pid of its bpftrace child, sleeps. */
    public static void main(String[] args) throws Exception {
        Capture capture = Capture.start(CaptureSpec.builder().interfaces("lo").output(Path.of(args[0]))
                .kernelEvidence(KernelEvidence.REQUIRED).build());
        ProcessHandle bpftrace = ProcessHandle.current().children()
                .filter(p -> p.info().command().map(c -> c.endsWith("bpftrace")).orElse(false)).findFirst()
                .orElseThrow();
        System.out.println(bpftrace.pid());
        System.out.flush();
        Thread.sleep(60_000);
        capture.stop();
    }
}
