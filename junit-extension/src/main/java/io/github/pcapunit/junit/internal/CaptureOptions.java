package io.github.pcapunit.junit.internal;

import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.junit.Keep;
import io.github.pcapunit.junit.OnUnavailable;
import io.github.pcapunit.junit.Scope;
import java.util.List;

/**
 * What the user wrote, before configuration parameters fill the gaps: from a
 * {@code @CaptureTraffic} annotation or from the extension builder. {@code null} means "not
 * said", so the configuration parameter or the built-in default applies.
 *
 * @param origin how error messages name the place the options came from
 * @param filter BPF text, empty for everything
 * @param interfaces interface names, empty for the engine's default
 * @param snaplen bytes per packet, 0 for the engine's default
 * @param headersOnly keep headers only
 * @param keep keep policy, or null
 * @param outputDirectory output directory, or null
 * @param kernelEvidence kernel evidence mode, or null
 * @param onUnavailable behaviour when capture is impossible, or null
 * @param scope one file per test or per class, or null
 * @param explainFirewall nft match of explain mode, empty for off
 * @param explainNamespaces namespaces explain mode also traces
 */
public record CaptureOptions(
        Origin origin,
        String filter,
        List<String> interfaces,
        int snaplen,
        boolean headersOnly,
        Keep keep,
        String outputDirectory,
        KernelEvidence kernelEvidence,
        OnUnavailable onUnavailable,
        Scope scope,
        String explainFirewall,
        List<String> explainNamespaces) {

    /** Copies the lists so the record stays immutable. */
    public CaptureOptions {
        interfaces = List.copyOf(interfaces);
        filter = filter == null ? "" : filter;
        explainFirewall = explainFirewall == null ? "" : explainFirewall;
        explainNamespaces = List.copyOf(explainNamespaces);
    }

    /**
     * How messages name one attribute with its value, e.g.
     * {@code @CaptureTraffic(snaplen = -1)} or {@code CaptureTrafficExtension.builder().snaplen(-1)}.
     */
    public interface Origin {
        /** The attribute and its value as the user wrote them. */
        String describe(String attribute, String valueLiteral);

        /** The origin of annotation attributes. */
        Origin ANNOTATION = (attribute, value) -> "@CaptureTraffic(" + attribute + " = " + value + ")";

        /** The origin of builder options. */
        Origin BUILDER = (attribute, value) -> "CaptureTrafficExtension.builder()." + attribute + "(" + value + ")";
    }
}
