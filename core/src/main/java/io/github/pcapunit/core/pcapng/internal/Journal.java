package io.github.pcapunit.core.pcapng.internal;

import io.github.pcapunit.core.pcapng.JournalEntry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/** systemd journal export format, one entry per block. */
final class Journal {

    private Journal() {
    }

    static byte[] encode(JournalEntry e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, e.timestamp());
        writeText(out, JournalEntry.REALTIME_TIMESTAMP, Long.toString(micros));
        for (Map.Entry<String, String> f : e.fields().entrySet()) {
            String v = f.getValue();
            if (needsBinary(v)) {
                byte[] k = f.getKey().getBytes(StandardCharsets.UTF_8);
                byte[] d = v.getBytes(StandardCharsets.UTF_8);
                out.write(k, 0, k.length);
                out.write('\n');
                long n = d.length;
                for (int i = 0; i < 8; i++) {
                    out.write((int) (n >>> (8 * i)) & 0xFF);
                }
                out.write(d, 0, d.length);
                out.write('\n');
            } else {
                writeText(out, f.getKey(), v);
            }
        }
        return out.toByteArray();
    }

    private static void writeText(ByteArrayOutputStream out, String k, String v) {
        byte[] line = (k + "=" + v + "\n").getBytes(StandardCharsets.UTF_8);
        out.write(line, 0, line.length);
    }

    private static boolean needsBinary(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\n' || (c < 0x20 && c != '\t')) {
                return true;
            }
        }
        return false;
    }

    /**
     * Parses one export-format entry from {@code b[off, off+len)}; trailing NUL padding and a
     * terminating blank line end it.
     *
     * @return the entry, or an error message (String) naming the relative offset of the problem
     */
    static Object decode(byte[] b, int off, int len) {
        int end = off + len;
        while (end > off && b[end - 1] == 0) {
            end--;
        }
        JournalEntry.Builder builder = null;
        java.util.LinkedHashMap<String, String> fields = new java.util.LinkedHashMap<>();
        long micros = Long.MIN_VALUE;
        int p = off;
        while (p < end) {
            if (b[p] == '\n') {
                break; // blank line: end of entry
            }
            int lineEnd = p;
            int eq = -1;
            while (lineEnd < end && b[lineEnd] != '\n') {
                if (eq < 0 && b[lineEnd] == '=') {
                    eq = lineEnd;
                }
                lineEnd++;
            }
            String key;
            String value;
            if (eq >= 0) {
                key = new String(b, p, eq - p, StandardCharsets.UTF_8);
                value = new String(b, eq + 1, lineEnd - eq - 1, StandardCharsets.UTF_8);
                p = lineEnd + 1;
            } else {
                key = new String(b, p, lineEnd - p, StandardCharsets.UTF_8);
                int q = lineEnd + 1;
                if (q + 8 > end) {
                    return "binary field " + key + " at byte " + (p - off) + " has no 8-byte length";
                }
                long n = 0;
                for (int i = 7; i >= 0; i--) {
                    n = (n << 8) | (b[q + i] & 0xFF);
                }
                q += 8;
                if (n < 0 || n > end - q) {
                    return "binary field " + key + " at byte " + (p - off) + " claims " + n
                            + " bytes but only " + (end - q) + " remain";
                }
                value = new String(b, q, (int) n, StandardCharsets.UTF_8);
                p = q + (int) n + 1;
            }
            if (JournalEntry.REALTIME_TIMESTAMP.equals(key)) {
                try {
                    micros = Long.parseLong(value.trim());
                } catch (NumberFormatException e) {
                    return "__REALTIME_TIMESTAMP '" + value + "' is not a number";
                }
                if (micros < 0 || micros > Long.MAX_VALUE / 1000) {
                    return "__REALTIME_TIMESTAMP " + micros + " is outside 1970..2262";
                }
            } else {
                fields.put(key, value);
            }
        }
        if (micros == Long.MIN_VALUE) {
            micros = 0;
        }
        builder = JournalEntry.builder(Instant.EPOCH.plus(micros, ChronoUnit.MICROS));
        for (Map.Entry<String, String> f : fields.entrySet()) {
            try {
                builder.field(f.getKey(), f.getValue());
            } catch (IllegalArgumentException e) {
                return "field name '" + f.getKey() + "' is not a journal field name";
            }
        }
        return builder.build();
    }
}
