package io.github.pcapunit.core.pcapng.internal;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.PcapFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Adds comments to packets of a pcapng file by frame number, rewriting it atomically. */
public final class FrameAnnotator {

    private FrameAnnotator() {
    }

    public static int annotate(Path file, Map<Long, List<String>> byFrame) {
        TreeMap<Long, List<byte[]>> wanted = new TreeMap<>();
        for (Map.Entry<Long, List<String>> e : byFrame.entrySet()) {
            if (e.getKey() == null || e.getKey() < 1) {
                throw new IllegalArgumentException("frame number " + e.getKey()
                        + " is invalid; frames are numbered from 1 as Wireshark shows them");
            }
            List<byte[]> cs = new ArrayList<>();
            for (String c : e.getValue()) {
                byte[] b = c.getBytes(StandardCharsets.UTF_8);
                if (b.length > 0xFFFF) {
                    throw new IllegalArgumentException("comment for frame " + e.getKey() + " is "
                            + b.length + " bytes; pcapng comments hold at most 65535, shorten it");
                }
                cs.add(b);
            }
            wanted.put(e.getKey(), cs);
        }
        if (wanted.isEmpty()) {
            return 0;
        }
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        RecordCursor opened = RecordCursor.open(file);
        if (!(opened instanceof PcapngCursor)) {
            opened.close();
            throw new PcapFormatException(file + " is a classic pcap file (byte offset 0), which"
                    + " has no comments; convert it with PcapConversion first", 0, -1);
        }
        PcapngCursor in = (PcapngCursor) opened;
        BlockWriter w = null;
        try {
            tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try {
                // createTempFile makes it owner-only; keep the original's permissions
                Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(file));
            } catch (UnsupportedOperationException notPosix) {
                // other file systems keep their defaults
            }
            w = BlockWriter.toFile(tmp);
            Set<Long> done = new HashSet<>();
            long lastFrame = 0;
            while (in.nextRawBlock()) {
                if (in.bigEndian()) {
                    throw new PcapFormatException(file + ": the section at byte offset " + in.recordOffset()
                            + " is big endian; adding comments supports little-endian pcapng only"
                            + " (rewrite it with editcap -F pcapng first)", in.recordOffset(), in.recordType());
                }
                long frame = in.frameNumber();
                boolean frameBlock = frame != lastFrame;
                lastFrame = frame;
                List<byte[]> comments = frameBlock ? wanted.get(frame) : null;
                if (comments == null) {
                    w.writeRaw(in.array(), in.blockStart(), in.blockLength());
                    continue;
                }
                if (in.recordType() != Pcapng.EPB) {
                    throw new IllegalArgumentException("frame " + frame + " is a "
                            + Pcapng.blockName(in.recordType()) + ", not an Enhanced Packet Block;"
                            + " only packets can be given comments");
                }
                writeAnnotated(w, in, comments);
                done.add(frame);
            }
            for (Long f : wanted.keySet()) {
                if (!done.contains(f)) {
                    throw new IllegalArgumentException("frame " + f + " does not exist; " + file
                            + " has " + in.frameNumber() + " frame(s)");
                }
            }
            w.close();
            in.close();
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
            return done.size();
        } catch (IOException e) {
            CaptureException failure = new CaptureException("cannot rewrite " + file + " with comments: " + e, e);
            if (w != null) {
                w.closeQuietly(failure);
            }
            throw failure;
        } catch (RuntimeException e) {
            if (w != null) {
                w.closeQuietly(e);
            }
            throw e;
        } finally {
            in.close();
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the original file is untouched; a stray temp file is the lesser evil
                }
            }
        }
    }

    /** Re-encodes the current EPB with its existing options followed by {@code comments}. */
    private static void writeAnnotated(BlockWriter w, PcapngCursor in, List<byte[]> comments) {
        byte[] a = in.array();
        int s = in.blockStart();
        int optStart = in.optionsStart();
        int optEnd = optStart;
        int end = in.optionsEnd();
        while (optEnd + 4 <= end) {
            int code = (short) BlockWriter.I16.get(a, optEnd) & 0xFFFF;
            int len = (short) BlockWriter.I16.get(a, optEnd + 2) & 0xFFFF;
            if (code == 0) {
                break;
            }
            optEnd += 4 + BlockWriter.pad4(len);
        }
        int added = 0;
        for (byte[] c : comments) {
            added += 4 + BlockWriter.pad4(c.length);
        }
        int total = (optStart - s) + (optEnd - optStart) + added + 4 + 4;
        byte[] block = new byte[total];
        System.arraycopy(a, s, block, 0, optStart - s);
        System.arraycopy(a, optStart, block, optStart - s, optEnd - optStart);
        int p = optEnd - s;
        for (byte[] c : comments) {
            BlockWriter.I16.set(block, p, (short) Pcapng.OPT_COMMENT);
            BlockWriter.I16.set(block, p + 2, (short) c.length);
            System.arraycopy(c, 0, block, p + 4, c.length);
            p += 4 + BlockWriter.pad4(c.length);
        }
        p += 4; // opt_endofopt (zeros)
        BlockWriter.I32.set(block, 4, total);
        BlockWriter.I32.set(block, p, total);
        w.writeRaw(block, 0, total);
    }
}
