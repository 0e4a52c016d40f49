package io.github.pcapunit.core.capture.internal.libpcap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * Keeps SLF4J's "no binding" notice out of a user's console. pcap4j logs through SLF4J, so the
 * first pcap4j class initialised also initialises SLF4J; in a build with no binding, SLF4J 1.7
 * then prints {@code SLF4J: Failed to load class "org.slf4j.impl.StaticLoggerBinder"} and 2.x
 * {@code SLF4J(W): No SLF4J providers were found.} (three lines each) on every test run, from a
 * logger the user never chose. Call {@link #initialise()} before touching pcap4j:
 *
 * <pre>{@code
 * QuietSlf4j.initialise();   // once per JVM; later calls return at once
 * Pcaps.libVersion();        // pcap4j's loggers now find SLF4J initialised
 * }</pre>
 *
 * <p>It acts only when nothing is bound: no 1.7 {@code org/slf4j/impl/StaticLoggerBinder.class},
 * no 2.x {@code META-INF/services/org.slf4j.spi.SLF4JServiceProvider} and no
 * {@code -Dslf4j.provider}, looked up through the class loader of {@code LoggerFactory} exactly
 * as SLF4J does. Then it initialises SLF4J (to its no-operation logger, as pcap4j would) while the
 * stream SLF4J reports to drops exactly the notice's lines; any other line passes. With a
 * binding, SLF4J is left to initialise itself whenever it is first used, so its own warnings
 * (e.g. multiple bindings) still reach the user. The one cost: a user whose own code logs
 * through SLF4J without a binding no longer sees the notice either, when pcapunit came first.
 *
 * <p>Neither property SLF4J offers fits: 1.7 has no switch for the notice, and 2.0.10+'s
 * {@code slf4j.internal.verbosity} would have to be set for the whole JVM (it is read once).
 */
final class QuietSlf4j {

    private static final String LOGGER_FACTORY = "org.slf4j.LoggerFactory";
    /** SLF4J 1.7's binding class and SLF4J 2.x's provider service file. */
    private static final String BINDER_1_7 = "org/slf4j/impl/StaticLoggerBinder.class";
    private static final String PROVIDERS_2 = "META-INF/services/org.slf4j.spi.SLF4JServiceProvider";
    private static final String PROVIDER_PROPERTY = "slf4j.provider";
    /** SLF4J 2.0.10+ reports to System.out when this names it. */
    private static final String REPORT_STREAM_PROPERTY = "slf4j.internal.report.stream";

    private static boolean done;

    private QuietSlf4j() {
    }

    /**
     * Initialises SLF4J without its "no binding" notice when no binding is on the class path;
     * does nothing when one is, when SLF4J is missing (pcap4j's own failure then names it) or
     * after the first call.
     */
    static synchronized void initialise() {
        if (done) {
            return;
        }
        done = true;
        Class<?> factory;
        try {
            factory = Class.forName(LOGGER_FACTORY, false, QuietSlf4j.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return;
        }
        ClassLoader loader = factory.getClassLoader() != null ? factory.getClassLoader()
                : ClassLoader.getSystemClassLoader();
        if (bindingPresent(loader, System.getProperties())) {
            return;
        }
        boolean toStdout = reportsToStdout(System.getProperties());
        PrintStream original = toStdout ? System.out : System.err;
        PrintStream quiet = new PrintStream(new NoticeFilter(original), true, charsetOf(toStdout));
        set(toStdout, quiet);
        try {
            factory.getMethod("getILoggerFactory").invoke(null);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            // pcap4j meets the same failure right after this and Libpcap reports it with its cause
        } finally {
            quiet.flush();
            if ((toStdout ? System.out : System.err) == quiet) {
                set(toStdout, original);
            }
        }
    }

    /** Whether SLF4J, looking through {@code loader}, would find a 1.7 binding or a 2.x provider. */
    static boolean bindingPresent(ClassLoader loader, Properties properties) {
        String provider = properties.getProperty(PROVIDER_PROPERTY);
        if (provider != null && !provider.isBlank()) {
            return true;
        }
        try {
            return loader.getResources(BINDER_1_7).hasMoreElements()
                    || loader.getResources(PROVIDERS_2).hasMoreElements();
        } catch (IOException e) {
            return true; // cannot tell: leave SLF4J to speak for itself
        }
    }

    /** Whether SLF4J 2.0.10+ reports to System.out (its {@code slf4j.internal.report.stream}). */
    static boolean reportsToStdout(Properties properties) {
        String stream = properties.getProperty(REPORT_STREAM_PROPERTY, "");
        return stream.equalsIgnoreCase("System.out") || stream.equalsIgnoreCase("stdout")
                || stream.equalsIgnoreCase("sysout");
    }

    /**
     * Whether {@code line} belongs to SLF4J's "no binding" notice, 1.7's or 2.x's, e.g.
     * {@code SLF4J: Defaulting to no-operation (NOP) logger implementation}.
     */
    static boolean isNotice(String line) {
        String message;
        if (line.startsWith("SLF4J: ")) {
            message = line.substring("SLF4J: ".length());
        } else if (line.startsWith("SLF4J(") && line.indexOf("): ") == "SLF4J(W".length()) {
            message = line.substring("SLF4J(W): ".length());
        } else {
            return false;
        }
        return message.startsWith("Failed to load class \"org.slf4j.impl.StaticLoggerBinder\"")
                || message.startsWith("No SLF4J providers were found")
                || message.startsWith("Defaulting to no-operation (NOP) logger implementation")
                || message.contains("codes.html#StaticLoggerBinder")
                || message.contains("codes.html#noProviders");
    }

    private static void set(boolean stdout, PrintStream stream) {
        if (stdout) {
            System.setOut(stream);
        } else {
            System.setErr(stream);
        }
    }

    /**
     * The encoding of System.out/err as far as Java 17 tells it (PrintStream.charset() is 18+):
     * only lines another thread prints during the swap are re-encoded with it.
     */
    private static Charset charsetOf(boolean stdout) {
        String name = System.getProperty(stdout ? "stdout.encoding" : "stderr.encoding",
                System.getProperty(stdout ? "sun.stdout.encoding" : "sun.stderr.encoding"));
        try {
            return name == null ? Charset.defaultCharset() : Charset.forName(name);
        } catch (IllegalArgumentException e) {
            return Charset.defaultCharset();
        }
    }

    /** Passes whole lines to the original stream, except the notice's; flush passes a partial line. */
    static final class NoticeFilter extends OutputStream {

        private final OutputStream target;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        NoticeFilter(OutputStream target) {
            this.target = target;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            line.write(b);
            if (b == '\n') {
                emit();
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        @Override
        public synchronized void flush() throws IOException {
            if (line.size() > 0) {
                line.writeTo(target);
                line.reset();
            }
            target.flush();
        }

        private void emit() throws IOException {
            // The notice is ASCII: decoding bytes one to one is enough to recognise it.
            String text = line.toString(StandardCharsets.ISO_8859_1).stripTrailing();
            if (!isNotice(text)) {
                line.writeTo(target);
            }
            line.reset();
        }
    }
}
