package io.github.pcapunit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Test helpers for the file IO tests: run tshark & co, write classic pcap files by hand. */
public final class PcapTools {

    private PcapTools() {
    }

    /** Runs a command, fails the test on a non-zero exit, returns stdout lines. */
    public static List<String> run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", Arrays.toString(cmd)).isTrue();
            assertThat(p.exitValue()).as("exit of %s; stderr: %s", Arrays.toString(cmd),
                    new String(err, StandardCharsets.UTF_8)).isZero();
            String s = new String(out, StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>(Arrays.asList(s.split("\n", -1)));
            if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
                lines.remove(lines.size() - 1);
            }
            return lines;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + Arrays.toString(cmd), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** tshark -r file -T fields -e f1 -e f2 ..., one line per frame. */
    public static List<String> tsharkFields(Path file, String... fields) {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString(), "-T", "fields",
                "-E", "separator=|", "-E", "occurrence=a", "-E", "aggregator=;"));
        for (String f : fields) {
            cmd.add("-e");
            cmd.add(f);
        }
        return run(cmd.toArray(new String[0]));
    }

    /**
     * "1700000000.123456789" (tshark frame.time_epoch) to epoch nanoseconds, exactly.
     */
    public static long epochNanos(String s) {
        if (s.isBlank()) {
            return Long.MIN_VALUE; // tshark prints nothing for a packet without timestamp
        }
        String[] parts = s.trim().split("\\.");
        long secs = Long.parseLong(parts[0]);
        String frac = parts.length > 1 ? (parts[1] + "000000000").substring(0, 9) : "0";
        return secs * 1_000_000_000L + Long.parseLong(frac);
    }

    /** A tiny classic pcap writer in either byte order, for big-endian and odd-magic fixtures. */
    public static byte[] classicPcap(ByteOrder order, boolean nanos, int linkType, int snaplen,
            long[] tsNanos, byte[][] frames, int[] originalLengths) {
        int size = 24;
        for (byte[] f : frames) {
            size += 16 + f.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(order);
        b.putInt(nanos ? 0xA1B23C4D : 0xA1B2C3D4).putShort((short) 2).putShort((short) 4)
                .putInt(0).putInt(0).putInt(snaplen).putInt(linkType);
        for (int i = 0; i < frames.length; i++) {
            long secs = Math.floorDiv(tsNanos[i], 1_000_000_000L);
            long sub = Math.floorMod(tsNanos[i], 1_000_000_000L);
            b.putInt((int) secs).putInt((int) (nanos ? sub : sub / 1000))
                    .putInt(frames[i].length).putInt(originalLengths[i]).put(frames[i]);
        }
        return b.array();
    }

    /** A minimal Ethernet/IPv4/UDP frame of {@code size} bytes (>= 42) to 127.0.0.1. */
    public static byte[] udpFrame(int size, int seq) {
        byte[] f = new byte[size];
        ByteBuffer b = ByteBuffer.wrap(f);
        b.put(new byte[12]).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (size - 14)).putShort((short) seq)
                .putShort((short) 0).put((byte) 64).put((byte) 17).putShort((short) 0)
                .putInt(0x7F000001).putInt(0x7F000001);
        b.putShort((short) 40000).putShort((short) 9).putShort((short) (size - 34)).putShort((short) 0);
        for (int i = 42; i < size; i++) {
            f[i] = (byte) (i + seq);
        }
        return f;
    }

    public static Path write(Path file, byte[] bytes) {
        try {
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Hand-made pcapng blocks in either byte order, for fixtures our writer never produces. */
    public static final class Blocks {
        private final ByteOrder order;
        private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        private ByteBuffer body;

        Blocks(ByteOrder order) {
            this.order = order;
        }

        Blocks begin() {
            body = ByteBuffer.allocate(1 << 16).order(order);
            return this;
        }

        Blocks u16(int v) {
            body.putShort((short) v);
            return this;
        }

        Blocks u32(long v) {
            body.putInt((int) v);
            return this;
        }

        Blocks u64(long v) {
            body.putLong(v);
            return this;
        }

        Blocks bytes(byte[] b) {
            body.put(b);
            while (body.position() % 4 != 0) {
                body.put((byte) 0);
            }
            return this;
        }

        Blocks opt(int code, byte[] value) {
            u16(code).u16(value.length);
            return bytes(value);
        }

        Blocks opt(int code, String value) {
            return opt(code, value.getBytes(StandardCharsets.UTF_8));
        }

        Blocks endOpts() {
            return u32(0);
        }

        Blocks end(int type) {
            int len = 12 + body.position();
            ByteBuffer b = ByteBuffer.allocate(len).order(order);
            b.putInt(type).putInt(len).put(body.array(), 0, body.position()).putInt(len);
            out.write(b.array(), 0, len);
            return this;
        }

        /** SHB with version 1.0, unknown section length, optional comment. */
        Blocks shb(String comment) {
            begin().u32(0x1A2B3C4D).u16(1).u16(0).u64(-1);
            if (comment != null) {
                opt(1, comment).endOpts();
            }
            return end(0x0A0D0D0A);
        }

        Blocks idb(int linkType, int snaplen, String name, int tsresol) {
            begin().u16(linkType).u16(0).u32(snaplen).opt(2, name);
            if (tsresol >= 0) {
                opt(9, new byte[] {(byte) tsresol});
            }
            return endOpts().end(1);
        }

        Blocks epb(int ifId, long units, byte[] data, int origLen, Integer flags) {
            begin().u32(ifId).u32(units >>> 32).u32(units).u32(data.length).u32(origLen).bytes(data);
            if (flags != null) {
                ByteBuffer f = ByteBuffer.allocate(4).order(order).putInt(flags);
                opt(2, f.array()).endOpts();
            }
            return end(6);
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
