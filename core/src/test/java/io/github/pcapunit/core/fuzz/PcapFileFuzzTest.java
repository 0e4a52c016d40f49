package io.github.pcapunit.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.pcapunit.core.PcapFormatException;
import io.github.pcapunit.core.pcapng.PcapReader.RecordKind;
import io.github.pcapunit.core.pcapng.internal.RecordCursor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzz target for the file path of the reader: a fuzzed file read from disk through a read
 * buffer of 64 bytes to 4 KiB (so records straddle refills and larger blocks grow the buffer)
 * must give exactly what the in-memory read of the same bytes gives - the same records, the
 * same truncation point, or a {@link PcapFormatException} at the same offset. The same holds for
 * the bytes gzip-compressed in a {@code .gz} file (decompressed as they are read); and any bytes
 * read as a {@code .gz} file (damaged, cut or bomb-like gzip data) give records or a
 * {@link PcapFormatException}, never another exception.
 *
 * <pre>
 * JAZZER_FUZZ=1 ./mvnw -B -pl core test-compile surefire:test@fuzz -Dpcapunit.fuzz.targets=PcapFileFuzzTest
 * </pre>
 */
class PcapFileFuzzTest {

    @FuzzTest(maxDuration = "15s")
    void fileReadThroughSmallBuffer_readsLikeInMemory(FuzzedDataProvider data) {
        int buffer = data.consumeInt(64, 4096);
        int mode = data.consumeInt(0, 3); // 0, 1: a plain file; 2: the bytes gzip-compressed; 3: the bytes as .gz
        byte[] file = data.consumeRemainingAsBytes();
        if (mode == 3) {
            Path gz = FuzzFiles.write("input.cap.gz", file);
            walk(() -> RecordCursor.open(gz, buffer), Integer.MAX_VALUE); // decompressed offsets have no bound here
            return;
        }
        Path path = mode == 2 ? FuzzFiles.write("input.cap.gz", gzip(file)) : FuzzFiles.write("input.cap", file);
        List<String> fromFile = walk(() -> RecordCursor.open(path, buffer), file.length);
        List<String> inMemory = walk(() -> RecordCursor.of(file), file.length);
        assertThat(fromFile).isEqualTo(inMemory);
    }

    private static byte[] gzip(byte[] bytes) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(bytes.length / 2 + 64);
        try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(out)) {
            z.write(bytes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private interface Opener {
        RecordCursor open();
    }

    /** Every record as one line (kind, offset, time, lengths, bytes), then how the walk ended. */
    private static List<String> walk(Opener opener, int size) {
        List<String> out = new ArrayList<>();
        try (RecordCursor c = opener.open()) {
            for (RecordKind k = c.next(); k != RecordKind.END; k = c.next()) {
                assertThat(out.size() * 12L).isLessThanOrEqualTo(size);
                switch (k) {
                    case PACKET:
                        out.add("packet@" + c.recordOffset() + " t=" + c.timestampNanos() + " if=" + c.interfaceId()
                                + " " + c.capturedLength() + "/" + c.originalLength() + " flags=" + c.flags()
                                + " " + Arrays.hashCode(Arrays.copyOfRange(c.array(), c.payloadOffset(),
                                        c.payloadOffset() + c.capturedLength()))
                                + " " + c.options());
                        break;
                    case JOURNAL:
                        out.add("journal@" + c.recordOffset() + " " + c.journalEntry());
                        break;
                    default:
                        out.add("statistics@" + c.recordOffset() + " " + c.statistics());
                        break;
                }
            }
            out.add("end " + c.truncatedAt() + " " + c.sections().size() + " sections "
                    + c.nameResolutions() + " " + c.decryptionSecrets().size());
        } catch (PcapFormatException e) {
            assertThat(e.offset()).isBetween(0L, (long) size);
            out.add("error@" + e.offset() + " type " + e.blockType());
        }
        return out;
    }
}
