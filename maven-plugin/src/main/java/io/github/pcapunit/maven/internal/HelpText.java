package io.github.pcapunit.maven.internal;

import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The text of {@code capture:help}, from the plugin's help descriptor
 * ({@code META-INF/maven/<groupId>/<artifactId>/plugin-help.xml}): the plugin, then each goal
 * (or the one asked for) with its description and, in detail, its editable parameters.
 *
 * <p>Unlike the help maven-plugin-tools generates, an XML example in a goal's Javadoc keeps its
 * shape. The descriptor holds the Javadoc as plain text with whitespace collapsed (its HTML
 * conversion keeps only the line breaks of {@code <br>} and {@code <p>}), so the example arrives
 * one element per line without indentation; each run of lines that start with {@code <} is
 * indented again by element nesting, set apart by a blank line and never wrapped, so it can be
 * copied into a pom:
 *
 * <pre>{@code
 * capture:verify
 *   Checks the capture written by capture:stop against the configured rules, ...
 *
 *   <configuration>
 *     <noDropsTo><port>1433</port></noDropsTo>
 *   </configuration>
 * }</pre>
 */
public final class HelpText {

    private final int lineLength;
    private final String indentUnit;
    private final StringBuilder out = new StringBuilder();

    private HelpText(int lineLength, int indentSize) {
        this.lineLength = lineLength;
        this.indentUnit = " ".repeat(indentSize);
    }

    /**
     * Renders the help, e.g. {@code render(descriptor, "verify", true, 80, 2)} for
     * {@code mvn capture:help -Ddetail -Dgoal=verify}.
     *
     * @param goal one goal's name, or null for every goal
     * @throws IllegalArgumentException if {@code lineLength} or {@code indentSize} is not positive,
     *     or {@code goal} names no goal of the plugin (the message lists the goals)
     */
    public static String render(Document descriptor, String goal, boolean detail, int lineLength,
            int indentSize) {
        if (lineLength <= 0 || indentSize <= 0) {
            throw new IllegalArgumentException("lineLength (" + lineLength + ") and indentSize ("
                    + indentSize + ") must be positive, e.g. -DlineLength=80 -DindentSize=2");
        }
        return new HelpText(lineLength, indentSize).plugin(descriptor.getDocumentElement(), goal, detail);
    }

    private String plugin(Element plugin, String goal, boolean detail) {
        paragraph(text(plugin, "name") + " " + text(plugin, "version"), 0);
        paragraph(text(plugin, "description"), 1);
        blank();
        String prefix = text(plugin, "goalPrefix");
        List<Element> mojos = children(child(plugin, "mojos"), "mojo");
        List<String> goals = new ArrayList<>();
        List<Element> shown = new ArrayList<>();
        for (Element mojo : mojos) {
            goals.add(text(mojo, "goal"));
            if (goal == null || goal.isBlank() || goal.equals(text(mojo, "goal"))) {
                shown.add(mojo);
            }
        }
        if (shown.isEmpty()) {
            throw new IllegalArgumentException("-Dgoal=" + goal + " is no goal of this plugin; use one of "
                    + String.join(", ", goals) + ", e.g. -Dgoal=" + goals.get(0));
        }
        if (shown.size() > 1) {
            paragraph("This plugin has " + shown.size() + " goals:", 0);
            blank();
        }
        for (Element mojo : shown) {
            mojo(mojo, prefix, detail);
        }
        return out.toString();
    }

