package io.github.pcapunit.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The generated plugin descriptor (what Maven injects, what {@code capture:help} shows) agrees
 * with the code that uses the parameters: every {@code capture:start} option is bound onto
 * core's spec under its own name and property, and every {@code capture:verify} rule parameter
 * is a {@link VerifyRule}. A field added without its binding fails here.
 */
class PluginDescriptorTest {

    /** Parameters every goal has (the skip flags), not capture options or rules. */
    private static final Set<String> SKIP_FLAGS = Set.of("skip", "skipITs", "skipTests",
            "mavenTestSkip");

    @Test
    void everyStartParameter_isBoundOntoTheSpec_withPropertyCaptureDotName() throws Exception {
        Map<String, String> start = editableParameters("start");
        start.keySet().removeAll(SKIP_FLAGS);

        var bound = new StartMojo().options(Path.of("target/x.pcapng"), "test").parameters();

        assertThat(bound).containsExactlyInAnyOrderElementsOf(start.keySet());
        assertThat(bound).contains("bufferSize", "filter", "interfaces", "output");
        for (String name : bound) {
            assertThat(start.get(name)).as("property of <%s>", name)
                    .isEqualTo("${capture." + name + "}");
        }
    }

    @Test
    void everyVerifyRuleParameter_isAVerifyRule_andEveryRuleAParameter() throws Exception {
        Map<String, String> verify = editableParameters("verify");
        verify.keySet().removeAll(SKIP_FLAGS);
        verify.keySet().removeAll(Set.of("output", "allowNoTraffic"));

        assertThat(Arrays.stream(VerifyRule.values()).map(VerifyRule::parameter)
                .collect(Collectors.toList())).containsExactlyInAnyOrderElementsOf(verify.keySet());
    }

    /** The goal's editable parameters with their property expression ("" when none). */
    private static Map<String, String> editableParameters(String goal) throws Exception {
        Document doc;
        try (InputStream in = PluginDescriptorTest.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/plugin.xml")) {
            assertThat(in).as("the generated plugin.xml on the test class path").isNotNull();
            doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
        }
        NodeList mojos = doc.getElementsByTagName("mojo");
        for (int i = 0; i < mojos.getLength(); i++) {
            Element mojo = (Element) mojos.item(i);
            if (!goal.equals(child(mojo, "goal").getTextContent())) {
                continue;
            }
            Map<String, String> expressions = new HashMap<>();
            Element configuration = child(mojo, "configuration");
            for (Node n = configuration == null ? null : configuration.getFirstChild(); n != null;
                    n = n.getNextSibling()) {
                if (n instanceof Element e) {
                    expressions.put(e.getTagName(), e.getTextContent().strip());
                }
            }
            Map<String, String> editable = new LinkedHashMap<>();
            for (Node n = child(mojo, "parameters").getFirstChild(); n != null;
                    n = n.getNextSibling()) {
                if (n instanceof Element p
                        && "true".equals(child(p, "editable").getTextContent())) {
                    String name = child(p, "name").getTextContent();
                    editable.put(name, expressions.getOrDefault(name, ""));
                }
            }
            return editable;
        }
        throw new AssertionError("no goal " + goal + " in plugin.xml");
    }

    private static Element child(Element parent, String tag) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                return e;
            }
        }
        return null;
    }
}
