package io.github.pcapunit.core;

import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CaptureSpec;

import java.nio.file.Path;

/**
 * Entry point of child JVMs the engine tests start: {@code start <output> <filter>} starts a
 * capture and reports the outcome on stdout; with {@code hold} it keeps capturing until killed.
 */
public final class CaptureChildMain {

    private CaptureChildMain() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        CaptureSpec spec = CaptureSpec.builder().interfaces("lo").filter(args[2]).output(Path.of(args[1])).build();
        try {
            Capture capture = Capture.start(spec);
            System.out.println("STARTED " + capture.file());
            System.out.flush();
            if ("hold".equals(mode)) {
                int port = Integer.parseInt(args[3]);
                EngineTools.sendUdp(port, 50);
                System.out.println("SENT");
                System.out.flush();
                Thread.sleep(600_000);
            }
            capture.stop();
        } catch (CaptureException e) {
            System.out.println("FAILED " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
