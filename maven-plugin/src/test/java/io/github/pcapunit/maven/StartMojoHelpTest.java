package io.github.pcapunit.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * {@code capture:help} (the generated plugin descriptor) tells that {@code capture:start} waits
 * once, at most 2 s, for the eBPF drop recorder to attach, and that {@code OFF} does not wait.
 */
class StartMojoHelpTest {

    @Test
    void startGoalAndItsKernelEvidenceParameter_mentionTheOneOffEbpfWait() throws Exception {
        Element start = mojo("start");
        assertThat(text(start, "description")).contains("eBPF drop recorder", "at most 2 s", "once per Maven JVM");
        Element kernelEvidence = null;
        for (Node n = child(start, "parameters").getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element p && "kernelEvidence".equals(text(p, "name"))) {
                kernelEvidence = p;
            }
        }
        assertThat(kernelEvidence).as("<kernelEvidence> in plugin.xml").isNotNull();
        assertThat(text(kernelEvidence, "description")).contains("at most 2 s", "never waits");
    }

    private static Element mojo(String goal) throws Exception {
        Document doc;
        try (InputStream in = StartMojoHelpTest.class.getClassLoader().getResourceAsStream("META-INF/maven/plugin.xml")) {
            assertThat(in).as("the generated plugin.xml on the test class path").isNotNull();
            doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
        }
        NodeList mojos = doc.getElementsByTagName("mojo");
        for (int i = 0; i < mojos.getLength(); i++) {
            Element mojo = (Element) mojos.item(i);
            if (goal.equals(text(mojo, "goal"))) {
                return mojo;
            }
        }
        throw new AssertionError("no goal " + goal + " in plugin.xml");
    }

    private static String text(Element parent, String tag) {
        Element e = child(parent, tag);
        return e == null ? "" : e.getTextContent().replaceAll("\\s+", " ");
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
