package io.github.pcapunit.it;

import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.KernelEvidence;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;

/**
 * A JVM that captures and sends traffic until it is killed: {@code CaptureChild <interface>
 * <lab address> <output.pcapng>}. Prints "capturing" once the capture runs. Used by
 * {@link FaultsIT} to send it SIGTERM or SIGKILL.
 */
public final class CaptureChild {

    private CaptureChild() {
    }

    public static void main(String[] args) throws Exception {
        CaptureSpec spec = CaptureSpec.builder()
                .interfaces(args[0])
                .filter("udp dst port 9")
                .kernelEvidence(KernelEvidence.AUTO)
                .output(Path.of(args[2]))
                .build();
        Capture capture = Capture.start(spec);
        System.out.println("capturing " + capture.file());
        System.out.flush();
        try (DatagramChannel channel = DatagramChannel.open()) {
            channel.connect(new InetSocketAddress(args[1], 9));
            ByteBuffer payload = ByteBuffer.allocate(200);
            while (true) {
                payload.clear();
                try {
                    channel.write(payload);
                } catch (java.io.IOException e) {
                    // port unreachable from the peer: keep sending
                }
                Thread.sleep(2);
            }
        }
    }
}
