package io.github.pcapunit.core.capture.internal.kernel;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Prints the bpftrace program pcapunit runs on this kernel (for scripts/bench-kernel-evidence.sh
 * {@code attach}): with the BTF offsets, or with {@code cast} the fallback that casts to the
 * kernel structs; with {@code nocontrol} (after either) the program without the kernel's
 * namespace filter and its {@code lseek} control probe, as before the kfilt round.
 */
public final class BpfProgramText {

    private BpfProgramText() {
    }

    /** {@code [cast] [nocontrol]}: the program text on stdout. */
    public static void main(String[] args) throws Exception {
        DropReasons reasons = DropReasons.parse(Files.readString(Tracefs.root().orElseThrow()
                .resolve("events/skb/kfree_skb/format")));
        BpfProgram.Offsets offsets = args.length > 0 && args[0].equals("cast") ? null
                : BpfProgram.Offsets.read(Btf.read(BpfRecorder.BTF)).orElseThrow();
        boolean noControl = java.util.List.of(args).contains("nocontrol");
        System.out.print((noControl ? BpfProgram.of(reasons, offsets, 0) : BpfProgram.of(reasons, offsets)).text());
    }
}
