package io.github.pcapunit.core.capture.internal;

import io.github.pcapunit.core.EngineTools;
import io.github.pcapunit.testing.NetLab;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For test classes that capture in lab namespaces: skips the class where the lab or a capture
 * cannot run (not root, no {@code ip}/{@code nft}, no libpcap), and closes the capture handles
 * parked for reuse ({@link HandlePool}) after each test, so a test's handle counts and open
 * descriptors are its own.
 *
 * <pre>{@code
 * @ExtendWith(LabCaptures.class)
 * class HandlePoolNamespaceTest {
 *     @TempDir
 *     Path dir;
 *     ...
 * }
 * }</pre>
 */
final class LabCaptures implements BeforeAllCallback, AfterEachCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        NetLab.assumeAvailable();
        EngineTools.assumeCapture();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        HandlePool.closeAll();
    }
}
