package io.github.pcapunit.junit.internal;

import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.junit.Keep;
import io.github.pcapunit.junit.OnUnavailable;
import io.github.pcapunit.junit.Scope;
import java.nio.file.Path;
import java.util.List;

/**
 * Options after configuration parameters and defaults filled the gaps, validated.
 *
 * @param options what the user wrote (kept for error messages)
 * @param filter BPF text, empty for everything
 * @param interfaces interface names, empty for the engine's default
 * @param snaplen bytes per packet, 0 for the engine's default
 * @param headersOnly keep headers only
 * @param keep keep policy
 * @param outputDirectory existing, writable output directory
 * @param kernelEvidence kernel evidence mode
 * @param onUnavailable behaviour when capture is impossible
 * @param scope one file per test or per class
 * @param explainFirewall nft match of explain mode, empty for off
 * @param explainNamespaces namespaces explain mode also traces
 */
public record CaptureSettings(
        CaptureOptions options,
        String filter,
        List<String> interfaces,
        int snaplen,
        boolean headersOnly,
        Keep keep,
        Path outputDirectory,
        KernelEvidence kernelEvidence,
        OnUnavailable onUnavailable,
        Scope scope,
        String explainFirewall,
        List<String> explainNamespaces) {

    /** Copies the lists so the record stays immutable. */
    public CaptureSettings {
        interfaces = List.copyOf(interfaces);
        explainNamespaces = List.copyOf(explainNamespaces);
    }

    /** Whether a test with this outcome keeps its file. */
    public boolean keeps(TestOutcome outcome) {
        switch (keep) {
            case ALWAYS:
                return true;
            case NEVER:
                return false;
            default:
                return outcome.failed();
        }
    }

    /** The key of the shared capture these settings can use: same interfaces, filter, snaplen, evidence. */
    public String sharedCaptureKey() {
        return interfaces + "|" + filter + "|" + snaplen + "|" + headersOnly + "|" + kernelEvidence + "|"
                + explainFirewall + "|" + explainNamespaces;
    }
}
