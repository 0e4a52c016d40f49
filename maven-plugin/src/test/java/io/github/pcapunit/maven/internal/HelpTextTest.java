package io.github.pcapunit.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * {@code capture:help} rendered from the plugin's real help descriptor (generated from the goals'
 * Javadoc by this build): XML examples come out indented by nesting, one element per line.
 */
class HelpTextTest {

    @Test
    void verifyInDetail_showsTheXmlExampleIndented_andEachParametersProperty() throws Exception {
        String help = HelpText.render(descriptor(), "verify", true, 80, 2);

        assertThat(help).contains("""
                  rule is broken.

                  <configuration>
                    <noDropsTo><port>1433</port></noDropsTo>
                    <complete>true</complete>
                    <onlyTalksTo><hosts><host>127.0.0.0/8</host></hosts></onlyTalksTo>
                  </configuration>
                """);
        assertThat(help).startsWith("pcapunit Maven plugin ").contains("\ncapture:verify\n")
                .doesNotContain("capture:start\n");
        assertThat(help).containsPattern("\n    noDropsTo\n      No packet to this port")
                .contains("      User property: capture.complete\n");
        assertThat(help.lines()).allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(80));
    }

    @Test
    void start_showsThePluginExampleNestedFourDeep_andWrapsProseAtTheLineLength() throws Exception {
        String help = HelpText.render(descriptor(), "start", false, 60, 4);

        assertThat(help).contains("""
                    <plugin>
                        <groupId>io.github.pcapunit</groupId>
                        <artifactId>capture-maven-plugin</artifactId>
                        <configuration>
                            <filter>tcp port 1433</filter>
                        </configuration>
                        <executions>
                            <execution>
                                <goals><goal>start</goal><goal>stop</goal><goal>verify</goal></goals>
                            </execution>
                        </executions>
                    </plugin>
                """);
        assertThat(help).doesNotContain("Available parameters:");
        assertThat(help.lines().filter(l -> !l.strip().startsWith("<")))
                .allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(60));
    }

    @Test
    void everyGoal_listedWithoutDetail() throws Exception {
        String help = HelpText.render(descriptor(), null, false, 80, 2);

        assertThat(help).contains("This plugin has 4 goals:", "\ncapture:help\n", "\ncapture:start\n",
                "\ncapture:stop\n", "\ncapture:verify\n");
        assertThat(help).contains("\n  mvn capture:start verify capture:stop -Dcapture.filter=\"tcp port 5432\"\n");
    }

    @Test
    void unknownGoal_namesTheGoalsThereAre() {
        assertThatThrownBy(() -> HelpText.render(descriptor(), "verfy", false, 80, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("-Dgoal=verfy is no goal of this plugin; use one of help, start, stop, verify,"
                        + " e.g. -Dgoal=help");
    }

    @Test
    void nesting_countsStartAndEndTags_notSelfClosingOnes() {
        assertThat(HelpText.opened("<a><b/><c>x</c>")).isEqualTo(2);
        assertThat(HelpText.closed("<a><b/><c>x</c>")).isEqualTo(1);
        assertThat(HelpText.leadingCloseTags("</b></a> tail")).isEqualTo(2);
        assertThat(HelpText.property("${capture.skip}")).isEqualTo("capture.skip");
        assertThat(HelpText.property("${a}-${b}")).isNull();
    }

    private static Document descriptor() throws Exception {
        try (InputStream in = HelpTextTest.class.getResourceAsStream(
                "/META-INF/maven/io.github.pcapunit/capture-maven-plugin/plugin-help.xml")) {
            assertThat(in).as("the generated help descriptor on the test class path").isNotNull();
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
        }
    }
}