    private void mojo(Element mojo, String prefix, boolean detail) {
        paragraph(prefix + ":" + text(mojo, "goal"), 0);
        String deprecated = text(mojo, "deprecated");
        if (!deprecated.isEmpty()) {
            paragraph("Deprecated. " + deprecated, 1);
            blank();
        }
        paragraph(text(mojo, "description"), 1);
        blank();
        if (!detail) {
            return;
        }
        Element configuration = child(mojo, "configuration");
        List<Element> parameters = new ArrayList<>();
        for (Element p : children(child(mojo, "parameters"), "parameter")) {
            if (!"false".equals(text(p, "editable"))) {
                parameters.add(p);
            }
        }
        if (parameters.isEmpty()) {
            return;
        }
        paragraph("Available parameters:", 1);
        blank();
        for (Element p : parameters) {
            String name = text(p, "name");
            Element config = child(configuration, name);
            String defaultValue = config == null ? "" : config.getAttribute("default-value");
            paragraph(name + (defaultValue.isEmpty() ? "" : " (Default: " + defaultValue + ")"), 2);
            String pDeprecated = text(p, "deprecated");
            if (!pDeprecated.isEmpty()) {
                paragraph("Deprecated. " + pDeprecated, 3);
                blank();
            }
            paragraph(text(p, "description"), 3);
            if ("true".equals(text(p, "required"))) {
                paragraph("Required: Yes", 3);
            }
            String property = property(config == null ? "" : config.getTextContent().strip());
            if (property != null) {
                paragraph("User property: " + property, 3);
            }
            blank();
        }
    }

    /** {@code capture.skip} of {@code ${capture.skip}}; null for no or a composite expression. */
    static String property(String expression) {
        if (expression.startsWith("${") && expression.endsWith("}")
                && expression.indexOf("${", 2) < 0 && expression.length() > 3) {
            return expression.substring(2, expression.length() - 1);
        }
        return null;
    }

    /**
     * Appends {@code text} at {@code level}: each line wrapped at the line length, except runs of
     * XML lines, which are indented by nesting instead.
     */
    private void paragraph(String text, int level) {
        List<String> lines = text.strip().lines().map(String::strip).toList();
        int depth = -1; // inside an XML run when >= 0
        for (String line : lines) {
            if (line.startsWith("<")) {
                if (depth < 0 && out.length() > 0 && !out.toString().endsWith("\n\n")) {
                    blank(); // set the example apart from the prose before it
                }
                depth = Math.max(depth, 0);
                int closesFirst = leadingCloseTags(line);
                int lineDepth = Math.max(0, depth - closesFirst);
                out.append(indentUnit.repeat(level + lineDepth)).append(line).append('\n');
                depth = Math.max(0, depth + opened(line) - closed(line));
            } else {
                depth = -1;
                wrap(line, level);
            }
        }
    }

    private void wrap(String line, int level) {
        String indent = indentUnit.repeat(level);
        StringBuilder current = new StringBuilder(indent);
        for (String word : line.split(" +")) {
            if (current.length() > indent.length() && current.length() + 1 + word.length() > lineLength) {
                out.append(current).append('\n');
                current.setLength(0);
                current.append(indent);
            }
            if (current.length() > indent.length()) {
                current.append(' ');
            }
            current.append(word);
        }
        out.append(current.toString().stripTrailing()).append('\n');
    }

    private void blank() {
        out.append('\n');
    }

    /** Close tags a line starts with: {@code </a></b>} is two. */
    static int leadingCloseTags(String line) {
        int n = 0;
        int i = 0;
        while (line.startsWith("</", i)) {
            int end = line.indexOf('>', i);
            if (end < 0) {
                break;
            }
            n++;
            i = end + 1;
        }
        return n;
    }

    /** Start tags in a line, not counting self-closing ones, comments or declarations. */
    static int opened(String line) {
        int n = 0;
        for (int i = line.indexOf('<'); i >= 0; i = line.indexOf('<', i + 1)) {
            int end = line.indexOf('>', i);
            if (end < 0) {
                break;
            }
            char next = i + 1 < line.length() ? line.charAt(i + 1) : ' ';
            if (next != '/' && next != '!' && next != '?' && line.charAt(end - 1) != '/') {
                n++;
            }
        }
        return n;
    }

    /** End tags in a line. */
    static int closed(String line) {
        int n = 0;
        for (int i = line.indexOf("</"); i >= 0; i = line.indexOf("</", i + 2)) {
            n++;
        }
        return n;
    }

    private static String text(Element parent, String tag) {
        Element e = child(parent, tag);
        return e == null ? "" : e.getTextContent().strip();
    }

    private static Element child(Element parent, String tag) {
        if (parent == null) {
            return null;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                return e;
            }
        }
        return null;
    }

    private static List<Element> children(Element parent, String tag) {
        List<Element> list = new ArrayList<>();
        for (Node n = parent == null ? null : parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                list.add(e);
            }
        }
        return list;
    }
}
