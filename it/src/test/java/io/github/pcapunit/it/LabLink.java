package io.github.pcapunit.it;

import io.github.pcapunit.testing.JvmLink;
import io.github.pcapunit.testing.NetLab;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh lab namespace linked to the JVM for each test, removed after it (also when it fails);
 * skips the test with the reason when the machine cannot build one (not root).
 *
 * <pre>{@code
 * @RegisterExtension
 * final LabLink sink = new LabLink("sink");
 * ... sink.link().host().address() ... sink.output("flood.pcapng") ...
 * }</pre>
 */
final class LabLink implements BeforeEachCallback, AfterEachCallback {

    private final String role;
    private NetLab lab;
    private JvmLink link;
    private java.nio.file.Path output;

    LabLink(String role) {
        this.role = role;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        NetLab.assumeAvailable();
        lab = NetLab.create();
        link = lab.linkToJvm(role);
        output = java.nio.file.Path.of("target", "pcapunit", context.getRequiredTestClass().getName()).toAbsolutePath();
        try {
            java.nio.file.Files.createDirectories(output);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (lab != null) {
            lab.close();
            lab = null;
        }
    }

    /** A file for this test under {@code target/pcapunit/<TestClass>/} (the directory exists). */
    java.nio.file.Path output(String fileName) {
        return output.resolve(fileName);
    }

    /** This test's link: the JVM's veth end and the lab host behind it. */
    JvmLink link() {
        return link;
    }
}
