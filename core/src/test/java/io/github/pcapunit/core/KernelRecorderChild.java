package io.github.pcapunit.core;

import io.github.pcapunit.core.capture.internal.kernel.KernelRecorder;

/** A JVM that starts a kernel recorder, prints its instance and waits to be killed (for KernelRecorderFaultTest). */
public final class KernelRecorderChild {

    private KernelRecorderChild() {
    }

    /** Starts recording, prints the instance directory, sleeps. */
    public static void main(String[] args) throws Exception {
        KernelRecorder recorder = KernelRecorder.start();
        System.out.println(recorder.instance());
        System.out.flush();
        Thread.sleep(60_000);
    }
}
