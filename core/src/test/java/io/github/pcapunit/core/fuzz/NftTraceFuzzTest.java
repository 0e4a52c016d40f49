package io.github.pcapunit.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.pcapunit.core.capture.internal.kernel.NftExplain;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.List;

/**
 * Fuzz target for the {@code nft monitor trace} parser: any sequence of monitor lines gives
 * drop verdicts (or none) without throwing - an exception would end the monitor's reader
 * thread and lose every later verdict - and each verdict's journal fields and line are
 * well-formed.
 *
 * <p>The parser runs on an explain session built without nft (no table, no monitor process);
 * its namespace does not exist, so the rule look-up of an "unknown rule handle" line fails at
 * once instead of reading this machine's ruleset.
 *
 * <pre>
 * JAZZER_FUZZ=1 ./mvnw -B -pl core test-compile surefire:test@fuzz -Dpcapunit.fuzz.targets=NftTraceFuzzTest
 * </pre>
 */
class NftTraceFuzzTest {

    private static final Constructor<NftExplain> SESSION;
    private static final Method ACCEPT;

    static {
        try {
            SESSION = NftExplain.class.getDeclaredConstructor(String.class, String.class, Process.class);
            SESSION.setAccessible(true);
            ACCEPT = NftExplain.class.getDeclaredMethod("accept", String.class);
            ACCEPT.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @FuzzTest(maxDuration = "15s")
    void anyMonitorOutput_givesWellFormedVerdictsWithoutThrowing(FuzzedDataProvider data) throws Throwable {
        NftExplain session = SESSION.newInstance("pcapunit-fuzz-no-such-netns", "pcapunit_fuzz", new NoProcess());
        // the monitor's output, line by line as its reader thread reads it
        for (String line : data.consumeRemainingAsString().split("\n", 64)) {
            try {
                ACCEPT.invoke(session, line);
            } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
            }
        }
        List<NftExplain.Verdict> verdicts = session.verdicts();
        for (NftExplain.Verdict v : verdicts) {
            assertThat(v.line()).startsWith("Drop: ");
            v.journalFields().forEach((k, value) -> assertThat(value).as(k).isNotNull());
        }
    }

    /** A monitor that was never started: the parser is fed directly. */
    private static final class NoProcess extends Process {
        @Override
        public OutputStream getOutputStream() {
            return OutputStream.nullOutputStream();
        }

        @Override
        public InputStream getInputStream() {
            return InputStream.nullInputStream();
        }

        @Override
        public InputStream getErrorStream() {
            return InputStream.nullInputStream();
        }

        @Override
        public int waitFor() {
            return 0;
        }

        @Override
        public int exitValue() {
            return 0;
        }

        @Override
        public void destroy() {
        }
    }
}
